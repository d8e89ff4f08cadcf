/* auth_password_reset_confirm.c — POST /api/v1/auth/password-reset/confirm
 * {token, password} → 204: the emailed link's token sets the new password
 * (the password rules apply: 400 weak_password) and ends every session of
 * the account. A used, expired or unknown token → 404. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/password_reset.h"
#include "lib/limits.h"

struct reset_confirm_body {
    const char *token, *password;
};

const struct json_field api_auth_password_reset_confirm_spec[] = {
    JSON_STRING(struct reset_confirm_body, token, JSON_REQUIRED, 1, LINK_TOKEN_MAX_BYTES),
    JSON_STRING(struct reset_confirm_body, password, JSON_REQUIRED, 1, PASSWORD_FIELD_MAX_BYTES),
    {0},
};

static void reset_done(struct http_request *req, void *ctx)
{
    struct error err = {0};
    if (password_reset_finish(req->db, &req->arena, ctx, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}

void api_auth_password_reset_confirm(struct http_request *req)
{
    struct reset_confirm_body body = {0};
    if (api_parse_body(req, api_auth_password_reset_confirm_spec, &body, NULL) != 0)
        return;
    struct password_reset_job *job = http_offload_alloc(sizeof(*job));
    struct error err = {0};
    if (job == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (password_reset_begin(req->db, &req->arena, body.token, body.password, job, &err) != 0) {
        http_offload_free(job);
        http_reply_problem(req, &err);
        return;
    }
    http_offload_start(req, job, password_reset_work, reset_done);
}
