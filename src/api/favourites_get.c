/* favourites_get.c — GET /api/v1/favourites → {"items":[…]}: the student's
 * starred offerings as search cards (those still published), newest first. */
#include "api/alerts_api.h"
#include "domain/catalog_index.h"
#include "lib/limits.h"

void api_favourites_get(struct http_request *req)
{
    const char **ids;
    size_t count;
    if (store_favourites_of(req->db, &req->arena, req->auth.user_id, &ids, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    size_t written = 0;
    for (size_t i = 0; i < count; i++) {
        struct catalog_hit hit;
        if (!catalog_index_hit(&req->arena, ids[i], &hit))
            continue;
        if (written++ > 0)
            buf_append_char(&b, ',');
        api_write_catalog_hit(&b, &hit);
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
