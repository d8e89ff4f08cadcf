/* agreement_get.c — GET /api/v1/agreements/{id} → the agreement, for a
 * coordinator of its host or school, or staff (404 for anyone else). */
#include "api/agreements_api.h"
#include "lib/limits.h"

void api_agreement_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_agreement a;
    struct error err = {0};
    if (agreement_get_visible(req->db, &req->arena, &user, http_param(req, "id"), &a, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_agreement(&b, &a);
    http_reply_json(req, 200, &b);
}
