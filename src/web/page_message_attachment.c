/* page_message_attachment.c — GET /applications/{id}/messages/{message}/attachment:
 * the file attached to a message, opened from the thread's page by any member
 * of the thread; anyone else gets the 404 page (message_attachment_read). */
#include "domain/messages.h"
#include "web/web.h"

void web_page_message_attachment(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct store_document d = {0};
    const char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    if (message_attachment_read(req->db, &req->arena, &user, http_param(req, "id"), http_param(req, "message"), &d,
                                &data, &len, &err) != 0) {
        if (err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL) {
            http_reply_error(req, err.code, NULL, NULL);
            return;
        }
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This file does not exist, or it is not yours to see");
        return;
    }
    http_reply_file(req, d.media_type, d.file_name, true, data, len);
}
