/* page_tickets.c — support tickets as pages: the queue and opening one.
 *
 *   GET  /tickets       the queue the user sees (staff every ticket, a coach
 *                       their students' and their assignments, anyone else
 *                       what they opened), by the next due time, breaches
 *                       marked; ?resolved=1 shows resolved tickets too; staff
 *                       see the response-time figures of the last 30 days
 *   GET  /tickets/new   the form: category, urgency, subject, description and,
 *                       optionally, the rotation it is about (?application_id=)
 *   POST /tickets       opens it (domain/support.h) and goes to its page
 *
 * A refused ticket shows the form again with the error summary at the top
 * and everything typed. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/support.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_tickets_params[] = {"resolved", NULL};
const char *const web_ticket_new_params[] = {"application_id", NULL};

enum { FIGURES_DAYS = 30 };

/* "2 h 5 min", "3 d 4 h", "45 min". */
void web_write_duration(struct buf *b, int64_t seconds)
{
    int64_t minutes = seconds / 60;
    if (minutes >= 24 * 60)
        buf_appendf(b, "%lld d %lld h", (long long)(minutes / (24 * 60)), (long long)(minutes / 60 % 24));
    else if (minutes >= 60)
        buf_appendf(b, "%lld h %lld min", (long long)(minutes / 60), (long long)(minutes % 60));
    else
        buf_appendf(b, "%lld min", (long long)minutes);
}

/* ---- the queue ---- */

static void render_figures(struct http_request *req, struct buf *b)
{
    struct ticket_figures f;
    if (ticket_figures(req->db, &req->arena, FIGURES_DAYS, &f) != DB_OK)
        return;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"figures-heading\"><h2 id=\"figures-heading\">"
                      "First responses, last " LIMIT_TEXT(FIGURES_DAYS) " days</h2><ul class=\"figures\">");
    buf_appendf(b, "<li class=\"figure\"><strong>%lld</strong> tickets, %lld answered</li>", (long long)f.tickets,
                (long long)f.responded);
    buf_append_str(b, "<li class=\"figure\"><strong>");
    if (f.median_seconds >= 0)
        web_write_duration(b, f.median_seconds);
    else
        buf_append_str(b, "—");
    buf_append_str(b, "</strong> median</li><li class=\"figure\"><strong>");
    if (f.p90_seconds >= 0)
        web_write_duration(b, f.p90_seconds);
    else
        buf_append_str(b, "—");
    buf_append_str(b, "</strong> 90th percentile</li><li class=\"figure\"><strong>");
    if (f.responded > 0)
        buf_appendf(b, "%lld%%", (long long)(f.within_target * 100 / f.responded));
    else
        buf_append_str(b, "—");
    buf_append_str(b, "</strong> within target</li></ul></section>\n");
}

/* The due time of what the ticket waits for now, with "late" when it passed. */
static void render_due(const struct http_request *req, struct buf *b, const struct store_ticket *t, int64_t now)
{
    enum ticket_status status = ticket_status_parse(t->status);
    if (status == TICKET_RESOLVED) {
        buf_append_str(b, "<span class=\"muted\">Resolved</span>");
        return;
    }
    bool responded = t->first_response_at > 0;
    bool late = responded ? ticket_resolve_breached(t, now) : ticket_response_breached(t, now);
    buf_append_str(b, responded ? "Resolution " : "First response ");
    web_write_instant(req, b, responded ? t->resolve_due_at : t->response_due_at);
    if (late)
        buf_append_str(b, " <span class=\"status status-action\">Late</span>");
}

static void render_row(const struct http_request *req, struct buf *b, const struct store_ticket *t, int64_t now)
{
    buf_append_str(b, "<tr><th scope=\"row\" data-label=\"Subject\"><a href=\"/tickets/");
    buf_append_url(b, t->id);
    buf_append_str(b, "\">");
    buf_append_html(b, t->subject);
    buf_append_str(b, "</a></th><td data-label=\"Category\">");
    buf_append_html(b, ticket_category_label(ticket_category_parse(t->category)));
    if (ticket_urgency_parse(t->urgency) == TICKET_URGENT)
        buf_append_str(b, " <span class=\"status status-action\">Urgent</span>");
    buf_append_str(b, "</td><td data-label=\"From\">");
    buf_append_html(b, t->requester_name != NULL ? t->requester_name : "");
    buf_append_str(b, "</td><td data-label=\"Status\">");
    buf_append_html(b, ticket_status_label(ticket_status_parse(t->status)));
    buf_append_str(b, "</td><td data-label=\"Due\">");
    render_due(req, b, t, now);
    buf_append_str(b, "</td></tr>\n");
}

