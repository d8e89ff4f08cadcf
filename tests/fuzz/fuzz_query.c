/* fuzz_query.c — libFuzzer target for http_parse_urlencoded().
 *
 * On success it checks what callers rely on: at most max_pairs pairs, names
 * non-empty, every string NUL-terminated at its length, valid UTF-8 without
 * NUL or control characters (tab, CR and LF allowed in values). It then
 * re-encodes the pairs, parses them again and expects the same list, and
 * expects TOO_MANY with one pair less of room. A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"
#include "lib/utf8.h"

enum { MAX_PAIRS = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static bool text_ok(const char *s, size_t len, bool is_value)
{
    if (!utf8_valid(s, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool whitespace = c == '\t' || c == '\r' || c == '\n';
        if ((c < 0x20 && !(is_value && whitespace)) || c == 0x7f)
            return false;
    }
    return true;
}

static void check_list(const struct http_kv_list *list, size_t input_size)
{
    check(list->count <= MAX_PAIRS);
    check(list->count == 0 || list->items != NULL);
    for (size_t i = 0; i < list->count; i++) {
        const struct http_kv *kv = &list->items[i];
        check(kv->name != NULL && kv->value != NULL);
        size_t name_len = strlen(kv->name);
        check(name_len > 0 && name_len <= input_size);
        check(strlen(kv->value) == kv->value_len);
        check(kv->value_len <= input_size);
        check(text_ok(kv->name, name_len, false));
        check(text_ok(kv->value, kv->value_len, true));
        /* The first pair with this name is the one http_kv_get finds. */
        const char *first = http_kv_get(list, kv->name);
        check(first != NULL);
        check(http_kv_count(list, kv->name) >= 1);
        size_t j = 0;
        while (strcmp(list->items[j].name, kv->name) != 0)
            j++;
        check(first == list->items[j].value);
    }
}

/* Appends s percent-encoded, every byte outside [A-Za-z0-9] as %XX. */
static size_t encode(char *dst, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            dst[n++] = (char)c;
        } else {
            dst[n++] = '%';
            dst[n++] = hex[c >> 4];
            dst[n++] = hex[c & 15];
        }
    }
    return n;
}

static void check_round_trip(struct arena *arena, const struct http_kv_list *list, size_t input_size)
{
    /* Each decoded byte needs at most 3 bytes, plus '=' and '&' per pair. */
    size_t cap = input_size * 3 + 2 * list->count + 1;
    char *text = malloc(cap);
    check(text != NULL);
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++) {
        if (i > 0)
            text[n++] = '&';
        n += encode(text + n, list->items[i].name, strlen(list->items[i].name));
        text[n++] = '=';
        n += encode(text + n, list->items[i].value, list->items[i].value_len);
    }
    check(n <= cap);

    struct http_kv_list again;
    check(http_parse_urlencoded(arena, text, n, list->count, &again) == HTTP_PARSE_OK);
    check(again.count == list->count);
    for (size_t i = 0; i < list->count; i++) {
        check(strcmp(again.items[i].name, list->items[i].name) == 0);
        check(again.items[i].value_len == list->items[i].value_len);
        check(memcmp(again.items[i].value, list->items[i].value, list->items[i].value_len) == 0);
    }
    if (list->count > 0)
        check(http_parse_urlencoded(arena, text, n, list->count - 1, &again) == HTTP_PARSE_TOO_MANY);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena;
    struct http_kv_list list;
    arena_heap_init(&arena);
    enum http_parse_status status = http_parse_urlencoded(&arena, (const char *)data, size, MAX_PAIRS, &list);
    if (status == HTTP_PARSE_OK) {
        check_list(&list, size);
        check_round_trip(&arena, &list, size);
    } else {
        check(status == HTTP_PARSE_MALFORMED || status == HTTP_PARSE_TOO_MANY);
        check(list.items == NULL && list.count == 0);
    }
    arena_heap_free(&arena);
    return 0;
}
