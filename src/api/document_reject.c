/* document_reject.c — POST /api/v1/documents/{id}/reject (staff) {reason}
 * → 200 the document, rejected (its student is told why); 400 naming
 * reason when it is missing or blank; 409 invalid_transition when it is not
 * a current document waiting for verification; 404 for anyone but staff. */
#include <string.h>

#include "api/documents_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct reject_body {
    const char *reason;
};

const struct json_field api_document_reject_spec[] = {
    JSON_TEXT(struct reject_body, reason, JSON_REQUIRED, 1, REASON_MAX_CHARS),
    {0},
};

static bool blank(const char *s)
{
    return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

void api_document_reject(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such document");
        return;
    }
    struct reject_body body = {0};
    if (req->body_len == 0) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "reason", "is required: tell the student what is wrong");
        return;
    }
    if (api_parse_body(req, api_document_reject_spec, &body, NULL) != 0)
        return;
    if (blank(body.reason)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "reason", "is required: tell the student what is wrong");
        return;
    }
    struct store_document d = {0};
    struct error err = {0};
    if (document_reject(req->db, &req->arena, id, &user, body.reason, &d, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_document(&b, &d, NULL, 0);
    http_reply_json(req, 200, &b);
}
