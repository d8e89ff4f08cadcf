/* ticket_get.c — GET /api/v1/tickets/{id}: one ticket with every event
 * (opened, replies, status changes, assignments, escalations), for its
 * requester, the student's coach, its assignee and staff; 404 otherwise. */
#include "api/support_api.h"
#include "lib/limits.h"

void api_ticket_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct ticket_view v;
    struct error err = {0};
    if (ticket_load(req->db, &req->arena, &user, http_param(req, "id"), &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"ticket\":");
    api_write_ticket(&b, &v.ticket, clock_now());
    buf_append_str(&b, ",\"events\":[");
    for (size_t i = 0; i < v.event_count; i++) {
        const struct store_ticket_event *e = &v.events[i];
        buf_append_str(&b, i > 0 ? ",{\"kind\":" : "{\"kind\":");
        buf_append_json_string(&b, e->kind);
        buf_append_str(&b, ",\"actor\":");
        if (e->actor_id != NULL) {
            buf_append_str(&b, "{\"id\":");
            buf_append_json_string(&b, e->actor_id);
            buf_append_str(&b, ",\"name\":");
            buf_append_json_string(&b, e->actor_name);
            buf_append_char(&b, '}');
        } else {
            buf_append_str(&b, "null");
        }
        buf_append_str(&b, ",\"body\":");
        buf_append_json_string(&b, e->body);
        api_write_instant(&b, "at", e->created_at);
        buf_append_char(&b, '}');
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
