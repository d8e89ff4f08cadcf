/* document_verify.c — POST /api/v1/documents/{id}/verify (staff), with an
 * empty body or {} → 200 the document, verified; 409 invalid_transition
 * when it is not a current document waiting for verification; 404 for
 * anyone but staff. */
#include "api/documents_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

const struct json_field api_document_verify_spec[] = {
    {0},
};

void api_document_verify(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such document");
        return;
    }
    char none;
    if (req->body_len > 0 && api_parse_body(req, api_document_verify_spec, &none, NULL) != 0)
        return;
    struct store_document d = {0};
    struct error err = {0};
    if (document_verify(req->db, &req->arena, id, &user, &d, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_document(&b, &d, NULL, 0);
    http_reply_json(req, 200, &b);
}
