/* fuzz_cookie.c — libFuzzer target for http_parse_cookies().
 *
 * On success it checks what callers rely on: at most max_pairs pairs, every
 * name a non-empty RFC 9110 token, every value only cookie-octets, every
 * string NUL-terminated at its length and valid UTF-8. It then serializes the
 * pairs as "a=1; b=2", parses them again and expects the same list, and
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

static bool is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_cookie_octet(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

static void check_list(const struct http_kv_list *list, size_t input_size)
{
    check(list->count <= MAX_PAIRS);
    check(list->count == 0 || list->items != NULL);
    for (size_t i = 0; i < list->count; i++) {
        const struct http_kv *kv = &list->items[i];
        check(kv->name != NULL && kv->value != NULL);
        size_t name_len = strlen(kv->name);
        check(name_len > 0 && name_len < input_size);
        check(strlen(kv->value) == kv->value_len);
        check(kv->value_len < input_size);
        check(utf8_valid(kv->name, name_len) && utf8_valid(kv->value, kv->value_len));
        for (size_t k = 0; k < name_len; k++)
            check(is_tchar((unsigned char)kv->name[k]));
        for (size_t k = 0; k < kv->value_len; k++)
            check(is_cookie_octet((unsigned char)kv->value[k]));
        check(http_kv_get(list, kv->name) != NULL);
        check(http_kv_count(list, kv->name) >= 1);
    }
}

static void check_round_trip(struct arena *arena, const struct http_kv_list *list, size_t input_size)
{
    size_t cap = input_size + 2 * list->count + 1;
    char *text = malloc(cap);
    check(text != NULL);
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++) {
        size_t name_len = strlen(list->items[i].name);
        if (i > 0) {
            text[n++] = ';';
            text[n++] = ' ';
        }
        memcpy(text + n, list->items[i].name, name_len);
        n += name_len;
        text[n++] = '=';
        memcpy(text + n, list->items[i].value, list->items[i].value_len);
        n += list->items[i].value_len;
    }
    check(n <= cap);

    struct http_kv_list again;
    check(http_parse_cookies(arena, text, n, list->count, &again) == HTTP_PARSE_OK);
    check(again.count == list->count);
    for (size_t i = 0; i < list->count; i++) {
        check(strcmp(again.items[i].name, list->items[i].name) == 0);
        check(again.items[i].value_len == list->items[i].value_len);
        check(memcmp(again.items[i].value, list->items[i].value, list->items[i].value_len) == 0);
    }
    if (list->count > 0)
        check(http_parse_cookies(arena, text, n, list->count - 1, &again) == HTTP_PARSE_TOO_MANY);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena;
    struct http_kv_list list;
    arena_heap_init(&arena);
    enum http_parse_status status = http_parse_cookies(&arena, (const char *)data, size, MAX_PAIRS, &list);
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
