/* waitlist_delete.c — DELETE /api/v1/blocks/{id}/waitlist → 204: the student
 * leaves the block's list; 404 when not waiting on it. */
#include "api/alerts_api.h"
#include "domain/waitlist.h"

void api_waitlist_delete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    if (waitlist_leave(req->db, &user, http_param(req, "id"), &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
