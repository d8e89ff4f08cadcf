/* page_ticket.c — one support ticket as a page.
 *
 *   GET  /tickets/{id}            the ticket: category, urgency, status, who
 *                                 opened it and for which rotation, the assignee,
 *                                 the due times (late ones marked), every reply,
 *                                 status change and assignment; a reply form,
 *                                 resolve or reopen, and for staff "assign to"
 *   POST /tickets/{id}/replies    a reply (body)
 *   POST /tickets/{id}/{action}   resolve, reopen, assign (assignee_id, staff)
 *
 * Its requester, the student's coach, its assignee and staff see it; anyone
 * else gets 404. A refused reply shows the page again with the error summary
 * and the reply as typed. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/support.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/rotation.h"
#include "views/forms.h"
#include "web/web.h"

const char *const web_ticket_params[] = {"done", NULL};

static const char *done_message(const char *done)
{
    static const char *const messages[][2] = {
        {"opened", "Your ticket is open. You will be told here and by email when someone answers."},
        {"replied", "Your reply is sent."},
        {"resolve", "The ticket is resolved."},
        {"reopen", "The ticket is open again."},
        {"assign", "The ticket is assigned."},
    };
    for (size_t i = 0; done != NULL && i < sizeof(messages) / sizeof(messages[0]); i++)
        if (strcmp(messages[i][0], done) == 0)
            return messages[i][1];
    return NULL;
}

static void fact(struct buf *b, const char *term)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
}

static void render_due(const struct http_request *req, struct buf *b, const char *term, int64_t due, int64_t done_at,
                       bool breached)
{
    fact(b, term);
    web_write_instant(req, b, due);
    if (done_at > 0) {
        buf_append_str(b, " <span class=\"muted\">(done ");
        web_write_instant(req, b, done_at);
        buf_append_str(b, ")</span>");
    }
    if (breached)
        buf_append_str(b, " <span class=\"status status-action\">Late</span>");
    buf_append_str(b, "</dd>");
}

static void render_facts(const struct http_request *req, struct buf *b, const struct ticket_view *v)
{
    const struct store_ticket *t = &v->ticket;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"facts-heading\"><h2 id=\"facts-heading\">"
                      "The ticket</h2>\n<dl class=\"facts\">");
    fact(b, "Category");
    buf_append_html(b, ticket_category_label(ticket_category_parse(t->category)));
    buf_append_str(b, "</dd>");
    fact(b, "Urgency");
    buf_append_html(b, ticket_urgency_label(ticket_urgency_parse(t->urgency)));
    buf_append_str(b, "</dd>");
    fact(b, "Status");
    buf_append_html(b, ticket_status_label(ticket_status_parse(t->status)));
    buf_append_str(b, "</dd>");
    fact(b, "Opened by");
    buf_append_html(b, t->requester_name != NULL ? t->requester_name : "");
    buf_append_str(b, ", ");
    web_write_instant(req, b, t->created_at);
    buf_append_str(b, "</dd>");
    if (t->application_id != NULL) {
        fact(b, "Rotation");
        buf_append_str(b, "<a href=\"/rotations/");
        buf_append_url(b, t->application_id);
        buf_append_str(b, "\">The rotation's page</a></dd>");
    }
    fact(b, "Answered by");
    buf_append_html(b, t->assignee_name != NULL ? t->assignee_name : "Rounds support staff");
    buf_append_str(b, "</dd>");
    render_due(req, b, "First response due", t->response_due_at, t->first_response_at, v->response_breached);
    render_due(req, b, "Resolution due", t->resolve_due_at, t->resolved_at, v->resolve_breached);
    buf_append_str(b, "</dl></section>\n");
}

/* One event in words: "Sam Carter replied", "Status: Resolved". */
static void render_event(struct http_request *req, struct buf *b, const struct store_ticket_event *e)
{
    const char *who = e->actor_name != NULL ? e->actor_name : "Rounds";
    buf_append_str(b, "<li class=\"event\"><p><strong>");
    buf_append_html(b, who);
    buf_append_str(b, "</strong> ");
    if (strcmp(e->kind, "opened") == 0) {
        buf_append_str(b, "opened the ticket");
    } else if (strcmp(e->kind, "reply") == 0) {
        buf_append_str(b, "replied");
    } else if (strcmp(e->kind, "status") == 0) {
        buf_append_str(b, "set the status to ");
        buf_append_html(b, ticket_status_label(ticket_status_parse(e->body)));
    } else if (strcmp(e->kind, "assigned") == 0) {
        struct store_user assignee;
        buf_append_str(b, "assigned it to ");
        buf_append_html(b, e->body != NULL && store_user_by_id(req->db, &req->arena, e->body, &assignee) == DB_ROW
                               ? assignee.name
                               : "someone");
    } else if (strcmp(e->kind, "escalated") == 0) {
        buf_append_str(b, "told all staff: the ");
        buf_append_html(b, e->body != NULL ? e->body : "");
        buf_append_str(b, " is late");
    } else {
        buf_append_html(b, e->kind);
    }
    buf_append_str(b, " <span class=\"muted\">");
    web_write_instant(req, b, e->created_at);
    buf_append_str(b, "</span></p>");
    if ((strcmp(e->kind, "opened") == 0 || strcmp(e->kind, "reply") == 0) && e->body != NULL) {
        buf_append_str(b, "<p class=\"prose\">");
        buf_append_html(b, e->body);
        buf_append_str(b, "</p>");
    }
    buf_append_str(b, "</li>\n");
}

