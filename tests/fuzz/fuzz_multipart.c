/* fuzz_multipart.c — libFuzzer target for http_multipart_boundary() and
 * http_parse_multipart().
 *
 * The input is a Content-Type line, '\n', then a body. The line goes to
 * http_multipart_boundary(); the body is parsed with the boundary found there
 * (or "b" when there is none, so that the body is fuzzed either way). On
 * success it checks what callers rely on: at most MAX_PARTS parts in body
 * order, each part's data inside the body and free of the delimiter, names
 * non-empty and, like filenames, valid UTF-8 without control characters,
 * content types printable ASCII. It then writes the parts out again as a
 * fresh body, parses that and expects the same parts, and expects TOO_MANY
 * with one part less of room. A violation traps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"
#include "lib/utf8.h"

enum { MAX_PARTS = 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static bool text_ok(const char *s)
{
    size_t len = strlen(s);
    if (!utf8_valid(s, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)s[i + 1] <= 0x9f))
            return false;
    }
    return true;
}

static bool is_boundary_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr("'()+_,-./:= ?", c) != NULL);
}

static void check_boundary(const char *boundary)
{
    size_t len = strlen(boundary);
    check(len >= 1 && len <= 70 && boundary[len - 1] != ' ');
    for (size_t i = 0; i < len; i++)
        check(is_boundary_char(boundary[i]));
}

static void check_list(const struct http_part_list *list, const char *body, size_t len, const char *boundary)
{
    char delimiter[80];
    size_t delimiter_len = (size_t)snprintf(delimiter, sizeof(delimiter), "\r\n--%s", boundary);
    const char *previous_end = body;
    check(list->count <= MAX_PARTS);
    check((list->count == 0) == (list->items == NULL));
    for (size_t i = 0; i < list->count; i++) {
        const struct http_part *part = &list->items[i];
        check(part->name != NULL && part->name[0] != '\0' && text_ok(part->name));
        check(part->filename == NULL || text_ok(part->filename));
        if (part->content_type != NULL) {
            check(part->content_type[0] != '\0');
            for (const char *c = part->content_type; *c != '\0'; c++)
                check((*c >= 0x20 && *c <= 0x7e) || *c == '\t');
        }
        check(part->data >= previous_end && part->data <= body + len && part->len <= (size_t)(body + len - part->data));
        check(part->len < delimiter_len || memmem(part->data, part->len, delimiter, delimiter_len) == NULL);
        previous_end = part->data + part->len;
        check(http_part_get(list, part->name) != NULL);
    }
}

/* Writes the parts out as a body of our own and parses it again. */
static void check_round_trip(struct arena *arena, const struct http_part_list *list, const char *boundary)
{
    size_t cap = 16 + strlen(boundary);
    for (size_t i = 0; i < list->count; i++) {
        const struct http_part *p = &list->items[i];
        cap += 128 + strlen(boundary) + strlen(p->name) + p->len;
        cap += p->filename != NULL ? strlen(p->filename) : 0;
        cap += p->content_type != NULL ? strlen(p->content_type) : 0;
    }
    char *text = malloc(cap);
    check(text != NULL);
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++) {
        const struct http_part *p = &list->items[i];
        n += (size_t)snprintf(text + n, cap - n, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", boundary,
                              p->name);
        if (p->filename != NULL)
            n += (size_t)snprintf(text + n, cap - n, "; filename=\"%s\"", p->filename);
        if (p->content_type != NULL)
            n += (size_t)snprintf(text + n, cap - n, "\r\nContent-Type: %s", p->content_type);
        n += (size_t)snprintf(text + n, cap - n, "\r\n\r\n");
        memcpy(text + n, p->data, p->len);
        n += p->len;
        n += (size_t)snprintf(text + n, cap - n, "\r\n");
    }
    n += (size_t)snprintf(text + n, cap - n, "--%s--", boundary);
    check(n < cap);

    struct http_part_list again;
    check(http_parse_multipart(arena, text, n, boundary, list->count, &again) == HTTP_PARSE_OK);
    check(again.count == list->count);
    for (size_t i = 0; i < list->count; i++) {
        const struct http_part *a = &list->items[i], *b = &again.items[i];
        check(strcmp(a->name, b->name) == 0);
        check((a->filename == NULL) == (b->filename == NULL));
        check(a->filename == NULL || strcmp(a->filename, b->filename) == 0);
        check((a->content_type == NULL) == (b->content_type == NULL));
        check(a->content_type == NULL || strcmp(a->content_type, b->content_type) == 0);
        check(a->len == b->len && memcmp(a->data, b->data, a->len) == 0);
    }
    if (list->count > 0)
        check(http_parse_multipart(arena, text, n, boundary, list->count - 1, &again) == HTTP_PARSE_TOO_MANY);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *input = (const char *)data;
    const char *newline = memchr(input, '\n', size);
    size_t line_len = newline != NULL ? (size_t)(newline - input) : size;
    char *content_type = malloc(line_len + 1);
    char boundary[71];
    struct arena arena;
    struct http_part_list list;

    check(content_type != NULL);
    memcpy(content_type, input, line_len);
    content_type[line_len] = '\0';
    if (http_multipart_boundary(content_type, boundary, sizeof(boundary)))
        check_boundary(boundary);
    else
        memcpy(boundary, "b", 2);

    const char *body = newline != NULL ? newline + 1 : input + size;
    size_t body_len = (size_t)(input + size - body);
    arena_heap_init(&arena);
    enum http_parse_status status = http_parse_multipart(&arena, body, body_len, boundary, MAX_PARTS, &list);
    if (status == HTTP_PARSE_OK) {
        check_list(&list, body, body_len, boundary);
        check_round_trip(&arena, &list, boundary);
    } else {
        check(status == HTTP_PARSE_MALFORMED || status == HTTP_PARSE_TOO_MANY);
        check(list.items == NULL && list.count == 0);
    }
    arena_heap_free(&arena);
    free(content_type);
    return 0;
}
