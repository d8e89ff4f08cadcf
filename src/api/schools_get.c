/* schools_get.c — GET /api/v1/schools → {items:[{id,name,kind}]}: the partner
 * schools, for a student choosing one to ask to join (signed in). */
#include "api/schools_api.h"
#include "lib/limits.h"

void api_schools_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "schools", "ss") != 0)
        return;
    struct store_organization *schools = NULL;
    size_t count = 0;
    if (store_schools_list(req->db, &req->arena, &schools, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, schools[i].id, API_KEY({.s = schools[i].name})))
            continue;
        api_write_organization(&b, schools[i].id, schools[i].name, schools[i].kind);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
