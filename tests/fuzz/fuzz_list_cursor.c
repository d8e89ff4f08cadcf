/* fuzz_list_cursor.c — libFuzzer target for list_cursor_parse(), the reader
 * of the ?cursor= every paged list takes from clients.
 *
 * The first byte picks a list shape (none to LIST_KEY_PARTS_MAX key parts,
 * numbers and texts), the rest is the cursor text. On success it checks what
 * the pagers rely on: position not negative, each text part without control
 * bytes lost (a C string of the decoded length), the id valid; and that
 * writing the cursor again gives exactly the input (one text per cursor, so a
 * cursor cannot be smuggled in two spellings). A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/list_cursor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static const char *const shapes[] = {"s", "S", "ns", "Ns", "ss", "Ss", "nns", "nss", "sns", "NSs", "nnns", "snSs"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *shape = shapes[data[0] % (sizeof(shapes) / sizeof(shapes[0]))];
    char *text = malloc(size);
    check(text != NULL);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0'; /* the query parser never gives a NUL byte inside */
    struct arena arena;
    arena_heap_init(&arena);
    struct list_cursor cursor;
    if (list_cursor_parse(&arena, "tag", shape, text, &cursor)) {
        check(cursor.position >= 0);
        check(list_id_valid(cursor.id));
        for (size_t i = 0; i < list_cursor_key_parts(shape); i++)
            check(list_cursor_part_is_number(shape[i]) || cursor.parts[i].s != NULL);
        struct buf b;
        buf_init(&b, &arena, 4 * size + 64);
        list_cursor_write(&b, "tag", shape, &cursor);
        check(buf_ok(&b) && strcmp(b.data, text) == 0);
    }
    arena_heap_free(&arena);
    free(text);
    return 0;
}
