/* hours_get.c — GET /api/v1/applications/{id}/hours: the rotation's hours
 * log with its totals (whoever may see the application; 404 otherwise). */
#include "api/rotation_api.h"
#include "lib/limits.h"

void api_hours_list(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct hours_log log;
    struct error err = {0};
    if (hours_log_load(req->db, &req->arena, &user, http_param(req, "id"), &log, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    api_write_hours_log(&b, &log);
    http_reply_json(req, 200, &b);
}
