/* page_logout.c — POST /logout: ends the session and goes to the login page. */
#include "web/web.h"

void web_page_logout_post(struct http_request *req)
{
    if (http_session_end(req) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, "/login");
}