static void render_queue(const struct http_request *req, struct buf *b, const struct store_ticket *items, size_t count,
                         bool resolved)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"queue-heading\"><h2 id=\"queue-heading\">");
    buf_append_str(b, resolved ? "All tickets" : "Open tickets");
    buf_append_str(b, "</h2>\n<p>");
    buf_append_str(b, resolved ? "<a href=\"/tickets\">Show open tickets only</a>"
                               : "<a href=\"/tickets?resolved=1\">Show resolved tickets too</a>");
    buf_append_str(b, "</p>\n");
    if (count == 0) {
        buf_append_str(b, "<p>No tickets.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records tickets\"><thead><tr>"
                      "<th scope=\"col\">Subject</th><th scope=\"col\">Category</th><th scope=\"col\">From</th>"
                      "<th scope=\"col\">Status</th><th scope=\"col\">Due</th></tr></thead><tbody>\n");
    int64_t now = clock_now();
    for (size_t i = 0; i < count; i++)
        render_row(req, b, &items[i], now);
    buf_append_str(b, "</tbody></table></div></section>\n");
}

void web_page_tickets(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *resolved_text = http_kv_get(query, "resolved");
    if (resolved_text != NULL && strcmp(resolved_text, "1") != 0 && strcmp(resolved_text, "0") != 0) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "resolved", "must be 1 or 0");
        return;
    }
    bool resolved = resolved_text != NULL && strcmp(resolved_text, "1") == 0;
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Support", &user))
        return;
    struct store_ticket *items;
    size_t count;
    struct error err = {0};
    if (ticket_queue(req->db, &req->arena, &user, resolved, &items, &count, &err) != 0) {
        http_reply_error(req, err.code, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Support</h1>\n<p class=\"lead\">A person answers every ticket: urgent ones within "
                       "hours, others within a business day. For a safety problem, choose the category "
                       "Safety.</p>\n<p><a class=\"button\" href=\"/tickets/new\">Open a ticket</a></p>\n");
    if (account_has_role(&user, ROLE_STAFF))
        render_figures(req, &b);
    render_queue(req, &b, items, count, resolved);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}

/* ---- opening a ticket ---- */

/* What the form shows again after a refusal, with every problem found. */
struct ticket_form {
    const char *category, *urgency, *subject, *body, *application_id;
    struct web_form_errors errors;
};

static const char *field_error(const struct ticket_form *f, const char *name)
{
    return web_form_error_for(&f->errors, name);
}

/* The rotations a ticket may be about: the student's own, and the one the form came with. */
static void render_application_select(struct http_request *req, struct buf *b, const struct store_user *user,
                                      const struct ticket_form *f)
{
    struct store_application *apps = NULL;
    size_t count = 0;
    if (account_has_role(user, ROLE_STUDENT) &&
        store_student_applications(req->db, &req->arena, user->id, "offered,held,booked,cleared,in_progress,completed",
                                   NULL, &apps, &count) != DB_OK)
        count = 0;
    struct store_application given;
    bool given_listed = f->application_id == NULL || f->application_id[0] == '\0';
    for (size_t i = 0; !given_listed && i < count; i++)
        given_listed = strcmp(apps[i].id, f->application_id) == 0;
    bool has_given = !given_listed &&
                     store_application_get(req->db, &req->arena, f->application_id, &given) == DB_ROW &&
                     application_visible_to(&given, user);
    if (count == 0 && !has_given)
        return;
    buf_append_str(b, "<div class=\"field\"><label for=\"f-application_id\">The rotation it is about (optional)</label>"
                      "<select id=\"f-application_id\" name=\"application_id\"><option value=\"\">None</option>");
    for (size_t i = 0; i < count + (has_given ? 1 : 0); i++) {
        const struct store_application *a = i < count ? &apps[i] : &given;
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, a->id);
        bool chosen = f->application_id != NULL && strcmp(f->application_id, a->id) == 0;
        buf_append_str(b, chosen ? "\" selected>" : "\">");
        buf_append_html(b, a->offering_title);
        buf_append_str(b, ", ");
        /* The student's own rotations need no name: the host and the dates tell them apart. */
        buf_append_html(b, strcmp(a->student_id, user->id) == 0 ? a->host_name : a->student_name);
        buf_append_str(b, ", ");
        view_date(b, a->block_start);
        buf_append_str(b, "</option>");
    }
    buf_append_str(b, "</select></div>\n");
}

