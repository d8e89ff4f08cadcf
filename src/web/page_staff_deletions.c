/* page_staff_deletions.c — /staff/deletions: the accounts their people asked
 * to delete, oldest due first, each with its age, its 30-day due date and
 * what (if anything) holds it back, and an "Erase now" button; below, the
 * last ones completed. The jobs thread erases those that reach their due
 * date by itself. Anyone but staff gets 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/deletions.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "web/web.h"

const char *const web_staff_deletions_params[] = {"done", NULL};

enum { STAFF_DELETIONS_MAX = 200, STAFF_DELETIONS_DONE = 20 };

static void write_row(struct http_request *req, struct buf *b, const char *csrf, const struct store_deletion_request *r)
{
    int64_t now = clock_now();
    buf_append_str(b, "<tr><td>");
    buf_append_html(b, r->user_name);
    buf_append_str(b, "<br><small>");
    buf_append_html(b, r->user_email);
    buf_append_str(b, "</small></td><td>");
    web_write_date(req, b, r->requested_at);
    buf_appendf(b, "<br><small>%lld days ago</small></td><td>", (long long)((now - r->requested_at) / 86400));
    web_write_date(req, b, r->due_at);
    if (r->due_at <= now)
        buf_append_str(b, " <strong>overdue</strong>");
    buf_append_str(b, "</td><td>");
    struct store_deletion_obstacles o;
    const char *why = store_deletion_obstacles(req->db, r->user_id, &o) == DB_OK ? deletion_obstacle_text(&o) : NULL;
    if (why != NULL) {
        buf_append_str(b, "Waiting: ");
        buf_append_html(b, o.seats > 0 ? "a rotation is held, booked or under way"
                           : o.refunds_owed > 0 ? "a refund is owed"
                                                : "a payment is on its way");
    } else {
        char action[128];
        snprintf(action, sizeof(action), "/staff/deletions/%s/complete", r->id);
        struct view_button erase = {.action = action, .label = "Erase now", .css = "danger",
                                    .context = r->user_email};
        view_button_form(b, csrf, &erase);
    }
    buf_append_str(b, "</td></tr>\n");
}

static void write_pending(struct http_request *req, struct buf *b, const char *csrf)
{
    struct store_deletion_request *items = NULL;
    size_t count = 0;
    if (store_deletion_requests_list(req->db, &req->arena, "pending", STAFF_DELETIONS_MAX, &items, &count) != DB_OK) {
        view_alert(b, "The requests cannot be read right now.");
        return;
    }
    if (count == 0) {
        buf_append_str(b, "<p id=\"no-deletions\">No request is waiting.</p>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-scroll\"><table id=\"deletions\"><caption>Waiting, oldest due first"
                      "</caption><thead><tr><th scope=\"col\">Person</th><th scope=\"col\">Asked</th>"
                      "<th scope=\"col\">Due</th><th scope=\"col\">Action</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++)
        write_row(req, b, csrf, &items[i]);
    buf_append_str(b, "</tbody></table></div>\n");
}

static void write_completed(struct http_request *req, struct buf *b)
{
    struct store_deletion_request *items = NULL;
    size_t count = 0;
    if (store_deletion_requests_list(req->db, &req->arena, "completed", STAFF_DELETIONS_DONE, &items, &count) !=
            DB_OK ||
        count == 0)
        return;
    buf_append_str(b, "<h2>Recently erased</h2><ul id=\"erased\">\n");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li>");
        buf_append_html(b, items[i].user_name);
        buf_append_str(b, ", erased ");
        web_write_date(req, b, items[i].completed_at);
        buf_append_str(b, items[i].completed_by != NULL ? " by staff" : " on schedule");
        buf_append_str(b, "</li>\n");
    }
    buf_append_str(b, "</ul>\n");
}

static void render(struct http_request *req, int status, const struct view_page *page, const char *problem)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, page);
    if (problem != NULL) {
        struct view_field_error e = {NULL, problem};
        view_error_summary(&b, "Nothing was erased.", &e, 1);
    }
    buf_append_str(&b, "<section class=\"card\"><h1>Account deletions</h1>\n");
    const char *done = http_kv_get(req->query_params, "done");
    if (problem == NULL && done != NULL && strcmp(done, "erased") == 0)
        view_notice(&b, "The account is erased.");
    buf_append_str(&b, "<p>People who asked to delete their account. Each is erased by itself on its due date "
                       "(30 days after asking) unless a rotation or money is still open; erase one sooner here. "
                       "Payment and audit records stay under a pseudonym.</p>\n");
    write_pending(req, &b, page->csrf_token);
    write_completed(req, &b);
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_staff_deletions(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (web_staff_page_setup(req, &page, "Account deletions", &user))
        render(req, 200, &page, NULL);
}

void web_page_staff_deletion_complete(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (!web_staff_page_setup(req, &page, "Account deletions", &user))
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_complete(req->db, &req->arena, http_param(req, "id"), &user, &r, &err) == 0)
        http_redirect(req, "/staff/deletions?done=erased");
    else if (error_is(err.code, ERR_CONFLICT) || err.code == ERR_DELETION_BLOCKED || err.code == ERR_NOT_FOUND)
        render(req, error_status(err.code), &page, err.detail);
    else
        http_reply_problem(req, &err);
}
