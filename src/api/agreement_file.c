/* agreement_file.c — GET /api/v1/agreements/{id}/file: the signed PDF of an
 * agreement, as a download, for its two sides' coordinators and staff (404
 * for anyone else, and before it is signed); every read is audited. */
#include "api/agreements_api.h"

void api_agreement_file(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_agreement a;
    const char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    if (agreement_read_file(req->db, &req->arena, &user, http_param(req, "id"), &a, &data, &len, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_file(req, "application/pdf", "affiliation-agreement.pdf", false, data, len);
}
