/* list_pager.c — one page of a list (?limit=, ?cursor=,
 * {"items":[…],"next_cursor":…}): for lists the handler builds whole in
 * memory (small per caller), and for lists the store pages by key (the handler
 * asks the store for limit + 1 items after the cursor's key and offers them).
 *
 * The cursor is opaque to clients: "<list tag>.<position>.<key parts>.<id>",
 * the parts being decimal integers or "x" + the text in hex. A page resumes
 * after the cursor's item; when that item is gone, after where it would stand
 * by the list's key (or, for a list without a key, at its position). Text
 * keys compare byte by byte, so the store orders such lists by them
 * COLLATE "C" (byte order on PostgreSQL whatever the database's collation,
 * and a collation of that name the SQLite driver adds). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "lib/limits.h"

static const char *const hex_digits = "0123456789abcdef";

static bool part_is_number(char shape)
{
    return shape == 'n' || shape == 'N';
}

/* The key parts of a shape: its letters but the last (the id's). */
static size_t key_parts(const char *shape)
{
    size_t n = shape != NULL ? strlen(shape) : 0;
    return n > 0 ? n - 1 : 0;
}

static bool parse_number(const char *s, size_t len, int64_t *out)
{
    char tmp[24];
    if (len == 0 || len >= sizeof(tmp))
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end = NULL;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (errno != 0 || end != tmp + len)
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

/* Splits the cursor at its dots into the pager's cursor; false when it is
 * not a cursor of this list. */
static bool parse_cursor(struct arena *arena, struct api_pager *pager, const char *s)
{
    size_t parts = key_parts(pager->shape), fields = parts + 3, at = 0;
    size_t len = strlen(s), tag_len = strlen(pager->tag);
    if (len > API_CURSOR_MAX_BYTES || strncmp(s, pager->tag, tag_len) != 0 || s[tag_len] != '.')
        return false;
    const char *field = s + tag_len + 1;
    for (size_t f = 1; f < fields; f++) {
        const char *dot = strchr(field, '.');
        bool last = f + 1 == fields;
        if ((dot == NULL) != last)
            return false;
        size_t field_len = last ? strlen(field) : (size_t)(dot - field);
        bool ok;
        if (f == 1)
            ok = parse_number(field, field_len, &pager->cursor.position) && pager->cursor.position >= 0;
        else if (last) {
            char *id = arena_strdup(arena, field);
            ok = id != NULL && api_id_valid(id);
            pager->cursor.id = id;
        } else if (part_is_number(pager->shape[at]))
            ok = parse_number(field, field_len, &pager->cursor.parts[at++].n);
        else
            ok = parse_text(arena, field, field_len, &pager->cursor.parts[at++].s);
        if (!ok)
            return false;
        field = last ? field : dot + 1;
    }
    return true;
}

int api_pager_start(struct http_request *req, struct api_pager *pager, const char *tag, const char *shape)
{
    memset(pager, 0, sizeof(*pager));
    pager->tag = tag;
    pager->shape = shape != NULL ? shape : "s";
    if (key_parts(pager->shape) > API_KEY_PARTS_MAX) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return -1;
    }
    pager->page.limit = API_LIST_LIMIT_DEFAULT;
    const char *cursor;
    if (api_list_limit(req, &pager->page.limit) != 0 || api_query_param(req, "cursor", &cursor) != 0)
        return -1;
    if (cursor != NULL && !parse_cursor(&req->arena, pager, cursor)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "cursor", "is not a cursor of this list");
        return -1;
    }
    pager->has_cursor = cursor != NULL;
    pager->resumed = cursor == NULL;
    return 0;
}

void api_pager_paged_in_store(struct api_pager *pager)
{
    pager->resumed = true;
}

/* <0, 0, >0 as the item (key, id) comes before, at, after the cursor's. */
static int compare_to_cursor(const struct api_pager *pager, const struct api_key_part *key, const char *id)
{
    size_t parts = key_parts(pager->shape);
    for (size_t i = 0; i < parts; i++) {
        int d;
        if (part_is_number(pager->shape[i]))
            d = key[i].n < pager->cursor.parts[i].n ? -1 : key[i].n > pager->cursor.parts[i].n;
        else
            d = strcmp(key[i].s != NULL ? key[i].s : "", pager->cursor.parts[i].s);
        if (d != 0)
            return pager->shape[i] == 'N' || pager->shape[i] == 'S' ? -d : d;
    }
    int d = strcmp(id, pager->cursor.id);
    return pager->shape[parts] == 'S' ? -d : d;
}

/* Whether the item at position comes after the cursor's (removed) item: by
 * the key, or without one, at the place the cursor's item held. */
static bool after_cursor(const struct api_pager *pager, int64_t position, const struct api_key_part *key,
                         const char *id)
{
    if (strcmp(id, pager->cursor.id) == 0)
        return false;
    if (key == NULL)
        return position >= pager->cursor.position;
    return compare_to_cursor(pager, key, id) > 0;
}

bool api_pager_take_keyed(struct api_pager *pager, struct buf *b, const char *id, const struct api_key_part *key)
{
    int64_t position = pager->offered++;
    if (id == NULL)
        return false;
    if (!pager->resumed) {
        /* Items up to the cursor's (or its place) were on earlier pages. */
        pager->resumed = strcmp(id, pager->cursor.id) == 0;
        if (pager->resumed || !after_cursor(pager, position, key, id))
            return false;
        pager->resumed = true;
    }
    if (pager->shown >= pager->page.limit) {
        pager->more = true;
        return false;
    }
    if (pager->shown++ > 0)
        buf_append_char(b, ',');
    pager->last_position = position;
    pager->last_id = id;
    size_t parts = key_parts(pager->shape);
    for (size_t i = 0; i < parts; i++)
        pager->last_key[i] = key != NULL ? key[i] : (struct api_key_part){0};
    return true;
}

bool api_pager_take(struct api_pager *pager, struct buf *b, const char *id)
{
    return api_pager_take_keyed(pager, b, id, NULL);
}

/* The cursor of the page's last item, into b. */
static void write_cursor(struct buf *b, const struct api_pager *pager)
{
    buf_append_str(b, pager->tag);
    buf_appendf(b, ".%lld.", (long long)pager->last_position);
    size_t parts = key_parts(pager->shape);
    for (size_t i = 0; i < parts; i++) {
        if (part_is_number(pager->shape[i])) {
            buf_appendf(b, "%lld.", (long long)pager->last_key[i].n);
            continue;
        }
        buf_append_char(b, 'x');
        for (const char *s = pager->last_key[i].s != NULL ? pager->last_key[i].s : ""; *s != '\0'; s++) {
            buf_append_char(b, hex_digits[(unsigned char)*s >> 4]);
            buf_append_char(b, hex_digits[(unsigned char)*s & 15]);
        }
        buf_append_char(b, '.');
    }
    buf_append_str(b, pager->last_id);
}

void api_pager_end_items(struct api_pager *pager, struct buf *b)
{
    buf_append_str(b, "],\"next_cursor\":");
    if (!pager->more) {
        buf_append_str(b, "null");
        return;
    }
    buf_append_char(b, '"');
    write_cursor(b, pager); /* letters, digits, '_', '-' and '.': nothing to escape */
    buf_append_char(b, '"');
}

int api_pager_finish(struct http_request *req, struct api_pager *pager, struct buf *b)
{
    (void)req;
    api_pager_end_items(pager, b);
    buf_append_char(b, '}');
    return 0;
}
