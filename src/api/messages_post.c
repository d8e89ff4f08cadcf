/* messages_post.c — POST /api/v1/applications/{id}/messages {body,
 * document_id?}: a message to the thread (its members and staff) → 201.
 * 400 naming body (empty, control characters), 413 naming body over
 * MESSAGE_MAX_CHARS, 404 for a thread the caller may not see or a
 * document_id not in their wallet, 409 thread_closed before an offer, 429
 * over the sending limit. */
#include "api/messages_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct message_body {
    const char *body, *document_id;
};

const struct json_field api_messages_post_spec[] = {
    JSON_TEXT(struct message_body, body, JSON_REQUIRED, 1, API_MESSAGE_TEXT_PARSE_MAX),
    JSON_STRING(struct message_body, document_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    {0},
};

void api_messages_post(struct http_request *req)
{
    struct store_user user;
    struct message_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_messages_post_spec, &body, NULL) != 0)
        return;
    struct store_message m;
    struct error err = {0};
    if (message_post(req->db, &req->arena, &user, http_param(req, "id"), body.body, body.document_id, &m, &err) !=
        0) {
        if (err.code == ERR_RATE_LIMITED)
            http_retry_after(req, 60);
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_message(&b, &m, user.id);
    http_reply_json(req, 201, &b);
}
