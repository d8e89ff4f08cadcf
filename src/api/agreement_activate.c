/* agreement_activate.c — POST /api/v1/agreements/{id}/activate (multipart:
 * file, the signed PDF) → 200 the agreement, active. Only a coordinator of
 * the side that did not propose it (403 for the proposing side, 404 for
 * anyone else); 400 without a file or with another part, 413 over the documents' cap, 415 when it
 * is not a PDF by its content, 409 when it is not proposed. */
#include "api/agreements_api.h"
#include "lib/limits.h"

void api_agreement_activate(struct http_request *req)
{
    static const char *const no_text_parts[] = {NULL};
    struct store_user user;
    if (api_current_user(req, &user) != 0 || api_check_parts(req, no_text_parts) != 0)
        return;
    const struct http_part *file = http_part(req, "file");
    struct store_agreement a;
    struct error err = {0};
    if (agreement_activate(req->db, &req->arena, &user, http_param(req, "id"), file != NULL ? file->data : NULL,
                           file != NULL ? file->len : 0, &a, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_agreement(&b, &a);
    http_reply_json(req, 200, &b);
}
