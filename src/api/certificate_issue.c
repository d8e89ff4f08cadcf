/* certificate_issue.c — POST /api/v1/applications/{id}/certificate: issues
 * the certificate of completion of a completed rotation (its student, the
 * host side or staff; 404 for anyone else) → 201 the certificate, or 200 with
 * the one issued before; 409 rotation_not_completed before completion. */
#include "api/certificates_api.h"

#include "lib/limits.h"

void api_certificate_issue(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such application");
        return;
    }
    struct store_certificate cert;
    bool created = false;
    struct error err = {0};
    if (certificate_issue_completion(req->db, &req->arena, id, &user, &cert, &created, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_certificate(&b, &req->arena, &cert);
    http_reply_json(req, created ? 201 : 200, &b);
}
