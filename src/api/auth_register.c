/* auth_register.c — POST /api/v1/auth/register {email, password, name}:
 * creates a student account and signs it in (token and session cookie).
 * Registrations are limited per client address (429 with Retry-After). */
#include <string.h>

#include "api/api.h"
#include "api/request_specs.h"
#include "domain/auth.h"
#include "domain/two_factor.h"
#include "lib/limits.h"

struct register_body {
    const char *email, *password, *name;
};

const struct json_field api_auth_register_spec[] = {
    JSON_EMAIL(struct register_body, email, JSON_REQUIRED),
    JSON_STRING(struct register_body, password, JSON_REQUIRED, 1, PASSWORD_FIELD_MAX_BYTES),
    JSON_STRING(struct register_body, name, JSON_REQUIRED, 1, ACCOUNT_NAME_MAX_CHARS),
    {0},
};

void api_reply_signed_in(struct http_request *req, int status, const struct store_user *user)
{
    api_reply_session(req, status, user, false);
}

void api_reply_session(struct http_request *req, int status, const struct store_user *user, bool enrol_only)
{
    const char *token = NULL, *csrf = NULL;
    if (http_session_start(req, user->id, true, &token, &csrf) != DB_OK ||
        (enrol_only && two_factor_restrict_session(req->db, req->auth.token_hash) != 0)) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    req->auth.enrol_only = enrol_only;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    buf_append_str(&b, "{\"user\":");
    api_write_user(&b, user);
    if (enrol_only)
        buf_append_str(&b, ",\"second_factor_enrolment_required\":true");
    buf_append_str(&b, ",\"token\":");
    buf_append_json_string(&b, token);
    buf_append_str(&b, ",\"csrf_token\":");
    buf_append_json_string(&b, csrf);
    buf_append_char(&b, '}');
    http_reply_json(req, status, &b);
}

static void register_done(struct http_request *req, void *ctx)
{
    struct store_user user;
    struct error err = {0};
    if (auth_register_finish(req->db, &req->arena, ctx, &user, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    api_reply_signed_in(req, 201, &user);
}

void api_auth_register(struct http_request *req)
{
    struct register_body body = {0};
    if (api_parse_body(req, api_auth_register_spec, &body, NULL) != 0)
        return;
    struct auth_register_job *job = http_offload_alloc(sizeof(*job));
    struct error err = {0};
    if (job == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct auth_register_client client = {req->client_addr, req->options->registrations_per_client};
    if (auth_register_begin(req->db, &req->arena, body.email, body.name, body.password, ROLE_STUDENT, NULL, &client, job,
                            &err) != 0) {
        http_retry_after(req, job->retry_after);
        http_offload_free(job);
        http_reply_problem(req, &err);
        return;
    }
    http_offload_start(req, job, auth_register_work, register_done);
}
