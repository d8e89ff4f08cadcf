/* hours_confirm_week.c — POST /api/v1/applications/{id}/hours/confirm-week
 * {week_start}: the preceptor (or staff) confirms every entry waiting in the
 * seven days from week_start → 200 {"confirmed":N} with the log. */
#include "api/rotation_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct week_body {
    const char *week_start;
};

const struct json_field api_hours_confirm_week_spec[] = {
    JSON_DATE(struct week_body, week_start, JSON_REQUIRED),
    {0},
};

void api_hours_confirm_week(struct http_request *req)
{
    struct store_user user;
    struct week_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_hours_confirm_week_spec, &body, NULL) != 0)
        return;
    int confirmed = 0;
    struct error err = {0};
    const char *id = http_param(req, "id");
    struct hours_log log;
    if (hours_confirm_week(req->db, &req->arena, &user, id, body.week_start, &confirmed, &err) != 0 ||
        hours_log_load(req->db, &req->arena, &user, id, &log, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_appendf(&b, "{\"confirmed\":%d,\"log\":", confirmed);
    api_write_hours_log(&b, &log);
    buf_append_char(&b, '}');
    http_reply_json(req, 200, &b);
}
