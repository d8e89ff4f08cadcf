/* auth_second_factor.c — the second step of a login and what follows a right
 * password. POST /api/v1/auth/login/second-factor {challenge, code} →
 * {user, token, csrf_token}: code is the 6 digits of the authenticator app
 * or an unused recovery code. A wrong, reused or expired code, or a challenge
 * that expired or was used up, → 401 invalid_credentials with the message of
 * a wrong password, counted by the login limits (429 with Retry-After). */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/two_factor.h"
#include "lib/limits.h"

void api_reply_after_password(struct http_request *req, const struct store_user *user)
{
    enum two_factor_next next = TWO_FACTOR_NONE;
    char challenge[44];
    struct error err = {0};
    if (two_factor_after_password(req->db, &req->arena, user, req->options->two_factor_roles, &next, challenge, &err) !=
        0) {
        http_reply_problem(req, &err);
        return;
    }
    if (next != TWO_FACTOR_CHALLENGE) {
        api_reply_session(req, 200, user, next == TWO_FACTOR_ENROL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_append_str(&b, "{\"second_factor_required\":true,\"challenge\":");
    buf_append_json_string(&b, challenge);
    buf_appendf(&b, ",\"expires_in\":%d}", LOGIN_CHALLENGE_SECONDS);
    http_reply_json(req, 200, &b);
}

struct second_factor_body {
    const char *challenge, *code;
};

const struct json_field api_auth_second_factor_spec[] = {
    JSON_STRING(struct second_factor_body, challenge, JSON_REQUIRED, 1, LINK_TOKEN_MAX_BYTES),
    JSON_STRING(struct second_factor_body, code, JSON_REQUIRED, 1, TOTP_CODE_INPUT_MAX_BYTES),
    {0},
};

void api_auth_second_factor(struct http_request *req)
{
    struct second_factor_body body = {0};
    if (api_parse_body(req, api_auth_second_factor_spec, &body, NULL) != 0)
        return;
    struct auth_login_limits limits = {req->options->login_failures_per_account_client,
                                       req->options->login_failures_per_account, req->options->login_failures_per_client};
    struct store_user user;
    struct error err = {0};
    int64_t retry_after = 0;
    if (two_factor_login(req->db, &req->arena, body.challenge, body.code, req->client_addr, &limits, &user,
                         &retry_after, &err) != 0) {
        http_retry_after(req, retry_after);
        http_reply_problem(req, &err);
        return;
    }
    api_reply_signed_in(req, 200, &user);
}
