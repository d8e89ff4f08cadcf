/* page_calendar.c — the calendar address on the account page:
 *
 *   the "Your calendar" card of /account: whether the user has a secret
 *     address (and since when), a button to get a new one and one to turn it off
 *   POST /account/calendar          a new address (the old one stops working),
 *                                   shown once on the page it answers with
 *   POST /account/calendar/revoke   turns it off
 *
 * The address is a secret (anyone holding it reads the calendar): it is
 * shown once and only its hash is kept (domain/calendar_feed.h). */
#include "domain/calendar_feed.h"
#include "lib/limits.h"
#include "web/web.h"

void web_calendar_card(struct http_request *req, struct buf *b, const struct store_user *user, const char *csrf)
{
    bool active = false;
    int64_t created_at = 0;
    struct error err = {0};
    if (calendar_feed_state(req->db, user, &active, &created_at, &err) != 0)
        return;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"calendar-heading\"><h2 id=\"calendar-heading\">"
                      "Your calendar</h2>\n<p>A secret address for your calendar program (Google Calendar, Apple "
                      "Calendar, Outlook): your rotations, first days, check-in days, balance due dates and "
                      "document expiries. Anyone with the address can read it; get a new one if it was shared.</p>\n");
    if (active) {
        buf_append_str(b, "<p>Your address was made on ");
        web_write_date(req, b, created_at);
        buf_append_str(b, ". It is shown only once: to see it again, get a new one.</p>\n");
    }
    struct view_button issue = {.action = "/account/calendar",
                                .label = active ? "Get a new calendar address" : "Get a calendar address"};
    view_button_form(b, csrf, &issue);
    if (active) {
        struct view_button revoke = {.action = "/account/calendar/revoke", .label = "Turn the calendar address off",
                                     .css = "danger"};
        view_button_form(b, csrf, &revoke);
    }
    buf_append_str(b, "</section>\n");
}

/* The page after either button. */
static void render_result(struct http_request *req, const char *token)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Your calendar", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card\"><h1>Your calendar</h1>\n");
    if (token != NULL) {
        struct buf url;
        buf_init(&url, &req->arena, BUF_CAP_LINE);
        calendar_feed_url(&url, token);
        view_notice(&b, "Your new calendar address is ready. Any address you had before no longer works.");
        buf_append_str(&b, "<p>Copy it into your calendar program (\"subscribe\" or \"add from URL\"); this page "
                           "shows it only once.</p>\n<p class=\"secret\"><a id=\"calendar-url\" href=\"");
        buf_append_html(&b, url.data);
        buf_append_str(&b, "\">");
        buf_append_html(&b, url.data);
        buf_append_str(&b, "</a></p>\n");
    } else {
        view_notice(&b, "Your calendar address is turned off: it no longer works.");
    }
    buf_append_str(&b, "<p><a href=\"/account\">Back to your account</a></p></section>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}

void web_page_calendar_issue(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    char token[44];
    struct error err = {0};
    if (calendar_feed_issue(req->db, &user, token, &err) != 0) {
        http_reply_error(req, err.code, NULL, NULL);
        return;
    }
    render_result(req, token);
}

void web_page_calendar_revoke(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct error err = {0};
    if (calendar_feed_revoke(req->db, &user, &err) != 0) {
        http_reply_error(req, err.code, NULL, err.code == ERR_NOT_FOUND ? "You have no calendar address" : NULL);
        return;
    }
    render_result(req, NULL);
}
