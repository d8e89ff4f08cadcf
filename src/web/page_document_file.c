/* page_document_file.c — GET /documents/{id}/file: a document's file for the
 * pages (the student's "View file", the host's link on the checklist, staff's
 * inline viewer, which frames it). document_read_file decides who may read it
 * (404 otherwise) and writes the read to the audit trail. The file is served
 * as its stored type, inline, never sniffed, never cached, under a policy that
 * lets nothing in it run and lets only our own pages frame it. */
#include <string.h>

#include "domain/documents.h"
#include "web/web.h"

void web_page_document_file(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct store_document d = {0};
    const char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    if (document_read_file(req->db, &req->arena, http_param(req, "id"), &user, &d, &data, &len, &err) != 0) {
        if (err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL) {
            http_reply_error(req, err.code, NULL, NULL);
            return;
        }
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This file does not exist, or it is not yours to see");
        return;
    }
    http_reply_file(req, d.media_type, d.file_name, true, data, len);
}
