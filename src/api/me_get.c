/* me_get.c — GET /api/v1/me → the signed-in user with roles, memberships and profile. */
#include "api/api.h"
#include "lib/limits.h"

void api_me_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    api_write_user(&b, &user);
    http_reply_json(req, 200, &b);
}
