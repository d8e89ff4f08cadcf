/* ticket_reply.c — POST /api/v1/tickets/{id}/replies {body}: a reply by the
 * requester or a supporter (coach, assignee, staff) → 201; the first reply of
 * a supporter is the first response. 413 naming body over its limit, 409 on a
 * resolved ticket, 404 for a ticket the caller may not see. */
#include "api/support_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct reply_body {
    const char *body;
};

const struct json_field api_ticket_reply_spec[] = {
    JSON_TEXT(struct reply_body, body, JSON_REQUIRED, 1, API_SUPPORT_TEXT_PARSE_MAX),
    {0},
};

void api_ticket_reply(struct http_request *req)
{
    struct store_user user;
    struct reply_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_ticket_reply_spec, &body, NULL) != 0)
        return;
    struct error err = {0};
    struct ticket_view v;
    const char *id = http_param(req, "id");
    if (ticket_reply(req->db, &req->arena, &user, id, body.body, &err) != 0 ||
        ticket_load(req->db, &req->arena, &user, id, &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_ticket(&b, &v.ticket, clock_now());
    http_reply_json(req, 201, &b);
}
