/* common.c — what every page does: the layout's context and the error page. */
#include "web/web.h"

#include "domain/accounts.h"
#include "domain/applications.h"
#include "lib/limits.h"
#include "store/applications.h"

bool web_page_setup(struct http_request *req, struct view_page *page, const char *title, struct store_user *user)
{
    struct store_user local = {0};
    struct store_user *u = user != NULL ? user : &local;
    page->title = title;
    page->current = req->path;
    page->user_name = NULL;
    page->csrf_token = http_form_csrf_token(req);
    page->unread = 0;
    page->staff = false;
    page->student = false;
    page->author = false;
    page->school_coordinator = page->host_coordinator = false;
    if (!req->auth.authenticated)
        return true;
    if (req->auth.user != NULL) {
        *u = *req->auth.user;
    } else {
        int rc = store_user_by_id(req->db, &req->arena, req->auth.user_id, u);
        if (rc != DB_ROW) {
            http_reply_error(req, rc == DB_DONE ? ERR_UNAUTHENTICATED : ERR_UNAVAILABLE, NULL, NULL);
            return false;
        }
    }
    page->user_name = u->name;
    page->staff = account_has_role(u, ROLE_STAFF);
    page->student = account_has_role(u, ROLE_STUDENT);
    page->author = account_has_role(u, ROLE_PRECEPTOR);
    for (size_t i = 0; i < u->membership_count; i++) {
        page->school_coordinator |= role_parse(u->memberships[i].role) == ROLE_SCHOOL_COORDINATOR;
        page->host_coordinator |= role_parse(u->memberships[i].role) == ROLE_HOST_COORDINATOR;
    }
    /* The header's "Notifications (3)": a missing count is not worth failing the page. */
    if (store_notifications_unread(req->db, u->id, &page->unread) != DB_OK)
        page->unread = 0;
    return true;
}

static void render_error_page(struct http_request *req, int status, const char *title, const char *detail)
{
    struct buf b;
    struct view_page page = {.title = title, .current = req->path};
    /* Signed-in visitors keep their navigation (no database call here: the
     * session already brought the user). */
    if (req->auth.authenticated && req->auth.user != NULL) {
        page.user_name = req->auth.user->name;
        page.csrf_token = req->auth.via_cookie ? req->auth.csrf_token : NULL;
    }
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>");
    buf_append_html(&b, title);
    buf_append_str(&b, "</h1>");
    if (detail != NULL) {
        buf_append_str(&b, "<p>");
        buf_append_html(&b, detail);
        buf_append_str(&b, ".</p>");
    }
    buf_append_str(&b, "<p><a href=\"/\">Go to the home page</a></p></section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

bool web_application_visible(struct http_request *req, const struct store_user *user, const char *id,
                             const char *purpose, struct store_application *a)
{
    struct error err = {0};
    if (application_get_visible(req->db, &req->arena, id, user, purpose, a, &err) == 0)
        return true;
    http_reply_error(req, err.code, NULL,
                     err.code == ERR_NOT_FOUND ? "This application does not exist, or it is not yours to see" : NULL);
    return false;
}

void web_install_error_page(void)
{
    http_set_html_error_renderer(render_error_page);
}

void web_redirect_done(struct http_request *req, const char *prefix, const char *id, const char *done)
{
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, prefix);
    buf_append_url(&location, id);
    buf_append_str(&location, "?done=");
    buf_append_url(&location, done);
    http_redirect(req, buf_ok(&location) ? location.data : "/");
}
