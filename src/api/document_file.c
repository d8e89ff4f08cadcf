/* document_file.c — GET /api/v1/documents/{id}/file?disposition=attachment
 * (default) or inline: the document's original bytes with its stored media
 * type, for whoever may see the document (404 for anyone else); every read
 * is written to the audit trail by the domain. The reply is a download by
 * default, never sniffed, never cached, sandboxed, and may be framed only
 * by Rounds' own pages (the staff viewer). */
#include <string.h>

#include "api/documents_api.h"

/* filename="…": printable ASCII without quotes, backslashes or '%' (some
 * browsers decode it); other bytes become '_'. */
static const char *ascii_file_name(struct arena *arena, const char *name)
{
    size_t len = strlen(name);
    char *out = arena_strndup(arena, name, len);
    for (size_t i = 0; out != NULL && i < len; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%')
            out[i] = '_';
    }
    return out != NULL ? out : "document";
}

/* filename*=UTF-8''…: RFC 8187 attr-chars kept, every other byte %XX. */
static void append_rfc8187(struct buf *b, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            (c != '\0' && strchr("!#$&+-.^_`|~", c) != NULL)) {
            buf_append_char(b, (char)c);
        } else {
            buf_append_char(b, '%');
            buf_append_char(b, hex[c >> 4]);
            buf_append_char(b, hex[c & 15]);
        }
    }
}

void api_reply_document_file(struct http_request *req, const struct store_document *d, const char *data, size_t len,
                             bool inline_view)
{
    const char *name = d->file_name != NULL && d->file_name[0] != '\0' ? d->file_name : "document";
    struct buf disposition;
    buf_init(&disposition, &req->arena, 2048);
    buf_append_str(&disposition, inline_view ? "inline; filename=\"" : "attachment; filename=\"");
    buf_append_str(&disposition, ascii_file_name(&req->arena, name));
    buf_append_str(&disposition, "\"; filename*=UTF-8''");
    append_rfc8187(&disposition, name);
    if (!buf_ok(&disposition)) {
        buf_reset(&disposition);
        buf_append_str(&disposition, inline_view ? "inline; filename=\"document\"" : "attachment; filename=\"document\"");
    }
    http_add_header(req, "Content-Disposition", disposition.data);
    /* These replace the page defaults of http/request.c: no script, no
     * plugin but the browser's own PDF viewer (which a sandbox would block,
     * so inline PDFs are not sandboxed), framed only by Rounds itself. */
    bool pdf_inline = inline_view && d->media_type != NULL && strcmp(d->media_type, "application/pdf") == 0;
    http_add_header(req, "Content-Security-Policy",
                    pdf_inline ? "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
                               : "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; "
                                 "sandbox");
    http_add_header(req, "X-Frame-Options", "SAMEORIGIN");
    http_add_header(req, "Cache-Control", "private, no-store");
    http_add_header(req, "Cross-Origin-Resource-Policy", "same-origin");
    http_reply(req, 200, d->media_type, data, len);
}

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
    const char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    if (document_read_file(req->db, &req->arena, id, &user, &d, &data, &len, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    api_reply_document_file(req, &d, data, len, inline_view);
}
