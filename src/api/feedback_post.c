/* feedback_post.c — POST /api/v1/applications/{id}/feedback {teaching,
 * supervision, feedback, environment, overall (1–5), comments?} (the
 * rotation's student, once it is completed) → 201 {"submitted":true}. The
 * answers stay confidential: hosts see only aggregates over at least
 * FEEDBACK_MIN_STUDENTS students. */
#include "api/evaluations_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

struct feedback_body {
    int64_t teaching, supervision, feedback, environment, overall;
    const char *comments;
};

const struct json_field api_feedback_post_spec[] = {
    JSON_INT(struct feedback_body, teaching, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct feedback_body, supervision, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct feedback_body, feedback, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct feedback_body, environment, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct feedback_body, overall, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_TEXT(struct feedback_body, comments, JSON_NULLABLE, 0, FEEDBACK_TEXT_MAX_CHARS),
    {0},
};

void api_feedback_post(struct http_request *req)
{
    struct store_user user;
    struct feedback_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_feedback_post_spec, &body, NULL) != 0)
        return;
    struct feedback_input in = {
        .scores = {body.teaching, body.supervision, body.feedback, body.environment, body.overall},
        .comments = body.comments,
    };
    struct error err = {0};
    if (feedback_submit(req->db, &req->arena, &user, http_param(req, "id"), &in, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    buf_append_str(&b, "{\"submitted\":true}");
    http_reply_json(req, 201, &b);
}
