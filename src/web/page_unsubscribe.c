/* page_unsubscribe.c — GET /unsubscribe/{token}: the link in every alert
 * email, without logging in: it names the saved search and asks to confirm
 * (a mail scanner that follows links changes nothing); POST stops the emails
 * of that search (the alerts in the app go on). An unknown token is a 404. */
#include "domain/alerts.h"
#include "lib/limits.h"
#include "web/web.h"

static void render(struct http_request *req, const struct store_saved_search *s, bool done)
{
    struct view_page page;
    if (!web_page_setup(req, &page, done ? "Emails stopped" : "Stop alert emails", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    if (done) {
        buf_append_str(&b, "<h1>Emails stopped</h1>\n<p role=\"status\">You will get no more emails for the saved "
                           "search \xe2\x80\x9c");
        buf_append_html(&b, s->name);
        buf_append_str(&b, "\xe2\x80\x9d. New matches still show in your notifications in Rounds; you can delete "
                           "the search on your <a href=\"/saved\">Saved</a> page.</p>\n");
    } else {
        buf_append_str(&b, "<h1>Stop alert emails</h1>\n<p>Stop the emails for the saved search \xe2\x80\x9c");
        buf_append_html(&b, s->name);
        buf_append_str(&b, "\xe2\x80\x9d?</p>\n");
        struct buf action;
        buf_init(&action, &req->arena, BUF_CAP_LINE);
        buf_append_str(&action, "/unsubscribe/");
        buf_append_url(&action, http_param(req, "token"));
        view_form_begin(&b, buf_ok(&action) ? action.data : "/", page.csrf_token);
        view_form_end(&b, "Stop these emails");
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}

void web_page_unsubscribe(struct http_request *req)
{
    struct store_saved_search s;
    int rc = alerts_unsubscribe_find(req->db, &req->arena, http_param(req, "token"), &s);
    if (rc != DB_ROW) {
        http_reply_error(req, rc == DB_DONE ? ERR_NOT_FOUND : ERR_UNAVAILABLE, NULL,
                         "This link is not valid. Manage your alerts on your Saved page.");
        return;
    }
    render(req, &s, false);
}

void web_page_unsubscribe_post(struct http_request *req)
{
    struct store_saved_search s;
    int rc = alerts_unsubscribe(req->db, &req->arena, http_param(req, "token"), &s);
    if (rc != DB_ROW) {
        http_reply_error(req, rc == DB_DONE ? ERR_NOT_FOUND : ERR_UNAVAILABLE, NULL,
                         "This link is not valid. Manage your alerts on your Saved page.");
        return;
    }
    render(req, &s, true);
}
