/* preceptor_invitations.c — linking an account to a preceptor record by the
 * account's consent (domain/preceptor_invitations.h):
 *
 *   POST /api/v1/preceptors/{id}/invitations (a coordinator of the host, or
 *        staff; empty body or {}) → 201 {id, preceptor_id, sent_to,
 *        created_at, expires_at}: a link is mailed to the record's address;
 *        404, 409 conflict (linked already), 429 rate_limited.
 *   POST /api/v1/preceptor-invitations/accept {token} (signed in) → 200 the
 *        preceptor record, now linked to the caller's account; 404 unknown
 *        token, 410 invitation_expired / invitation_used, 409 conflict.
 *
 * The token travels in the body (never in a path, so it reaches no log) and
 * never in a reply. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/catalog.h"
#include "domain/preceptor_invitations.h"
#include "lib/clock.h"
#include "lib/limits.h"

const struct json_field api_preceptor_invitations_post_spec[] = {{0}};

void api_preceptor_invitations_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    char nothing = 0;
    if (req->body_len > 0 && api_parse_body(req, api_preceptor_invitations_post_spec, &nothing, NULL) != 0)
        return;
    struct store_preceptor_invitation inv;
    struct error err = {0};
    if (preceptor_invite(req->db, &req->arena, &user, http_param(req, "id"), &inv, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_preceptor p;
    if (store_preceptor_get(req->db, &req->arena, inv.preceptor_id, &p) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    char created[21], expires[21];
    clock_format_rfc3339(inv.created_at, created);
    clock_format_rfc3339(inv.expires_at, expires);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_append_str(&b, "{\"id\":");
    buf_append_json_string(&b, inv.id);
    buf_append_str(&b, ",\"preceptor_id\":");
    buf_append_json_string(&b, inv.preceptor_id);
    buf_append_str(&b, ",\"sent_to\":");
    buf_append_json_string(&b, p.email);
    buf_appendf(&b, ",\"created_at\":\"%s\",\"expires_at\":\"%s\"}", created, expires);
    http_reply_json(req, 201, &b);
}

struct accept_body {
    const char *token;
};

const struct json_field api_preceptor_invitation_accept_spec[] = {
    JSON_STRING(struct accept_body, token, JSON_REQUIRED, 1, ID_MAX_BYTES),
    {0},
};

void api_preceptor_invitation_accept(struct http_request *req)
{
    struct store_user user;
    struct accept_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_preceptor_invitation_accept_spec, &body, NULL) != 0)
        return;
    struct store_preceptor p;
    struct error err = {0};
    if (preceptor_invitation_accept(req->db, &req->arena, &user, body.token, &p, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_preceptor(&b, &p);
    http_reply_json(req, 200, &b);
}
