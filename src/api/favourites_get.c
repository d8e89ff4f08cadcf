/* favourites_get.c — GET /api/v1/favourites → {"items":[…]}: the student's
 * starred offerings as search cards (those still published), newest first. */
#include "api/alerts_api.h"
#include "domain/catalog_index.h"
#include "lib/limits.h"

void api_favourites_get(struct http_request *req)
{
    struct api_pager pager;
    if (api_pager_start(req, &pager, "favourites", "NNs") != 0)
        return;
    struct store_favourite *stars;
    size_t count;
    if (store_favourites_keyed(req->db, &req->arena, req->auth.user_id, &stars, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        struct catalog_hit hit;
        if (!catalog_index_hit(&req->arena, stars[i].offering_id, &hit) ||
            !api_pager_take_keyed(&pager, &b, stars[i].offering_id,
                                  API_KEY({.n = stars[i].position}, {.n = stars[i].created_at})))
            continue;
        api_write_catalog_hit(&b, &hit);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
