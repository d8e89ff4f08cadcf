/* waitlist_post.c — POST /api/v1/blocks/{id}/waitlist (a student, no body)
 * → 201 the place, with its position and how many wait ahead. A block with a
 * free seat → 409 conflict (apply instead); twice → 409; not eligible
 * or already applied → 422; no such open block → 404. */
#include "api/alerts_api.h"
#include "domain/waitlist.h"
#include "lib/limits.h"

void api_waitlist_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_waitlist_entry e;
    struct error err = {0};
    if (waitlist_join(req->db, &req->arena, &user, http_param(req, "id"), &e, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_waitlist_entry(&b, &e, false);
    http_reply_json(req, 201, &b);
}
