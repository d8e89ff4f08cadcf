/* saved_search_delete.c — DELETE /api/v1/saved-searches/{id} → 204; 404
 * unless it is the caller's. */
#include "api/alerts_api.h"
#include "domain/alerts.h"

void api_saved_search_delete(struct http_request *req)
{
    struct error err = {0};
    if (alerts_saved_search_delete(req->db, req->auth.user_id, http_param(req, "id"), &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
