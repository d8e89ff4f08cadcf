/* me_two_factor.c — the signed-in account's second factor (TOTP):
 *   GET  /api/v1/me/two-factor          → {enabled, pending, required, recovery_codes_left}
 *   POST /api/v1/me/two-factor          (empty body or {}) → 201 {secret, otpauth_uri}: a new
 *        secret waiting for its first code (409 conflict when one is on already)
 *   POST /api/v1/me/two-factor/confirm  {code} → 200 {enabled:true, recovery_codes:[10]}, the
 *        only time the recovery codes are shown (400 field code when the code is wrong)
 *   POST /api/v1/me/two-factor/disable  {code} → 204 (a current code or a recovery code;
 *        403 for a role that requires it)
 * The first three are open to a session that may only enrol. */
#include <string.h>

#include "api/api.h"
#include "api/request_specs.h"
#include "domain/two_factor.h"
#include "lib/limits.h"

static void write_status(struct buf *b, const struct two_factor_status *s)
{
    buf_appendf(b, "{\"enabled\":%s,\"pending\":%s,\"required\":%s,\"recovery_codes_left\":%lld}",
                s->enabled ? "true" : "false", s->pending ? "true" : "false", s->required ? "true" : "false",
                (long long)s->recovery_left);
}

void api_me_two_factor_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct two_factor_status status;
    struct error err = {0};
    if (two_factor_status(req->db, &req->arena, &user, req->options->two_factor_roles, &status, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    write_status(&b, &status);
    http_reply_json(req, 200, &b);
}

const struct json_field api_me_two_factor_post_spec[] = {
    {0},
};

void api_me_two_factor_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    char none;
    if (req->body_len > 0 && api_parse_body(req, api_me_two_factor_post_spec, &none, NULL) != 0)
        return;
    struct two_factor_setup setup;
    struct error err = {0};
    if (two_factor_enrol_begin(req->db, &req->arena, &user, &setup, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_append_str(&b, "{\"secret\":");
    buf_append_json_string(&b, setup.secret);
    buf_append_str(&b, ",\"otpauth_uri\":");
    buf_append_json_string(&b, setup.uri);
    buf_append_char(&b, '}');
    http_reply_json(req, 201, &b);
}

struct code_body {
    const char *code;
};

const struct json_field api_two_factor_code_spec[] = {
    JSON_STRING(struct code_body, code, JSON_REQUIRED, 1, TOTP_CODE_INPUT_MAX_BYTES),
    {0},
};

void api_me_two_factor_confirm(struct http_request *req)
{
    struct store_user user;
    struct code_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_two_factor_code_spec, &body, NULL) != 0)
        return;
    char codes[RECOVERY_CODE_COUNT][20];
    struct error err = {0};
    if (two_factor_enrol_confirm(req->db, &req->arena, &user, body.code, codes, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    req->auth.enrol_only = false;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_append_str(&b, "{\"enabled\":true,\"recovery_codes\":[");
    for (size_t i = 0; i < RECOVERY_CODE_COUNT; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        buf_append_json_string(&b, codes[i]);
    }
    buf_append_str(&b, "]}");
    explicit_bzero(codes, sizeof(codes));
    http_reply_json(req, 200, &b);
}

void api_me_two_factor_disable(struct http_request *req)
{
    struct store_user user;
    struct code_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_two_factor_code_spec, &body, NULL) != 0)
        return;
    struct error err = {0};
    if (two_factor_disable(req->db, &req->arena, &user, req->options->two_factor_roles, body.code, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
