/* page_document_file.c — GET /documents/{id}/file: a document's file for the
 * pages (the student's "View file", the host's link on the checklist, staff's
 * inline viewer, which frames it). document_open_file decides who may read it
 * (404 otherwise) and writes the read to the audit trail. The file is served
 * as its stored type, inline, never sniffed, never cached, under a policy that
 * lets nothing in it run and lets only our own pages frame it, and opened
 * as it is sent. */
#include <string.h>

#include "domain/documents.h"
#include "http/reply_file.h"
#include "web/web.h"

void web_page_document_file(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct store_document d = {0};
    struct byte_source file;
    struct error err = {0};
    if (document_open_file(req->db, &req->arena, http_param(req, "id"), &user, &d, &file, &err) != 0) {
        if (err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL) {
            http_reply_error(req, err.code, NULL, NULL);
            return;
        }
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This file does not exist, or it is not yours to see");
        return;
    }
    http_reply_file_stream(req, d.media_type, d.file_name, true, &file);
}
