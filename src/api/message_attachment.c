/* message_attachment.c — GET /api/v1/applications/{id}/messages/{message}/attachment:
 * the wallet document attached to a message, for every member of the thread
 * (student, host coordinators, preceptor, coach, staff) — a download, never
 * sniffed, never cached. 404 for anyone else, for a message of another thread
 * or without an attachment; 409 thread_closed. The domain audits each read. */
#include "api/messages_api.h"

void api_message_attachment(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *message_id = http_param(req, "message");
    if (!api_id_valid(message_id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such attachment");
        return;
    }
    struct store_document d = {0};
    const char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    if (message_attachment_read(req->db, &req->arena, &user, http_param(req, "id"), message_id, &d, &data, &len,
                                &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_file(req, d.media_type, d.file_name, false, data, len);
}
