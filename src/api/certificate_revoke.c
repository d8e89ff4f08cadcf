/* certificate_revoke.c — POST /api/v1/certificates/{number}/revoke {reason}
 * (staff): the document stays, /verify/{number} says it was revoked. 403 for
 * others, 404 unknown, 409 already_revoked, 400 naming reason. */
#include "api/certificates_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

struct revoke_body {
    const char *reason;
};

const struct json_field api_certificate_revoke_spec[] = {
    JSON_STRING(struct revoke_body, reason, JSON_REQUIRED, 1, REASON_MAX_CHARS),
    {0},
};

void api_certificate_revoke(struct http_request *req)
{
    struct store_user user;
    struct revoke_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_certificate_revoke_spec, &body, NULL) != 0)
        return;
    struct store_certificate cert;
    struct error err = {0};
    if (certificate_revoke(req->db, &req->arena, http_param(req, "number"), &user, body.reason, &cert, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_certificate(&b, &req->arena, &cert);
    http_reply_json(req, 200, &b);
}
