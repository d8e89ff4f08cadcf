/* list_cursor.c — reading and writing a paged list's cursor (the format is
 * in list_cursor.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "lib/list_cursor.h"

static const char *const hex_digits = "0123456789abcdef";

bool list_cursor_part_is_number(char shape_letter)
{
    return shape_letter == 'n' || shape_letter == 'N';
}

size_t list_cursor_key_parts(const char *shape)
{
    size_t n = shape != NULL ? strlen(shape) : 0;
    return n > 0 ? n - 1 : 0;
}

bool list_id_valid(const char *id)
{
    size_t len = id != NULL ? strlen(id) : 0;
    if (len == 0 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* A decimal integer exactly as list_cursor_write writes it (no sign but a
 * '-', no leading zero or space, within int64_t): one text per cursor. */
static bool parse_number(const char *s, size_t len, int64_t *out)
{
    char tmp[24], again[24];
    if (len == 0 || len >= sizeof(tmp))
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end = NULL;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (errno != 0 || end != tmp + len)
        return false;
    snprintf(again, sizeof(again), "%lld", v);
    if (strcmp(again, tmp) != 0)
        return false;
    *out = v;
    return true;
}

static int hex_value(char c)
{
    const char *p = c != '\0' ? strchr(hex_digits, c) : NULL;
    return p != NULL ? (int)(p - hex_digits) : -1;
}

/* "x" + hex → the text (no NUL byte inside). */
static bool parse_text(struct arena *arena, const char *s, size_t len, const char **out)
{
    if (len == 0 || s[0] != 'x' || (len - 1) % 2 != 0)
        return false;
    size_t n = (len - 1) / 2;
    char *text = arena_alloc(arena, n + 1);
    if (text == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = hex_value(s[1 + 2 * i]), lo = hex_value(s[2 + 2 * i]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return false;
        text[i] = (char)(hi * 16 + lo);
    }
    text[n] = '\0';
    *out = text;
    return true;
}

bool list_cursor_parse(struct arena *arena, const char *tag, const char *shape, const char *text,
                       struct list_cursor *out)
{
    size_t parts = list_cursor_key_parts(shape), fields = parts + 3, at = 0;
    size_t len = strlen(text), tag_len = strlen(tag);
    memset(out, 0, sizeof(*out));
    if (parts > LIST_KEY_PARTS_MAX || len > API_CURSOR_MAX_BYTES || strncmp(text, tag, tag_len) != 0 ||
        text[tag_len] != '.')
        return false;
    const char *field = text + tag_len + 1;
    for (size_t f = 1; f < fields; f++) {
        const char *dot = strchr(field, '.');
        bool last = f + 1 == fields;
        if ((dot == NULL) != last)
            return false;
        size_t field_len = last ? strlen(field) : (size_t)(dot - field);
        bool ok;
        if (f == 1)
            ok = parse_number(field, field_len, &out->position) && out->position >= 0;
        else if (last) {
            out->id = arena_strdup(arena, field);
            ok = out->id != NULL && list_id_valid(out->id);
        } else if (list_cursor_part_is_number(shape[at]))
            ok = parse_number(field, field_len, &out->parts[at++].n);
        else
            ok = parse_text(arena, field, field_len, &out->parts[at++].s);
        if (!ok)
            return false;
        field = last ? field : dot + 1;
    }
    return true;
}

void list_cursor_write(struct buf *b, const char *tag, const char *shape, const struct list_cursor *cursor)
{
    buf_append_str(b, tag);
    buf_appendf(b, ".%lld.", (long long)cursor->position);
    size_t parts = list_cursor_key_parts(shape);
    for (size_t i = 0; i < parts && i < LIST_KEY_PARTS_MAX; i++) {
        if (list_cursor_part_is_number(shape[i])) {
            buf_appendf(b, "%lld.", (long long)cursor->parts[i].n);
            continue;
        }
        buf_append_char(b, 'x');
        for (const char *s = cursor->parts[i].s != NULL ? cursor->parts[i].s : ""; *s != '\0'; s++) {
            buf_append_char(b, hex_digits[(unsigned char)*s >> 4]);
            buf_append_char(b, hex_digits[(unsigned char)*s & 15]);
        }
        buf_append_char(b, '.');
    }
    buf_append_str(b, cursor->id != NULL ? cursor->id : "");
}
