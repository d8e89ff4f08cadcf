/* requirement_delete.c — DELETE /api/v1/requirements/{id} → 204: the host's
 * coordinators or staff remove a requirement; 404 for anyone else. */
#include "api/documents_api.h"

void api_requirement_delete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such requirement");
        return;
    }
    struct error err = {0};
    if (requirement_remove(req->db, &req->arena, &user, id, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
