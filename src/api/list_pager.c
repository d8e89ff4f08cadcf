/* list_pager.c — one page of a list (?limit=, ?cursor=,
 * {"items":[…],"next_cursor":…}): for lists the handler builds whole in
 * memory (small per caller), and for lists the store pages by key (the handler
 * asks the store for limit + 1 items after the cursor's key and offers them).
 *
 * The cursor is opaque to clients: "<list tag>.<position>.<key parts>.<id>"
 * (read and written by lib/list_cursor.c). A page resumes
 * after the cursor's item; when that item is gone, after where it would stand
 * by the list's key (or, for a list without a key, at its position). Text
 * keys compare byte by byte, so the store orders such lists by them
 * COLLATE "C" (byte order on PostgreSQL whatever the database's collation,
 * and a collation of that name the SQLite driver adds). */
#include <string.h>

#include "api/api.h"
#include "lib/limits.h"
#include "lib/list_cursor.h"

int api_pager_start(struct http_request *req, struct api_pager *pager, const char *tag, const char *shape)
{
    memset(pager, 0, sizeof(*pager));
    pager->tag = tag;
    pager->shape = shape != NULL ? shape : "s";
    if (list_cursor_key_parts(pager->shape) > LIST_KEY_PARTS_MAX) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return -1;
    }
    pager->page.limit = API_LIST_LIMIT_DEFAULT;
    const char *cursor;
    if (api_list_limit(req, &pager->page.limit) != 0 || api_query_param(req, "cursor", &cursor) != 0)
        return -1;
    if (cursor != NULL && !list_cursor_parse(&req->arena, pager->tag, pager->shape, cursor, &pager->cursor)) {
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
static int compare_to_cursor(const struct api_pager *pager, const struct list_key_part *key, const char *id)
{
    size_t parts = list_cursor_key_parts(pager->shape);
    for (size_t i = 0; i < parts; i++) {
        int d;
        if (list_cursor_part_is_number(pager->shape[i]))
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
static bool after_cursor(const struct api_pager *pager, int64_t position, const struct list_key_part *key,
                         const char *id)
{
    if (strcmp(id, pager->cursor.id) == 0)
        return false;
    if (key == NULL)
        return position >= pager->cursor.position;
    return compare_to_cursor(pager, key, id) > 0;
}

bool api_pager_take_keyed(struct api_pager *pager, struct buf *b, const char *id, const struct list_key_part *key)
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
    size_t parts = list_cursor_key_parts(pager->shape);
    for (size_t i = 0; i < parts; i++)
        pager->last_key[i] = key != NULL ? key[i] : (struct list_key_part){0};
    return true;
}

bool api_pager_take(struct api_pager *pager, struct buf *b, const char *id)
{
    return api_pager_take_keyed(pager, b, id, NULL);
}

void api_pager_end_items(struct api_pager *pager, struct buf *b)
{
    buf_append_str(b, "],\"next_cursor\":");
    if (!pager->more) {
        buf_append_str(b, "null");
        return;
    }
    buf_append_char(b, '"');
    struct list_cursor last = {.position = pager->last_position, .id = pager->last_id};
    memcpy(last.parts, pager->last_key, sizeof(last.parts));
    list_cursor_write(b, pager->tag, pager->shape, &last); /* nothing to escape */
    buf_append_char(b, '"');
}

int api_pager_finish(struct http_request *req, struct api_pager *pager, struct buf *b)
{
    (void)req;
    api_pager_end_items(pager, b);
    buf_append_char(b, '}');
    return 0;
}
