/* page_document_file.c — GET /documents/{id}/file: a document's file for the
 * pages (the student's "View file", the host's link on the checklist, staff's
 * inline viewer, which frames it). document_read_file decides who may read it
 * (404 otherwise) and writes the read to the audit trail. The file is served
 * as its stored type, inline, never sniffed, never cached, under a policy that
 * lets nothing in it run and lets only our own pages frame it. */
#include <string.h>

#include "domain/documents.h"
#include "web/web.h"

/* Content-Disposition: inline; filename="ascii"; filename*=UTF-8''percent-encoded
 * (RFC 6266). The name is already cleaned (no quotes, no control characters). */
static const char *disposition(struct arena *arena, const char *name)
{
    struct buf b;
    buf_init(&b, arena, 1024);
    buf_append_str(&b, "inline; filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++)
        buf_append_char(&b, (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? (char)*p : '_');
    buf_append_str(&b, "\"; filename*=UTF-8''");
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
            *p == '-' || *p == '_') {
            buf_append_char(&b, (char)*p);
        } else {
            buf_append_char(&b, '%');
            buf_append_char(&b, hex[*p >> 4]);
            buf_append_char(&b, hex[*p & 15]);
        }
    }
    return buf_ok(&b) ? b.data : "inline";
}

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
    const char *name = d.file_name != NULL && d.file_name[0] != '\0' ? d.file_name : "document";
    http_add_header(req, "Content-Disposition", disposition(&req->arena, name));
    /* These replace the pages' defaults (request.c adds a default only when
     * the reply has not set the header): staff's viewer frames the file. */
    http_add_header(req, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
    http_add_header(req, "X-Frame-Options", "SAMEORIGIN");
    http_add_header(req, "Cache-Control", "private, no-store");
    http_reply(req, 200, d.media_type, data, len);
}
