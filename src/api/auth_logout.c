/* auth_logout.c — POST /api/v1/auth/logout → 204; the token and the cookie stop working at once. */
#include "api/api.h"

void api_auth_logout(struct http_request *req)
{
    if (http_session_end(req) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_reply_empty(req, 204);
}
