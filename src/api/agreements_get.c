/* agreements_get.c — GET /api/v1/agreements?limit=&cursor= → {items:[agreement],
 * next_cursor}: the agreements of every host and school the caller
 * coordinates (staff: all), newest first, a page at a time (the store reads a
 * page and one more after the cursor's key). Anyone else gets an empty list. */
#include "api/agreements_api.h"
#include "lib/limits.h"

void api_agreements_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "agreements", "Ns") != 0)
        return;
    struct store_agreement *items = NULL;
    size_t count = 0;
    struct error err = {0};
    struct agreement_page page = {.after_created_at = pager.cursor.parts[0].n,
                                  .after_id = pager.has_cursor ? pager.cursor.id : NULL,
                                  .limit = pager.page.limit + 1};
    if (agreement_list(req->db, &req->arena, &user, &page, &items, &count, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.n = items[i].created_at})))
            continue;
        api_write_agreement(&b, &items[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
