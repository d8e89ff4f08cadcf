/* documents_post.c — POST /api/v1/documents, multipart/form-data with the
 * parts file (PDF, PNG or JPEG), kind, issued_on, expires_on and replaces
 * (the id of a current document it replaces; then kind may be left out) →
 * 201 the document. Refused
 * with 400 naming the part (unknown part, a part sent twice, no file), 413
 * over the cap, 415 when the bytes are not what was declared, 422
 * quota_exceeded, 404 when replaces is not a current document of the
 * caller's. Nothing is stored when it is refused. */
#include <string.h>

#include "api/documents_api.h"
#include "lib/limits.h"

static const char *const text_parts[] = {"kind", "issued_on", "expires_on", "replaces", NULL};

/* The text of a part as a C string (NULL when absent or empty); -1 after replying. */
static int text_part(struct http_request *req, const char *name, const char **out)
{
    *out = NULL;
    const struct http_part *p = http_part(req, name);
    if (p == NULL || p->len == 0)
        return 0;
    if (p->len > 256 || memchr(p->data, '\0', p->len) != NULL) {
        http_reply_error(req, ERR_VALIDATION_FAILED, name, p->len > 256 ? "is too long" : "holds a NUL byte");
        return -1;
    }
    *out = arena_strndup(&req->arena, p->data, p->len);
    return 0;
}

void api_documents_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0 || api_check_parts(req, text_parts) != 0)
        return;
    const struct http_part *file = http_part(req, "file");
    if (file == NULL || file->filename == NULL) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "file",
                         file == NULL ? "is required (a multipart part named file)" : "must be a file part");
        return;
    }
    struct document_upload upload = {
        .file_name = file->filename,
        .declared_type = file->content_type,
        .data = file->data,
        .len = file->len,
    };
    if (text_part(req, "kind", &upload.kind) != 0 || text_part(req, "issued_on", &upload.issued_on) != 0 ||
        text_part(req, "expires_on", &upload.expires_on) != 0 || text_part(req, "replaces", &upload.replaces_id) != 0)
        return;
    if (upload.replaces_id != NULL && !api_id_valid(upload.replaces_id)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "replaces", "is not a document id");
        return;
    }
    struct store_document d = {0};
    struct error err = {0};
    if (document_upload(req->db, &req->arena, &user, &upload, &d, &err) != 0) {
        if (err.field != NULL && strcmp(err.field, "replaces_id") == 0)
            err.field = "replaces"; /* the part's name, should the domain name the member */
        http_reply_problem(req, &err);
        return;
    }
    if (d.student_name == NULL)
        d.student_name = user.name;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_document(&b, &d, NULL, 0);
    http_reply_json(req, 201, &b);
}
