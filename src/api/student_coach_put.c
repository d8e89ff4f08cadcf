/* student_coach_put.c — PUT /api/v1/students/{id}/coach {coach_id} (staff):
 * makes coach_id the student's coach → 200 {"student_id","coach"}; 404 for
 * anyone else or no such student, 422 naming coach_id when it is not a coach. */
#include "api/rotation_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct coach_body {
    const char *coach_id;
};

const struct json_field api_student_coach_put_spec[] = {
    JSON_STRING(struct coach_body, coach_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    {0},
};

void api_student_coach_put(struct http_request *req)
{
    struct store_user user;
    struct coach_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_student_coach_put_spec, &body, NULL) != 0)
        return;
    const char *student_id = http_param(req, "id");
    struct store_coach coach;
    struct error err = {0};
    if (coach_reassign(req->db, &req->arena, &user, student_id, body.coach_id, &coach, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_append_str(&b, "{\"student_id\":");
    buf_append_json_string(&b, student_id);
    buf_append_str(&b, ",\"coach\":");
    api_write_coach(&b, &coach);
    buf_append_char(&b, '}');
    http_reply_json(req, 200, &b);
}
