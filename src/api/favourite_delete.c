/* favourite_delete.c — DELETE /api/v1/favourites/{offering_id} → 204; 404
 * when it was not starred. */
#include "api/alerts_api.h"
#include "domain/alerts.h"

void api_favourite_delete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    if (alerts_favourite_set(req->db, &req->arena, &user, http_param(req, "id"), false, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
