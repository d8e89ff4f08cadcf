/* agreement_terminate.c — POST /api/v1/agreements/{id}/terminate {reason}
 * (a coordinator of either side, or staff) → 200 the agreement, terminated;
 * 400 without a reason, 409 when it has ended already. */
#include "api/agreements_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct terminate_body {
    const char *reason;
};

const struct json_field api_agreement_terminate_spec[] = {
    JSON_TEXT(struct terminate_body, reason, JSON_REQUIRED, 0, REASON_MAX_CHARS),
    {0},
};

void api_agreement_terminate(struct http_request *req)
{
    struct store_user user;
    struct terminate_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_agreement_terminate_spec, &body, NULL) != 0)
        return;
    struct store_agreement a;
    struct error err = {0};
    if (agreement_terminate(req->db, &req->arena, &user, http_param(req, "id"), body.reason, &a, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_agreement(&b, &a);
    http_reply_json(req, 200, &b);
}
