/* evaluation_addendum_post.c — POST /api/v1/applications/{id}/evaluation/addenda
 * {body} (the evaluator, or staff) → 201 the evaluation with its dated
 * addenda: a submitted evaluation never changes, it is only amended. 409
 * conflict before it is submitted. */
#include "api/evaluations_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

struct addendum_body {
    const char *body;
};

const struct json_field api_evaluation_addendum_post_spec[] = {
    JSON_TEXT(struct addendum_body, body, JSON_REQUIRED, 1, EVALUATION_TEXT_MAX_CHARS),
    {0},
};

void api_evaluation_addendum_post(struct http_request *req)
{
    struct store_user user;
    struct addendum_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_evaluation_addendum_post_spec, &body, NULL) != 0)
        return;
    struct store_addendum added;
    struct evaluation_view v;
    struct error err = {0};
    const char *id = http_param(req, "id");
    if (evaluation_amend(req->db, &req->arena, &user, id, body.body, &added, &err) != 0 ||
        evaluation_load(req->db, &req->arena, &user, id, &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    api_write_evaluation(&b, &v.evaluation, v.addenda, v.addendum_count);
    http_reply_json(req, 201, &b);
}
