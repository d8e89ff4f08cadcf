/* messages_unread.c — GET /api/v1/messages/unread: the caller's unread
 * messages over every thread → 200 {unread}. */
#include "api/messages_api.h"
#include "lib/limits.h"

void api_messages_unread(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_WORD);
    buf_appendf(&b, "{\"unread\":%lld}", (long long)message_unread_count(req->db, &user, NULL));
    http_reply_json(req, 200, &b);
}
