/* favourite_put.c — PUT /api/v1/favourites/{offering_id} → 204: stars an
 * offering the student may see (again is fine); 404 otherwise. */
#include "api/alerts_api.h"
#include "domain/alerts.h"

void api_favourite_put(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    if (alerts_favourite_set(req->db, &req->arena, &user, http_param(req, "id"), true, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
