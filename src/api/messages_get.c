/* messages_get.c — GET /api/v1/applications/{id}/messages: the thread of an
 * application (its newest MESSAGE_THREAD_SHOWN messages, oldest first) with
 * the caller's unread count, for its members and staff; 404 for anyone else,
 * 409 thread_closed before an offer. Reading does not mark it read (POST
 * …/messages/read does). */
#include "api/messages_api.h"
#include "lib/limits.h"

void api_messages_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct message_thread t;
    struct error err = {0};
    if (message_thread_load(req->db, &req->arena, &user, http_param(req, "id"), &t, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_EXPORT);
    buf_append_str(&b, "{\"application_id\":");
    buf_append_json_string(&b, t.application.id);
    buf_appendf(&b, ",\"unread\":%lld,\"messages\":[", (long long)t.unread);
    for (size_t i = 0; i < t.count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_message(&b, &t.messages[i], user.id);
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
