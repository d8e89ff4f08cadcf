/* review_reply.c — POST /api/v1/reviews/{id}/reply {reply} (the host's
 * coordinators, or staff) → 200 the review with the host's answer; once
 * (409 already_submitted), 403 for anyone else, 404 unknown or hidden. */
#include "api/evaluations_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

struct reply_body {
    const char *reply;
};

const struct json_field api_review_reply_spec[] = {
    JSON_TEXT(struct reply_body, reply, JSON_REQUIRED, 1, REVIEW_TEXT_MAX_CHARS),
    {0},
};

void api_review_reply(struct http_request *req)
{
    struct store_user user;
    struct reply_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_review_reply_spec, &body, NULL) != 0)
        return;
    struct store_review r;
    struct error err = {0};
    if (review_reply(req->db, &req->arena, &user, http_param(req, "id"), body.reply, &r, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_review(&b, &r, false);
    http_reply_json(req, 200, &b);
}
