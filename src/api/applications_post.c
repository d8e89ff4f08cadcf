/* applications_post.c — POST /api/v1/applications (Idempotency-Key)
 * {block_id, statement, document_ids} → 201 the application, submitted.
 * Refused with 422 naming what is wrong: the block (not open, started,
 * full), eligibility, an active application for the block, an overlapping
 * booked rotation, a document id that is not a current document of the
 * student's wallet (document_ids). The documents are attached in the same
 * transaction. */
#include "api/applications_api.h"
#include "api/request_specs.h"
#include "domain/applications.h"
#include "lib/limits.h"

struct application_body {
    const char *block_id, *statement;
    struct json_strings document_ids;
};

const struct json_field api_applications_post_spec[] = {
    JSON_STRING(struct application_body, block_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_TEXT(struct application_body, statement, JSON_OPTIONAL, 0, STATEMENT_MAX_CHARS),
    JSON_STRING_ARRAY(struct application_body, document_ids, JSON_OPTIONAL, 1, 64, 50),
    {0},
};

void api_applications_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *key = NULL;
    if (api_idempotency_begin(req, &key) != 0)
        return;
    struct application_body body = {0};
    struct error err = {0};
    if (json_spec_parse(&req->arena, req->body, req->body_len, api_applications_post_spec, &body, NULL, &err) != 0) {
        api_idempotent_problem(req, key, &err);
        return;
    }
    struct store_application a = {0};
    if (application_submit(req->db, &req->arena, &user, body.block_id, body.statement != NULL ? body.statement : "",
                           body.document_ids.items, body.document_ids.count, &a, &err) != 0) {
        api_idempotent_problem(req, key, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    api_write_application(&b, &a, NULL, 0);
    api_idempotent_reply(req, key, 201, &b);
}
