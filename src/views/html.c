/* html.c — layout and form pieces; see html.h. */
#include "views/html.h"

#include <stdio.h>
#include <string.h>

/* <li><a href="path">label count</a></li>, marked as the current page when it
 * is; the count ("(3)", or NULL) is kept whole when the label wraps. */
static void nav_link_counted(struct buf *b, const struct view_page *page, const char *path, const char *label,
                             const char *count)
{
    buf_append_str(b, "<li><a href=\"");
    buf_append_html(b, path);
    buf_append_char(b, '"');
    if (page->current != NULL && strcmp(page->current, path) == 0)
        buf_append_str(b, " aria-current=\"page\"");
    buf_append_char(b, '>');
    buf_append_html(b, label);
    if (count != NULL) {
        buf_append_str(b, " <span class=\"nav-count\">");
        buf_append_html(b, count);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</a></li>");
}

static void nav_link(struct buf *b, const struct view_page *page, const char *path, const char *label)
{
    nav_link_counted(b, page, path, label, NULL);
}

/* "Notifications (3)", or "Notifications" when none is unread. */
static void nav_notifications(struct buf *b, const struct view_page *page)
{
    char count[32];
    snprintf(count, sizeof(count), "(%lld)", (long long)page->unread);
    nav_link_counted(b, page, "/notifications", "Notifications", page->unread > 0 ? count : NULL);
}

/* Unread messages lead to the newest's thread; without any, the notifications
 * are the reader's news. */
static bool nav_messages_first(const struct view_page *page)
{
    return page->unread_messages > 0 && page->messages_path != NULL;
}

/* The one link kept on the header's first line on a phone, beside the brand
 * and "Menu": a signed-in reader's news ("Messages (2 unread)" or
 * "Notifications (3)"), a visitor's "Log in". One, so that the line fits
 * 360 px and the page's heading stays on the first screen. */
static void nav_first_line(struct buf *b, const struct view_page *page)
{
    buf_append_str(b, "<ul class=\"nav-first\">");
    if (page->user_name == NULL) {
        nav_link(b, page, "/login", "Log in");
    } else if (nav_messages_first(page)) {
        char count[40];
        snprintf(count, sizeof(count), "(%lld unread)", (long long)page->unread_messages);
        nav_link_counted(b, page, page->messages_path, "Messages", count);
    } else {
        nav_notifications(b, page);
    }
    buf_append_str(b, "</ul>");
}

/* The links of the signed-in reader's roles, in the menu. */
static void nav_role_links(struct buf *b, const struct view_page *page)
{
    /* Applications are a student's, their hosts' and preceptors', and staff's
     * (a school coordinator follows its students' on the school's page). */
    if (page->student || page->author || page->host || page->staff)
        nav_link(b, page, "/applications", "Applications");
    if (page->student) {
        nav_link(b, page, "/payments", "Payments");
        nav_link(b, page, "/wallet", "Documents");
        nav_link(b, page, "/letters", "Letters");
        nav_link(b, page, "/readiness", "Readiness");
        nav_link(b, page, "/saved", "Saved");
        nav_link(b, page, "/me/schools", "School");
    } else if (page->author) {
        nav_link(b, page, "/letters", "Letters");
        nav_link(b, page, "/teaching", "Teaching");
    }
    if (page->school_coordinator)
        nav_link(b, page, "/school", "School");
    if (page->host) {
        nav_link(b, page, "/host", "Offerings");
        nav_link(b, page, "/host/earnings", "Earnings");
        nav_link(b, page, "/host/rounds", "Match rounds");
    }
    if (page->host || page->school_coordinator)
        nav_link(b, page, "/agreements", "Agreements");
    if (page->coach || page->staff)
        nav_link(b, page, "/coach", page->coach ? "My students" : "Coaches");
    if (page->staff) {
        nav_link(b, page, "/staff/payments", "Payments");
        nav_link(b, page, "/staff/payouts", "Payouts");
        nav_link(b, page, "/staff/documents", "Verify documents");
        nav_link(b, page, "/staff/preceptors", "Verify preceptors");
        nav_link(b, page, "/staff/letters", "Overdue letters");
        nav_link(b, page, "/staff/audit", "Audit trail");
    }
    nav_link(b, page, "/tickets", "Support");
    nav_link(b, page, "/account", page->user_name);
    buf_append_str(b, "<li><form class=\"inline\" method=\"post\" action=\"/logout\">"
                      "<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, page->csrf_token);
    buf_append_str(b, "\"><button type=\"submit\" class=\"link\">Log out</button></form></li>");
}

/* The rest of the navigation: a native disclosure, "Menu", on a phone (no
 * script needed, announced as collapsed or expanded); the stylesheet shows
 * its links in a row, without "Menu", on a wide screen. */
static void nav_menu(struct buf *b, const struct view_page *page)
{
    buf_append_str(b, "<details class=\"nav-menu\"><summary>Menu</summary><ul class=\"nav-links\">");
    if (page->user_name != NULL && nav_messages_first(page))
        nav_notifications(b, page);
    nav_link(b, page, "/search", "Find a rotation");
    if (page->user_name != NULL)
        nav_role_links(b, page);
    else
        nav_link(b, page, "/register", "Create account");
    buf_append_str(b, "</ul></details>");
}

void view_page_begin(struct buf *b, const struct view_page *page)
{
    buf_append_str(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    buf_append_html(b, page->title);
    buf_append_str(b, " · Rounds</title>\n<link rel=\"stylesheet\" href=\"/assets/site.css\">\n</head>\n<body>\n"
                      "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                      "<header class=\"top\"><nav aria-label=\"Main\"><a class=\"brand\" href=\"/\">Rounds</a>"
                      "<div class=\"nav-items\">");
    nav_first_line(b, page);
    nav_menu(b, page);
    buf_append_str(b, "</div></nav></header>\n<main id=\"main\">\n");
}

void view_page_end(struct buf *b)
{
    buf_append_str(b, "</main>\n<footer class=\"foot\"><p>Rounds — open-source clinical rotations for "
                      "international medical graduates.</p></footer>\n</body>\n</html>\n");
}

void view_alert(struct buf *b, const char *message)
{
    /* Focused when the page opens, so that it is on screen wherever it is. */
    buf_append_str(b, "<p class=\"notice error\" role=\"alert\" tabindex=\"-1\" autofocus>");
    buf_append_html(b, message);
    buf_append_str(b, "</p>\n");
}

void view_notice(struct buf *b, const char *message)
{
    buf_append_str(b, "<p class=\"notice\" role=\"status\">");
    buf_append_html(b, message);
    buf_append_str(b, "</p>\n");
}

static void summary_begin(struct buf *b, const char *intro)
{
    buf_append_str(b, "<div class=\"notice error error-summary\" id=\"error-summary\" role=\"alert\" "
                      "tabindex=\"-1\" autofocus aria-labelledby=\"error-summary-title\">"
                      "<h2 id=\"error-summary-title\">There is a problem</h2>");
    if (intro != NULL) {
        buf_append_str(b, "<p>");
        buf_append_html(b, intro);
        buf_append_str(b, "</p>");
    }
}

/* "<li>" and the error, a link to its field when it names one (the item left open). */
static void summary_error(struct buf *b, const struct view_field_error *error)
{
    buf_append_str(b, "<li>");
    if (error->field_id != NULL) {
        buf_append_str(b, "<a href=\"#");
        buf_append_html(b, error->field_id);
        buf_append_str(b, "\">");
    }
    buf_append_html(b, error->message);
    if (error->field_id != NULL)
        buf_append_str(b, "</a>");
}

void view_error_summary(struct buf *b, const char *intro, const struct view_field_error *errors, size_t count)
{
    summary_begin(b, intro);
    if (count > 0)
        buf_append_str(b, "<ul>");
    for (size_t i = 0; i < count; i++) {
        summary_error(b, &errors[i]);
        buf_append_str(b, "</li>");
    }
    if (count > 0)
        buf_append_str(b, "</ul>");
    buf_append_str(b, "</div>\n");
}

void view_error_summary_detailed(struct buf *b, const char *intro, const struct view_field_error *error,
                                 const char *const *details, size_t count)
{
    summary_begin(b, intro);
    buf_append_str(b, "<ul>");
    summary_error(b, error);
    if (count > 0)
        buf_append_str(b, "<ul>");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li>");
        buf_append_html(b, details[i]);
        buf_append_str(b, "</li>");
    }
    if (count > 0)
        buf_append_str(b, "</ul>");
    buf_append_str(b, "</li></ul></div>\n");
}

void view_form_begin(struct buf *b, const char *action, const char *csrf_token)
{
    buf_append_str(b, "<form class=\"stack\" method=\"post\" action=\"");
    buf_append_html(b, action);
    buf_append_str(b, "\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">\n");
}

void view_button_form(struct buf *b, const char *csrf_token, const struct view_button *button)
{
    buf_append_str(b, "<form class=\"inline\" method=\"post\" action=\"");
    buf_append_html(b, button->action);
    buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">");
    if (button->field != NULL) {
        buf_append_str(b, "<input type=\"hidden\" name=\"");
        buf_append_html(b, button->field);
        buf_append_str(b, "\" value=\"");
        buf_append_html(b, button->value != NULL ? button->value : "");
        buf_append_str(b, "\">");
    }
    buf_append_str(b, "<button type=\"submit\"");
    if (button->css != NULL && button->css[0] != '\0') {
        buf_append_str(b, " class=\"");
        buf_append_html(b, button->css);
        buf_append_str(b, "\"");
    }
    buf_append_str(b, ">");
    buf_append_html(b, button->label);
    if (button->context != NULL) {
        buf_append_str(b, "<span class=\"visually-hidden\">: ");
        buf_append_html(b, button->context);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</button></form>");
}

void view_form_end(struct buf *b, const char *submit_label)
{
    buf_append_str(b, "<button type=\"submit\">");
    buf_append_html(b, submit_label);
    buf_append_str(b, "</button>\n</form>\n");
}

void view_input(struct buf *b, const char *label, const char *type, const char *name, const char *value,
                const char *autocomplete, bool required, const char *hint, const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label>");
    if (hint != NULL) {
        buf_append_str(b, "<small id=\"h-");
        buf_append_html(b, name);
        buf_append_str(b, "\">");
        buf_append_html(b, hint);
        buf_append_str(b, "</small>");
    }
    buf_append_str(b, "<input id=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\" type=\"");
    buf_append_html(b, type);
    buf_append_str(b, "\" name=\"");
    buf_append_html(b, name);
    buf_append_str(b, "\"");
    if (value != NULL) {
        buf_append_str(b, " value=\"");
        buf_append_html(b, value);
        buf_append_str(b, "\"");
    }
    if (autocomplete != NULL) {
        buf_append_str(b, " autocomplete=\"");
        buf_append_html(b, autocomplete);
        buf_append_str(b, "\"");
    }
    if (required)
        buf_append_str(b, " required");
    if (error != NULL || hint != NULL) {
        buf_append_str(b, " aria-describedby=\"");
        if (hint != NULL) {
            buf_append_str(b, "h-");
            buf_append_html(b, name);
        }
        if (error != NULL) {
            buf_append_str(b, hint != NULL ? " e-" : "e-");
            buf_append_html(b, name);
        }
        buf_append_str(b, "\"");
    }
    if (error != NULL)
        buf_append_str(b, " aria-invalid=\"true\"");
    buf_append_str(b, ">");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-");
        buf_append_html(b, name);
        buf_append_str(b, "\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n");
}

void view_select(struct buf *b, const char *label, const char *name, const char *const *values,
                 const char *const *labels, const char *selected, const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label><select id=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\" name=\"");
    buf_append_html(b, name);
    if (error != NULL) {
        buf_append_str(b, "\" aria-invalid=\"true\" aria-describedby=\"e-");
        buf_append_html(b, name);
    }
    buf_append_str(b, "\"><option value=\"\">—</option>");
    for (size_t i = 0; values[i] != NULL; i++) {
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, values[i]);
        buf_append_str(b, "\"");
        if (selected != NULL && strcmp(selected, values[i]) == 0)
            buf_append_str(b, " selected");
        buf_append_str(b, ">");
        buf_append_html(b, labels[i]);
        buf_append_str(b, "</option>");
    }
    buf_append_str(b, "</select>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-");
        buf_append_html(b, name);
        buf_append_str(b, "\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n");
}
