/* auth_login.c — POST /api/v1/auth/login {email, password} → {user, token, csrf_token}.
 * An account with two-factor sign-in gets {second_factor_required, challenge}
 * instead, and its token from POST /api/v1/auth/login/second-factor.
 * Wrong → 401 invalid_credentials; too many failures (of the account from this
 * client address, of the account from everywhere, from this address; counted
 * in the database), or an attempt before its growing delay is over → 429 with
 * Retry-After. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/auth.h"
#include "lib/limits.h"

struct login_body {
    const char *email, *password;
};

const struct json_field api_auth_login_spec[] = {
    JSON_STRING(struct login_body, email, JSON_REQUIRED, 1, EMAIL_MAX_BYTES),
    JSON_STRING(struct login_body, password, JSON_REQUIRED, 1, PASSWORD_FIELD_MAX_BYTES),
    {0},
};

static void login_done(struct http_request *req, void *ctx)
{
    struct store_user user;
    struct error err = {0};
    if (auth_login_finish(req->db, &req->arena, ctx, req->client_addr, &user, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    api_reply_after_password(req, &user);
}

void api_auth_login(struct http_request *req)
{
    struct login_body body = {0};
    if (api_parse_body(req, api_auth_login_spec, &body, NULL) != 0)
        return;
    struct auth_login_job *job = http_offload_alloc(sizeof(*job));
    struct error err = {0};
    if (job == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct auth_login_limits limits = {req->options->login_failures_per_account_client,
                                       req->options->login_failures_per_account, req->options->login_failures_per_client};
    if (auth_login_begin(req->db, &req->arena, body.email, body.password, req->client_addr, &limits, job, &err) !=
        0) {
        http_retry_after(req, job->retry_after);
        http_offload_free(job);
        http_reply_problem(req, &err);
        return;
    }
    http_offload_start(req, job, auth_login_work, login_done);
}