static void render_events(struct http_request *req, struct buf *b, const struct ticket_view *v)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"events-heading\"><h2 id=\"events-heading\">"
                      "What happened</h2>\n<ol class=\"events\">");
    for (size_t i = 0; i < v->event_count; i++)
        render_event(req, b, &v->events[i]);
    buf_append_str(b, "</ol></section>\n");
}

static void render_reply(struct buf *b, const struct ticket_view *v, const char *typed, const char *error,
                         const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" id=\"reply\" aria-labelledby=\"reply-heading\"><h2 id=\"reply-heading\">"
                      "Reply</h2>\n<form class=\"stack\" method=\"post\" action=\"/tickets/");
    buf_append_url(b, v->ticket.id);
    buf_append_str(b, "/replies\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">\n");
    view_textarea(b, "Your reply", "body", typed, 5, TICKET_BODY_MAX_CHARS, NULL, error);
    view_form_end(b, "Send the reply");
    buf_append_str(b, "</section>\n");
}

/* Staff assign to a coach or a staff member. */
static void render_assign(struct http_request *req, struct buf *b, const struct ticket_view *v, const char *csrf_token)
{
    struct store_coach *coaches = NULL;
    struct store_person *staff = NULL;
    size_t coach_count = 0, staff_count = 0;
    if (store_coaches_list(req->db, &req->arena, &coaches, &coach_count) != DB_OK ||
        store_users_with_role(req->db, &req->arena, role_name(ROLE_STAFF), &staff, &staff_count) != DB_OK)
        return;
    const char *current = v->ticket.assignee_id != NULL ? v->ticket.assignee_id : "";
    buf_append_str(b, "<form class=\"inline\" method=\"post\" action=\"/tickets/");
    buf_append_url(b, v->ticket.id);
    buf_append_str(b, "/assign\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\"><label for=\"f-assignee_id\">Assign to</label> <select id=\"f-assignee_id\" "
                      "name=\"assignee_id\">");
    for (size_t i = 0; i < coach_count + staff_count; i++) {
        const char *id = i < coach_count ? coaches[i].id : staff[i - coach_count].id;
        const char *name = i < coach_count ? coaches[i].name : staff[i - coach_count].name;
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, id);
        buf_append_str(b, strcmp(id, current) == 0 ? "\" selected>" : "\">");
        buf_append_html(b, name);
        buf_append_str(b, i < coach_count ? " (coach)</option>" : " (staff)</option>");
    }
    buf_append_str(b, "</select> <button type=\"submit\">Assign</button></form>\n");
}

