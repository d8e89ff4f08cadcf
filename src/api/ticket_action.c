/* ticket_action.c — POST /api/v1/tickets/{id}/{action}: resolve, reopen, or
 * assign {assignee_id} (staff) → 200 the ticket; 404 for an unknown action
 * or a ticket the caller may not see, 409 when the status is already so, 422
 * naming assignee_id when it is not a coach or staff member. */
#include "api/support_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct action_body {
    const char *assignee_id;
};

const struct json_field api_ticket_action_spec[] = {
    JSON_STRING(struct action_body, assignee_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    {0},
};

void api_ticket_action(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct action_body body = {0};
    struct error err = {0};
    if (req->body_len > 0 &&
        json_spec_parse(&req->arena, req->body, req->body_len, api_ticket_action_spec, &body, NULL, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct ticket_view v;
    const char *id = http_param(req, "id");
    if (ticket_act(req->db, &req->arena, &user, id, http_param(req, "action"), body.assignee_id, &err) != 0 ||
        ticket_load(req->db, &req->arena, &user, id, &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_ticket(&b, &v.ticket, clock_now());
    http_reply_json(req, 200, &b);
}
