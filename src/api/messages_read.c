/* messages_read.c — POST /api/v1/applications/{id}/messages/read: the read
 * marker; the caller's unread count of the thread becomes 0 → 200
 * {unread:0}. 404/409 as for reading the thread. */
#include "api/messages_api.h"
#include "lib/limits.h"

void api_messages_read(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    if (message_mark_read(req->db, &req->arena, &user, http_param(req, "id"), &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_WORD);
    buf_append_str(&b, "{\"unread\":0}");
    http_reply_json(req, 200, &b);
}
