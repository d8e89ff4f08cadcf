/* waitlist_mine.c — GET /api/v1/waitlist → {"items":[…]}: the student's
 * places on waitlists (waiting, offered, left), newest first. */
#include "api/alerts_api.h"
#include "lib/limits.h"

void api_waitlist_mine(struct http_request *req)
{
    struct api_pager pager;
    if (api_pager_start(req, &pager, "mywaitlist", "Ns") != 0)
        return;
    struct store_waitlist_entry *items;
    size_t count;
    /* a page and one more, after the cursor's entry, as the store orders them */
    if (store_waitlist_of_student(req->db, &req->arena, req->auth.user_id, pager.cursor.parts[0].n,
                                  pager.has_cursor ? pager.cursor.id : NULL, pager.page.limit + 1, &items,
                                  &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.n = items[i].created_at})))
            continue;
        api_write_waitlist_entry(&b, &items[i], false);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
