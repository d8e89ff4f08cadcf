/* check_ins_post.c — POST /api/v1/applications/{id}/check-ins {score,
 * needs_help, activities?} (the rotation's student, while it is under way)
 * → 201 the check-in, with the ticket it opened for the coach when the
 * student asked for help or scored 2 or less (domain/check_ins.h lists the
 * refusals). */
#include "api/support_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct check_in_body {
    int64_t score;
    bool needs_help;
    const char *activities;
};

const struct json_field api_check_ins_post_spec[] = {
    JSON_INT(struct check_in_body, score, JSON_REQUIRED, 1, 5),
    JSON_BOOL(struct check_in_body, needs_help, JSON_REQUIRED),
    JSON_TEXT(struct check_in_body, activities, JSON_OPTIONAL, 0, API_SUPPORT_TEXT_PARSE_MAX),
    {0},
};

void api_check_ins_post(struct http_request *req)
{
    struct store_user user;
    struct check_in_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_check_ins_post_spec, &body, NULL) != 0)
        return;
    struct check_in_input in = {body.score, body.activities, body.needs_help};
    struct store_check_in c = {0};
    struct error err = {0};
    if (check_in_submit(req->db, &req->arena, &user, http_param(req, "id"), &in, &c, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_check_in(&b, &c);
    http_reply_json(req, 201, &b);
}
