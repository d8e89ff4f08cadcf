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
void web_page_host(struct http_request *req);
void web_page_host_offering_new(struct http_request *req);
void web_page_host_offering_create(struct http_request *req);
void web_page_host_offering_edit(struct http_request *req);
void web_page_host_offering_save(struct http_request *req);
void web_page_host_block_create(struct http_request *req);
void web_page_host_block_save(struct http_request *req);
void web_page_search(struct http_request *req);
void web_page_offering(struct http_request *req);

/* ---- applications and bookings (page_apply.c, page_applications.c,
 * page_application.c, page_notifications.c, page_audit.c) ---- */

/* What the offering page's "Apply" form shows again after a refusal. */
struct web_apply_form {
    const char *block_id, *statement;
    const char *error;       /* the reason, in plain words */
    const char *error_field; /* "block_id", "statement" or NULL (the whole form) */
    bool profile_link;       /* the reason is the profile: link to /account */
};
/* The offering page with its Apply form in the given state (NULL: empty). */
void web_offering_render(struct http_request *req, int status, const char *offering_id,
                         const struct web_apply_form *apply);

/* <span class="status status-offered">Offer made</span>: the status in words,
 * worded for the student or for the host side. */
void web_application_status(struct buf *b, const char *status, bool viewer_is_student);
/* An instant as "Dec 2, 2026, 15:20 UTC". */
void web_write_instant(struct buf *b, int64_t t);

extern const char *const web_applications_params[];
extern const char *const web_application_params[];
extern const char *const web_audit_params[];

void web_page_apply_post(struct http_request *req);
void web_page_applications(struct http_request *req);
void web_page_application(struct http_request *req);
void web_page_application_action(struct http_request *req);
void web_page_notifications(struct http_request *req);
void web_page_notification_read(struct http_request *req);
void web_page_audit(struct http_request *req);

#endif
