/* coaches_get.c — GET /api/v1/coaches (staff): every coach with their count
 * of active students, as automatic assignment sees them. */
#include "api/rotation_api.h"
#include "domain/accounts.h"
#include "lib/limits.h"

void api_coaches_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "coaches", "ss") != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff see the coaches");
        return;
    }
    struct store_coach *coaches;
    size_t count;
    if (store_coaches_list(req->db, &req->arena, &coaches, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, coaches[i].id, API_KEY({.s = coaches[i].name})))
            continue;
        api_write_coach(&b, &coaches[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
