/* document_delete.c — DELETE /api/v1/documents/{id}: the student deletes a
 * document with its history → 204; 409 document_in_use while it is attached
 * to a booked, cleared or in-progress application; 404 for anyone else. */
#include "api/documents_api.h"

void api_document_delete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such document");
        return;
    }
    struct error err = {0};
    if (document_delete(req->db, &req->arena, id, &user, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
