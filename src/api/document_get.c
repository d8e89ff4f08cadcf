/* document_get.c — GET /api/v1/documents/{id}: one document with its older
 * versions ("versions", newest first), for whoever may see it (its student,
 * a host through an active application, staff); 404 for anyone else. */
#include "api/documents_api.h"
#include "lib/limits.h"

void api_document_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    struct store_document d = {0};
    struct error err = {0};
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such document");
        return;
    }
    if (document_get_visible(req->db, &req->arena, id, &user, &d, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_document *history = NULL;
    size_t count = 0;
    if (store_document_history(req->db, &req->arena, d.id, &history, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    /* An empty history is still a list. */
    static const struct store_document none;
    api_write_document(&b, &d, history != NULL ? history : &none, count);
    http_reply_json(req, 200, &b);
}
