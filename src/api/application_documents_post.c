/* application_documents_post.c — POST /api/v1/applications/{id}/documents
 * {document_ids:[…]}: the student attaches current documents of their wallet
 * to their application (attaching twice changes nothing) → 200
 * {"document_ids":[…]}, every document now attached. 422 naming
 * document_ids when one is not theirs; 404 unless the application is the
 * caller's own. */
#include <string.h>

#include "api/documents_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct attach_body {
    struct json_strings document_ids;
};

const struct json_field api_application_documents_post_spec[] = {
    JSON_STRING_ARRAY(struct attach_body, document_ids, JSON_REQUIRED, 1, 64, 50),
    {0},
};

struct attach_tx {
    struct arena *arena;
    const char *application_id;
    const struct store_user *student;
    const char *const *ids;
    size_t count;
    struct error err;
    bool refused;
};

static int attach_in_tx(struct db_conn *conn, void *p)
{
    struct attach_tx *ctx = p;
    ctx->refused = false;
    if (document_attach(conn, ctx->arena, ctx->application_id, ctx->student, ctx->ids, ctx->count, &ctx->err) != 0) {
        ctx->refused = true;
        return DB_CONSTRAINT; /* rolls back whatever was attached */
    }
    return DB_OK;
}

void api_application_documents_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    struct store_application a = {0};
    int rc = api_id_valid(id) ? store_application_get(req->db, &req->arena, id, &a) : DB_DONE;
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (rc == DB_DONE || strcmp(a.student_id, user.id) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such application of yours");
        return;
    }
    struct attach_body body = {0};
    if (api_parse_body(req, api_application_documents_post_spec, &body, NULL) != 0)
        return;
    if (body.document_ids.count == 0) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "document_ids", "names no document");
        return;
    }
    struct attach_tx ctx = {
        .arena = &req->arena,
        .application_id = a.id,
        .student = &user,
        .ids = body.document_ids.items,
        .count = body.document_ids.count,
    };
    rc = db_run_tx(req->db, true, attach_in_tx, &ctx);
    if (ctx.refused) {
        http_reply_problem(req, &ctx.err);
        return;
    }
    const char **ids = NULL;
    size_t count = 0;
    if (rc != DB_OK || store_application_documents(req->db, &req->arena, a.id, &ids, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    buf_append_str(&b, "{\"application_id\":");
    buf_append_json_string(&b, a.id);
    buf_append_str(&b, ",\"document_ids\":[");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        buf_append_json_string(&b, ids[i]);
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
