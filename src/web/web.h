/* web.h — the server-rendered pages (one file each in src/web/) and what they share. */
#ifndef ROUNDS_WEB_WEB_H
#define ROUNDS_WEB_WEB_H

#include "http/request.h"
#include "views/html.h"

/* Fills the layout's fields for this request (signed-in name, CSRF token);
 * loads the user into *user when signed in and user is not NULL. Returns
 * false when the user could not be loaded (already replied). */
bool web_page_setup(struct http_request *req, struct view_page *page, const char *title, struct store_user *user);
/* Installs the HTML error page into the HTTP layer. */
void web_install_error_page(void);

void web_asset_css(struct http_request *req);
void web_page_home(struct http_request *req);
void web_page_register(struct http_request *req);
void web_page_register_post(struct http_request *req);
void web_page_login(struct http_request *req);
void web_page_login_post(struct http_request *req);
void web_page_account(struct http_request *req);
void web_page_account_post(struct http_request *req);
void web_page_logout_post(struct http_request *req);

#endif
