/* list_cursor.h — the cursor of a paged list as text, read and written.
 *
 * A cursor names the last item of a page so that the next page resumes
 * after it: "<tag>.<position>.<key parts>.<id>", where tag names the list
 * (letters), position is the item's place in the list (0 first), each key
 * part is a decimal integer or "x" followed by the text in lower-case hex,
 * and id is the item's id (letters, digits, '_', '-', 1–64 of them). The
 * list's shape says its key: one letter per key part ('n' a number, 's' a
 * text; 'N'/'S' the same sorted newest or last first), then one for the id.
 * Clients treat a cursor as opaque; it comes back from them, so reading it
 * is a parser of untrusted text (tests/fuzz/fuzz_list_cursor.c). */
#ifndef ROUNDS_LIB_LIST_CURSOR_H
#define ROUNDS_LIB_LIST_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/buf.h"

enum { LIST_KEY_PARTS_MAX = 3 };

struct list_key_part {
    int64_t n;
    const char *s; /* text parts: never holds a NUL byte */
};

struct list_cursor {
    int64_t position; /* the item's place in the list (0 first), never negative */
    struct list_key_part parts[LIST_KEY_PARTS_MAX];
    const char *id;
};

/* The number of key parts of a shape (its letters but the id's). */
size_t list_cursor_key_parts(const char *shape);
/* Whether a shape letter is a number part ('n' or 'N'). */
bool list_cursor_part_is_number(char shape_letter);
/* Reads text as a cursor of the list tag with this shape (at most
 * LIST_KEY_PARTS_MAX key parts) into out, its strings in the arena. False,
 * out partly written, when it is not one: another list's, malformed, longer
 * than API_CURSOR_MAX_BYTES, a text part with a NUL byte, a bad id. */
bool list_cursor_parse(struct arena *arena, const char *tag, const char *shape, const char *text,
                       struct list_cursor *out);
/* Writes the cursor into b (what list_cursor_parse reads back): letters,
 * digits, '_', '-' and '.', nothing to escape in JSON, HTML or a URL. */
void list_cursor_write(struct buf *b, const char *tag, const char *shape, const struct list_cursor *cursor);
/* Letters, digits, '_' and '-', 1–64 of them: an id as Rounds makes them. */
bool list_id_valid(const char *id);

#endif
