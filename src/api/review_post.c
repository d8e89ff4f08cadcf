/* review_post.c — POST /api/v1/applications/{id}/rotation-review {teaching, hands_on,
 * organisation, value_for_money, overall (1–5), body, publish_as
 * ("full_name" | "first_name_and_country")} (the student of a completed
 * rotation, once, within REVIEW_WINDOW_DAYS of its last day) → 201 the
 * review, shown at once on the offering's page. 403 for anyone else or a
 * rotation not completed, 409 already_submitted, 422 naming a rating outside
 * 1–5 or when the window has closed. */
#include "api/evaluations_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

static const char *const publish_as_names[] = {"full_name", "first_name_and_country", NULL};

struct review_body {
    int64_t teaching, hands_on, organisation, value_for_money, overall;
    const char *body, *publish_as;
};

const struct json_field api_review_post_spec[] = {
    JSON_INT(struct review_body, teaching, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct review_body, hands_on, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct review_body, organisation, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct review_body, value_for_money, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_INT(struct review_body, overall, JSON_REQUIRED, INT32_MIN, INT32_MAX),
    JSON_TEXT(struct review_body, body, JSON_REQUIRED, 1, REVIEW_TEXT_MAX_CHARS),
    JSON_ENUM(struct review_body, publish_as, JSON_OPTIONAL, publish_as_names),
    {0},
};

void api_review_post(struct http_request *req)
{
    struct store_user user;
    struct review_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_review_post_spec, &body, NULL) != 0)
        return;
    struct review_input in = {
        .scores = {body.teaching, body.hands_on, body.organisation, body.value_for_money, body.overall},
        .body = body.body,
        .first_name_and_country = body.publish_as != NULL && body.publish_as == publish_as_names[1],
    };
    struct store_review r;
    struct error err = {0};
    if (review_submit(req->db, &req->arena, &user, http_param(req, "id"), &in, &r, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_review(&b, &r, false);
    http_reply_json(req, 201, &b);
}
