/* check_ins_get.c — GET /api/v1/applications/{id}/check-ins: the rotation's
 * check-ins, newest week first (whoever may see the application; 404
 * otherwise). */
#include "api/support_api.h"
#include "lib/limits.h"

void api_check_ins_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "checkins", "Ss") != 0)
        return;
    struct store_check_in *items;
    size_t count;
    struct error err = {0};
    if (check_ins_list(req->db, &req->arena, &user, http_param(req, "id"), &items, &count, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.s = items[i].week_start})))
            continue;
        api_write_check_in(&b, &items[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
