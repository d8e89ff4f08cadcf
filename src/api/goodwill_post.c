/* goodwill_post.c — POST /api/v1/applications/{id}/refunds {amount_cents,
 * reason} (staff): a refund beyond the policy, up to what is left of what the
 * student paid, back through the providers that took it; the reason goes to
 * the audit trail. → 201 the application's statement. */
#include "api/money_api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"

struct goodwill_body {
    int64_t amount_cents;
    const char *reason;
};

const struct json_field api_goodwill_post_spec[] = {
    JSON_INT(struct goodwill_body, amount_cents, JSON_REQUIRED, 1, MONEY_AMOUNT_MAX_CENTS),
    JSON_TEXT(struct goodwill_body, reason, JSON_REQUIRED, 1, REASON_MAX_CHARS),
    {0},
};

void api_goodwill_post(struct http_request *req)
{
    struct store_user user;
    struct goodwill_body body = {0};
    if (api_current_user(req, &user) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff grant goodwill refunds");
        return;
    }
    if (api_parse_body(req, api_goodwill_post_spec, &body, NULL) != 0)
        return;
    struct error err = {0};
    const char *id = http_param(req, "id");
    if (money_goodwill_refund(req->db, &req->arena, &user, id, body.amount_cents, body.reason, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_application a;
    if (store_application_get(req->db, &req->arena, id, &a) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 256 * 1024);
    if (api_write_statement(req, &b, &a) != 0)
        return;
    http_reply_json(req, 201, &b);
}
