/* saved_searches_get.c — GET /api/v1/saved-searches → {"items":[…]}: the
 * signed-in student's saved searches, oldest first. */
#include "api/alerts_api.h"
#include "lib/limits.h"

void api_saved_searches_get(struct http_request *req)
{
    struct api_pager pager;
    if (api_pager_start(req, &pager, "searches", "nns") != 0)
        return;
    struct store_saved_search *items;
    size_t count;
    if (store_saved_searches_of(req->db, &req->arena, req->auth.user_id, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.n = items[i].position}, {.n = items[i].created_at})))
            continue;
        api_write_saved_search(&b, &req->arena, &items[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
