/* auth_password_reset.c — POST /api/v1/auth/password-reset {email} → 202:
 * a single-use link to choose a new password goes to the address when it has
 * an account; the answer is the same either way. Too many asks (for the
 * address, or from this client address, in the last hour) → 429 with
 * Retry-After. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/password_reset.h"
#include "lib/limits.h"

struct reset_request_body {
    const char *email;
};

const struct json_field api_auth_password_reset_spec[] = {
    JSON_STRING(struct reset_request_body, email, JSON_REQUIRED, 1, EMAIL_MAX_BYTES),
    {0},
};

void api_auth_password_reset(struct http_request *req)
{
    struct reset_request_body body = {0};
    if (api_parse_body(req, api_auth_password_reset_spec, &body, NULL) != 0)
        return;
    struct error err = {0};
    int64_t retry_after = 0;
    if (password_reset_request(req->db, &req->arena, body.email, req->client_addr,
                               req->options->password_resets_per_client, &retry_after, &err) != 0) {
        http_retry_after(req, retry_after);
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    buf_append_str(&b, "{\"detail\":\"If an account has this address, a link to choose a new password is on its "
                       "way. It works once, for one hour.\"}");
    http_reply_json(req, 202, &b);
}
