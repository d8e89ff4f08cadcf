/* preceptor_verify.c — POST /api/v1/preceptors/{id}/verify {verified?,
 * license_expires?} (staff only): marks the preceptor verified (or, with
 * {"verified":false}, not). Verifying needs the licence's expiry date, sent
 * or stored, in the future (400 naming license_expires); when it passes, the
 * jobs thread removes the mark. The mark shows on every offering of the
 * preceptor, in search at once. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"
#include "domain/catalog.h"
#include "lib/limits.h"

struct verify_body {
    bool verified;
    const char *license_expires;
};

const struct json_field api_preceptor_verify_spec[] = {
    JSON_BOOL(struct verify_body, verified, JSON_OPTIONAL),
    JSON_DATE(struct verify_body, license_expires, JSON_OPTIONAL),
    {0},
};

void api_preceptor_verify(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff verify preceptors");
        return;
    }
    struct verify_body body = {.verified = true};
    if (req->body_len > 0 && api_parse_body(req, api_preceptor_verify_spec, &body, NULL) != 0)
        return;
    const char *id = http_param(req, "id");
    struct error err = {0};
    if (catalog_preceptor_verify(req->db, id, body.verified, body.license_expires, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_preceptor p;
    if (store_preceptor_get(req->db, &req->arena, id, &p) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_preceptor(&b, &p);
    http_reply_json(req, 200, &b);
}
