/* agreements_get.c — GET /api/v1/agreements → {items:[agreement]}: the
 * agreements of every host and school the caller coordinates (staff: all),
 * newest first. Anyone else gets an empty list. */
#include "api/agreements_api.h"
#include "lib/limits.h"

void api_agreements_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "agreements", NULL) != 0)
        return;
    struct store_agreement *items = NULL;
    size_t count = 0;
    struct error err = {0};
    if (agreement_list(req->db, &req->arena, &user, &items, &count, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take(&pager, &b, items[i].id))
            continue;
        api_write_agreement(&b, &items[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