static void render_actions(struct http_request *req, struct buf *b, const struct ticket_view *v, bool staff,
                           const char *csrf_token)
{
    bool resolved = ticket_status_parse(v->ticket.status) == TICKET_RESOLVED;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"actions-heading\"><h2 id=\"actions-heading\">"
                      "What you can do</h2>\n");
    struct buf action;
    buf_init(&action, &req->arena, BUF_CAP_LINE);
    buf_append_str(&action, "/tickets/");
    buf_append_url(&action, v->ticket.id);
    buf_append_str(&action, resolved ? "/reopen" : "/resolve");
    struct view_button button = {.action = action.data, .label = resolved ? "Reopen the ticket" : "Mark as resolved"};
    view_button_form(b, csrf_token, &button);
    if (staff)
        render_assign(req, b, v, csrf_token);
    buf_append_str(b, "</section>\n");
}

/* The page; a refused POST passes its error and the reply as typed. */
static void render(struct http_request *req, int status, const char *notice, const struct error *problem,
                   const char *typed)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Support ticket", &user))
        return;
    struct ticket_view v;
    struct error err = {0};
    if (ticket_load(req->db, &req->arena, &user, http_param(req, "id"), &v, &err) != 0) {
        http_reply_error(req, err.code, NULL,
                         err.code == ERR_NOT_FOUND ? "This ticket does not exist, or it is not yours to see" : NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    view_page_begin(&b, &page);
    const char *message = problem != NULL ? (problem->detail != NULL ? problem->detail : error_title(problem->code))
                                          : NULL;
    if (problem != NULL)
        web_error_summary(&b, problem->field, message);
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p><a href=\"/tickets\">← Support</a></p>\n<h1>");
    buf_append_html(&b, v.ticket.subject);
    buf_append_str(&b, "</h1>\n");
    render_facts(req, &b, &v);
    render_events(req, &b, &v);
    bool body_error = problem != NULL && problem->field != NULL && strcmp(problem->field, "body") == 0;
    if (ticket_status_parse(v.ticket.status) != TICKET_RESOLVED)
        render_reply(&b, &v, typed, body_error ? message : NULL, page.csrf_token);
    render_actions(req, &b, &v, account_has_role(&user, ROLE_STAFF), page.csrf_token);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_ticket(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, done_message(http_kv_get(query, "done")), NULL, NULL);
}

/* A refused POST: 404 and 503 as pages of their own, anything else on the ticket's page. */
static void refused(struct http_request *req, const struct error *err, const char *typed)
{
    if (err->code == ERR_NOT_FOUND || err->code == ERR_UNAVAILABLE || err->code == ERR_INTERNAL) {
        http_reply_error(req, err->code, NULL,
                         err->code == ERR_NOT_FOUND ? "This ticket does not exist, or it is not yours to see" : NULL);
        return;
    }
    render(req, error_status(err->code), NULL, err, typed);
}

void web_page_ticket_reply(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *body = http_form(req, "body");
    struct error err = {0};
    if (body == NULL || body[0] == '\0')
        error_set(&err, ERR_VALIDATION_FAILED, "body", "Write your reply.");
    if (err.code != ERR_NONE || ticket_reply(req->db, &req->arena, &user, http_param(req, "id"), body, &err) != 0) {
        refused(req, &err, body);
        return;
    }
    web_redirect_done(req, "/tickets/", http_param(req, "id"), "replied");
}

void web_page_ticket_action(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *action = http_param(req, "action");
    const char *assignee = http_form(req, "assignee_id");
    struct error err = {0};
    if (ticket_act(req->db, &req->arena, &user, http_param(req, "id"), action,
                   assignee != NULL && assignee[0] != '\0' ? assignee : NULL, &err) != 0) {
        refused(req, &err, NULL);
        return;
    }
    web_redirect_done(req, "/tickets/", http_param(req, "id"), action);
}