static void render_new(struct http_request *req, int status, struct ticket_form *f)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Open a ticket", &user))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    web_form_error_summary(&b, &req->arena, "The ticket was not opened. Everything you typed is still in the form.",
                           &f->errors);
    buf_append_str(&b, "<p><a href=\"/tickets\">← Support</a></p>\n<h1>Open a ticket</h1>\n"
                       "<p class=\"lead\">Urgent tickets get a first answer within 2 hours, others within a business "
                       "day. Safety problems are always urgent and reach the person on call at once.</p>\n");
    view_form_begin(&b, "/tickets", page.csrf_token);
    view_select(&b, "Category", "category", ticket_category_names, ticket_category_labels,
                f->category != NULL ? f->category : "first_day", field_error(f, "category"));
    view_select(&b, "Urgency", "urgency", ticket_urgency_names, ticket_urgency_labels,
                f->urgency != NULL ? f->urgency : "normal", field_error(f, "urgency"));
    render_application_select(req, &b, &user, f);
    view_input(&b, "Subject", "text", "subject", f->subject, "off", true,
               "At most " LIMIT_TEXT(TICKET_SUBJECT_MAX_CHARS) " characters.", field_error(f, "subject"));
    view_textarea(&b, "What happened, and what do you need?", "body", f->body, 6, TICKET_BODY_MAX_CHARS, NULL,
                  field_error(f, "body"));
    view_form_end(&b, "Open the ticket");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_ticket_new(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    struct ticket_form f = {.application_id = http_kv_get(query, "application_id")};
    render_new(req, 200, &f);
}

void web_page_tickets_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct ticket_form f = {
        .category = http_form(req, "category"),
        .urgency = http_form(req, "urgency"),
        .subject = http_form(req, "subject"),
        .body = http_form(req, "body"),
        .application_id = http_form(req, "application_id"),
    };
    /* Every empty field at once, so that one submission shows them all. */
    if (f.category == NULL)
        web_form_error_add(&f.errors, "category", "Choose a category.");
    if (f.subject == NULL || f.subject[0] == '\0')
        web_form_error_add(&f.errors, "subject", "Enter a subject.");
    if (f.body == NULL || f.body[0] == '\0')
        web_form_error_add(&f.errors, "body", "Say what happened and what you need.");
    if (f.errors.count > 0) {
        render_new(req, 400, &f);
        return;
    }
    struct ticket_input in = {f.category, f.urgency, f.subject, f.body,
                              f.application_id != NULL && f.application_id[0] != '\0' ? f.application_id : NULL};
    struct store_ticket t;
    struct error err = {0};
    if (ticket_open(req->db, &req->arena, &user, &in, &t, &err) != 0) {
        if (err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL) {
            http_reply_error(req, err.code, NULL, NULL);
            return;
        }
        if (err.code == ERR_NOT_FOUND) /* a rotation the user may not see: as if it did not exist */
            web_form_error_add(&f.errors, "application_id", "There is no such rotation of yours.");
        else
            web_form_error_add(&f.errors, err.field, err.detail != NULL ? err.detail : error_title(err.code));
        render_new(req, error_status(err.code), &f);
        return;
    }
    web_redirect_done(req, "/tickets/", t.id, "opened");
}
