/* page_notifications.c — GET /notifications: the signed-in user's newest
 * notifications, the unread ones marked in words, a group saying how many
 * notices it stands for, each linking through GET /notifications/{id}/open
 * (which marks it read and goes on to what it is about), with a "Mark read"
 * button and "Mark all as read"; POST /notifications/{id}/read and
 * POST /notifications/read-all come back to the list. */
#include <string.h>

#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "web/web.h"

enum { NOTIFICATIONS_SHOWN = 50 };

/* Links are written by Rounds ("/applications/…"); anything else is shown as text. */
static bool local_link(const char *link)
{
    return link != NULL && link[0] == '/' && link[1] != '/' && link[1] != '\\';
}

void web_page_notifications(struct http_request *req)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Notifications", NULL))
        return;
    struct store_notification *items;
    size_t count = 0;
    int64_t unread = 0;
    if (store_notifications_list(req->db, &req->arena, req->auth.user_id, NOTIFICATIONS_SHOWN, &items, &count,
                                 &unread) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    page.unread = unread;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Notifications</h1>\n");
    if (count == 0) {
        buf_append_str(&b, "<p>Nothing yet. You are told here when an application moves on.</p>\n");
        view_page_end(&b);
        http_reply_html(req, 200, &b);
        return;
    }
    if (unread == 0) {
        buf_append_str(&b, "<p class=\"lead\">You have read them all.</p>\n");
    } else {
        buf_appendf(&b, "<p class=\"lead\">%lld unread.</p>\n", (long long)unread);
        struct view_button all = {"/notifications/read-all", "Mark all as read", "secondary", NULL, NULL, NULL};
        view_button_form(&b, page.csrf_token, &all);
    }
    buf_append_str(&b, "<ul class=\"notifications\">\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_notification *n = &items[i];
        bool is_unread = n->read_at == 0;
        buf_append_str(&b, is_unread ? "<li class=\"notification unread\">" : "<li class=\"notification\">");
        buf_append_str(&b, "<div class=\"notification-text\">");
        if (is_unread)
            buf_append_str(&b, "<span class=\"badge unread\">Unread</span> ");
        if (local_link(n->link)) {
            /* Opening it marks it read on the way. */
            buf_append_str(&b, "<a href=\"/notifications/");
            buf_append_url(&b, n->id);
            buf_append_str(&b, "/open\">");
            buf_append_html(&b, n->title);
            buf_append_str(&b, "</a>");
        } else {
            buf_append_html(&b, n->title);
        }
        if (n->notice_count > 1)
            buf_appendf(&b, " <span class=\"group-count\">and %lld more like it</span>", (long long)n->notice_count - 1);
        buf_append_str(&b, "<br><span class=\"muted\">");
        web_write_instant(req, &b, n->created_at);
        buf_append_str(&b, "</span></div>");
        if (is_unread) {
            buf_append_str(&b, "<form class=\"inline\" method=\"post\" action=\"/notifications/");
            buf_append_url(&b, n->id);
            buf_append_str(&b, "/read\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
            buf_append_html(&b, page.csrf_token);
            /* The visible words say what; the hidden ones say which, for screen readers. */
            buf_append_str(&b, "\"><button type=\"submit\" class=\"secondary\">Mark read<span class=\"visually-hidden\">: ");
            buf_append_html(&b, n->title);
            buf_append_str(&b, "</span></button></form>");
        }
        buf_append_str(&b, "</li>\n");
    }
    buf_append_str(&b, "</ul>\n");
    if (count == NOTIFICATIONS_SHOWN)
        buf_appendf(&b, "<p class=\"muted\">Showing the newest %d.</p>\n", NOTIFICATIONS_SHOWN);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}

void web_page_notification_read(struct http_request *req)
{
    int rc = store_notification_read(req->db, req->auth.user_id, http_param(req, "id"), clock_now());
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such notification");
        return;
    }
    if (rc != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, "/notifications");
}

void web_page_notification_open(struct http_request *req)
{
    struct store_notification n;
    int rc = store_notification_get(req->db, &req->arena, req->auth.user_id, http_param(req, "id"), &n);
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such notification");
        return;
    }
    if (rc != DB_ROW || (n.read_at == 0 && store_notification_read(req->db, req->auth.user_id, n.id, clock_now()) !=
                                                DB_OK)) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, local_link(n.link) ? n.link : "/notifications");
}

void web_page_notifications_read_all(struct http_request *req)
{
    int64_t marked = 0;
    if (store_notifications_read_all(req->db, req->auth.user_id, clock_now(), &marked) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, "/notifications");
}
