/* me_deletion_request.c — the signed-in person's own request to delete their
 * account (domain/deletions.h):
 *   GET    /api/v1/me/deletion-request → 200 the newest request; 404 when they never asked
 *   POST   /api/v1/me/deletion-request → 201 the pending request, due in 30 days; 403 staff
 *          and coaches; 409 deletion_pending; 409 deletion_blocked (a seat held, a rotation
 *          booked or under way, a refund owed, a payment on its way), with the reason
 *   DELETE /api/v1/me/deletion-request → 200 the request, cancelled; 404 when none is pending */
#include "api/deletions_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

static void reply(struct http_request *req, int status, const struct store_deletion_request *r)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    api_write_deletion_request(&b, r, false);
    http_reply_json(req, status, &b);
}

void api_me_deletion_request_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_latest(req->db, &req->arena, &user, &r, &err) != 0)
        http_reply_problem(req, &err);
    else
        reply(req, 200, &r);
}

const struct json_field api_me_deletion_request_post_spec[] = {
    {0},
};

void api_me_deletion_request_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    char none;
    if (req->body_len > 0 && api_parse_body(req, api_me_deletion_request_post_spec, &none, NULL) != 0)
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_request(req->db, &req->arena, &user, &r, &err) != 0)
        http_reply_problem(req, &err);
    else
        reply(req, 201, &r);
}

void api_me_deletion_request_delete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_cancel(req->db, &req->arena, &user, &r, &err) != 0)
        http_reply_problem(req, &err);
    else
        reply(req, 200, &r);
}
