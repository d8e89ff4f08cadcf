/* document_file.c — GET /api/v1/documents/{id}/file?disposition=attachment
 * (default) or inline: the document's original bytes with its stored media
 * type, for whoever may see the document (404 for anyone else); every read
 * is written to the audit trail by the domain. The reply is a download by
 * default, never sniffed, never cached, sandboxed, and may be framed only
 * by Rounds' own pages (the staff viewer); the file is opened as it is sent. */
#include <string.h>

#include "api/documents_api.h"
#include "http/reply_file.h"

void api_document_file(struct http_request *req)
{
    struct store_user user;
    const char *disposition;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "disposition", &disposition) != 0)
        return;
    bool inline_view = false;
    if (disposition != NULL) {
        if (strcmp(disposition, "inline") == 0) {
            inline_view = true;
        } else if (strcmp(disposition, "attachment") != 0) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "disposition", "must be inline or attachment");
            return;
        }
    }
    const char *id = http_param(req, "id");
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such document");
        return;
    }
    struct store_document d = {0};
    struct byte_source file;
    struct error err = {0};
    if (document_open_file(req->db, &req->arena, id, &user, &d, &file, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_file_stream(req, d.media_type, d.file_name, inline_view, &file);
}
