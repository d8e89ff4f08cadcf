/* auth_confirm.c — POST /api/v1/auth/confirm {token} → 200 {user}: the
 * emailed link's token confirms the account's address (a welcome email
 * follows the first time); no session is needed. A used, expired or unknown
 * token → 404.
 * POST /api/v1/auth/confirm/resend → 202: a new link for the signed-in
 * account (409 when confirmed already, 429 after 3 in an hour). */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/email_confirmation.h"
#include "lib/limits.h"

struct confirm_body {
    const char *token;
};

const struct json_field api_auth_confirm_spec[] = {
    JSON_STRING(struct confirm_body, token, JSON_REQUIRED, 1, LINK_TOKEN_MAX_BYTES),
    {0},
};

void api_auth_confirm(struct http_request *req)
{
    struct confirm_body body = {0};
    if (api_parse_body(req, api_auth_confirm_spec, &body, NULL) != 0)
        return;
    struct store_user user;
    struct error err = {0};
    bool first = false;
    if (email_confirmation_confirm(req->db, &req->arena, body.token, &user, &first, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    buf_append_str(&b, "{\"user\":");
    api_write_user(&b, &user);
    buf_appendf(&b, ",\"newly_confirmed\":%s}", first ? "true" : "false");
    http_reply_json(req, 200, &b);
}

void api_auth_confirm_resend(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    int64_t retry_after = 0;
    if (email_confirmation_resend(req->db, &req->arena, &user, &retry_after, &err) != 0) {
        http_retry_after(req, retry_after);
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    buf_append_str(&b, "{\"detail\":\"A new confirmation link is on its way. It works once, for 7 days.\",\"email\":");
    buf_append_json_string(&b, user.email);
    buf_append_char(&b, '}');
    http_reply_json(req, 202, &b);
}
