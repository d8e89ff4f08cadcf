/* common.c — what every page does: the layout's context and the error page. */
#include "web/web.h"

#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/messages.h"

void web_page_count_messages(struct http_request *req, struct view_page *page, const char *user_id)
{
    /* "Messages (3 unread)", leading to the thread of the newest; a missing count is not worth failing the page. */
    const char *thread = NULL;
    page->messages_path = NULL;
    if (store_message_unread_summary(req->db, &req->arena, user_id, &page->unread_messages, &thread) != DB_OK ||
        thread == NULL) {
        page->unread_messages = 0;
        return;
    }
    struct buf path;
    buf_init(&path, &req->arena, BUF_CAP_LINE);
    buf_appendf(&path, "/applications/%s/messages", thread);
    page->messages_path = buf_ok(&path) ? path.data : NULL;
}

/* The user's name and the roles the navigation shows links for. */
static void page_roles(struct view_page *page, const struct store_user *u)
{
    page->user_name = u->name;
    page->staff = account_has_role(u, ROLE_STAFF);
    page->student = account_has_role(u, ROLE_STUDENT);
    page->author = account_has_role(u, ROLE_PRECEPTOR);
    page->school_coordinator = false;
    for (size_t i = 0; i < u->membership_count; i++)
        page->school_coordinator |= role_parse(u->memberships[i].role) == ROLE_SCHOOL_COORDINATOR;
    page->host = account_has_role(u, ROLE_HOST_COORDINATOR);
    page->coach = account_has_role(u, ROLE_COACH);
}

bool web_page_setup(struct http_request *req, struct view_page *page, const char *title, struct store_user *user)
{
    struct store_user local = {0};
    struct store_user *u = user != NULL ? user : &local;
    page->title = title;
    page->current = req->path;
    page->user_name = NULL;
    page->csrf_token = http_form_csrf_token(req);
    page->unread = 0;
    page->unread_messages = 0;
    page->messages_path = NULL;
    page->staff = false;
    page->student = false;
    page->author = false;
    page->school_coordinator = false;
    page->host = false;
    page->coach = false;
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
    page_roles(page, u);
    /* The header's "Notifications (3)": a missing count is not worth failing the page. */
    if (store_notifications_unread(req->db, u->id, &page->unread) != DB_OK)
        page->unread = 0;
    web_page_count_messages(req, page, u->id);
    return true;
}

bool web_signed_in_user(struct http_request *req, struct store_user *out)
{
    if (req->auth.user != NULL) {
        *out = *req->auth.user;
        return true;
    }
    if (store_user_by_id(req->db, &req->arena, req->auth.user_id, out) == DB_ROW)
        return true;
    http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
    return false;
}

/* The page holding the form of an upload refused for its size (the POST's
 * address without "/upload" or "/replace"), or NULL. */
static const char *form_page_of(struct http_request *req, int status)
{
    if (status != 413 || req->method != HTTP_POST || req->path == NULL)
        return NULL;
    static const char *const suffixes[] = {"/upload", "/replace"};
    size_t len = strlen(req->path);
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t n = strlen(suffixes[i]);
        if (len > n && strcmp(req->path + len - n, suffixes[i]) == 0)
            return arena_strndup(&req->arena, req->path, len - n);
    }
    return req->path;
}

static void render_error_page(struct http_request *req, int status, const char *title, const char *detail)
{
    const char *form_page = form_page_of(req, status);
    if (form_page != NULL)
        title = "The file is too large"; /* in a person's words, not the protocol's */
    struct buf b;
    struct view_page page = {.title = title, .current = req->path};
    /* Signed-in visitors keep their navigation, with their role's links (no
     * database call here: the session already brought the user). */
    if (req->auth.authenticated && req->auth.user != NULL) {
        page_roles(&page, req->auth.user);
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
    if (form_page != NULL) {
        buf_append_str(&b, "<p><a href=\"");
        buf_append_html(&b, form_page);
        buf_append_str(&b, "\">Back to the form</a> \xe2\x80\x94 choose a smaller file there.</p>");
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
    web_redirect_done_at(req, prefix, id, "", done);
}

void web_redirect_done_at(struct http_request *req, const char *prefix, const char *id, const char *suffix,
                          const char *done)
{
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, prefix);
    buf_append_url(&location, id);
    buf_append_str(&location, suffix);
    buf_append_str(&location, "?done=");
    buf_append_url(&location, done);
    http_redirect(req, buf_ok(&location) ? location.data : "/");
}

bool web_rotation_refused_as_page(struct http_request *req, enum error_code code)
{
    if (code != ERR_NOT_FOUND && code != ERR_UNAVAILABLE && code != ERR_INTERNAL)
        return false;
    http_reply_error(req, code, NULL,
                     code == ERR_NOT_FOUND ? "This rotation does not exist, or it is not yours to see" : NULL);
    return true;
}

void web_page_link_expired(struct http_request *req, const char *explanation)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "This link no longer works", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>This link no longer works</h1>\n");
    buf_append_str(&b, explanation);
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, 404, &b);
}

void web_error_summary(struct buf *b, const char *field, const char *message)
{
    buf_append_str(b, "<div class=\"notice error error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
                      "autofocus aria-labelledby=\"error-summary-title\"><h2 id=\"error-summary-title\">There is a "
                      "problem</h2><ul><li>");
    if (field != NULL) {
        buf_append_str(b, "<a href=\"#f-");
        buf_append_html(b, field);
        buf_append_str(b, "\">");
    }
    buf_append_html(b, message);
    if (field != NULL)
        buf_append_str(b, "</a>");
    buf_append_str(b, "</li></ul></div>\n");
}

void web_form_error_add(struct web_form_errors *errors, const char *field, const char *sentence)
{
    if (web_form_error_for(errors, field) != NULL || errors->count >= WEB_FORM_MAX_ERRORS)
        return;
    errors->items[errors->count++] = (struct error){ERR_VALIDATION_FAILED, field, sentence};
}

const char *web_form_error_for(const struct web_form_errors *errors, const char *field)
{
    for (size_t i = 0; errors != NULL && field != NULL && i < errors->count; i++)
        if (errors->items[i].field != NULL && strcmp(errors->items[i].field, field) == 0)
            return errors->items[i].detail;
    return NULL;
}

void web_form_error_summary(struct buf *b, struct arena *arena, const char *intro,
                            const struct web_form_errors *errors)
{
    if (errors == NULL || errors->count == 0)
        return;
    struct view_field_error items[WEB_FORM_MAX_ERRORS];
    for (size_t i = 0; i < errors->count; i++) {
        const struct error *e = &errors->items[i];
        items[i].field_id = NULL;
        if (e->field != NULL) {
            struct buf id;
            buf_init(&id, arena, BUF_CAP_LINE);
            buf_append_str(&id, "f-");
            buf_append_str(&id, e->field);
            items[i].field_id = buf_ok(&id) ? id.data : NULL;
        }
        items[i].message = e->detail != NULL ? e->detail : error_title(e->code);
    }
    view_error_summary(b, intro, items, errors->count);
}

bool web_staff_page_setup(struct http_request *req, struct view_page *page, const char *title,
                          struct store_user *user)
{
    if (!web_page_setup(req, page, title, user))
        return false;
    if (account_has_role(user, ROLE_STAFF))
        return true;
    store_audit_add(req->db, user->id, AUDIT_FORBIDDEN, AUDIT_ON_ROUTE, req->path,
                    req->method == HTTP_GET ? "GET" : "POST", clock_now());
    http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
    return false;
}
