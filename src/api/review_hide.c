/* review_hide.c — POST /api/v1/reviews/{id}/hide {reason} (staff) → 200 the
 * review, hidden from the offering's page; audited, and its author is told
 * with the reason. 403 for others, 404 unknown, 409 hidden already. */
#include "api/evaluations_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

struct hide_body {
    const char *reason;
};

const struct json_field api_review_hide_spec[] = {
    JSON_STRING(struct hide_body, reason, JSON_REQUIRED, 1, REASON_MAX_CHARS),
    {0},
};

void api_review_hide(struct http_request *req)
{
    struct store_user user;
    struct hide_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_review_hide_spec, &body, NULL) != 0)
        return;
    struct store_review r;
    struct error err = {0};
    if (review_hide(req->db, &req->arena, &user, http_param(req, "id"), body.reason, &r, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_review(&b, &r, true);
    http_reply_json(req, 200, &b);
}
