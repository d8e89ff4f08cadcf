/* page_check_ins.c — the weekly check-ins of a rotation as a page.
 *
 *   GET  /rotations/{id}/check-ins   every check-in, newest week first; for the
 *                                    student, while the rotation is under way and
 *                                    this week has none, the form: how it is going
 *                                    (1–5), what they did, "I need help"
 *   POST /rotations/{id}/check-ins   the student checks in (domain/check_ins.h);
 *                                    help or a low score opens a ticket for the coach
 *
 * A check-in that works comes back with a notice (and the ticket it opened);
 * one that is refused shows the page again with the error summary at the top
 * and everything typed. Anyone who may not see the rotation gets 404. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/check_ins.h"
#include "domain/coaches.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_check_ins_params[] = {"done", "ticket", NULL};

static const char *const score_labels[] = {
    "1 — very badly", "2 — badly", "3 — all right", "4 — well", "5 — very well",
};

/* What the form shows again after a refusal. */
struct check_in_form {
    const char *score, *activities;
    bool needs_help;
    struct error err; /* err.field names the input; ERR_NONE: no error */
};

/* Everything the page shows, loaded before rendering. */
struct check_ins_view {
    struct store_user user;
    struct store_application a;
    struct store_check_in *items;
    size_t count;
    char week[11];    /* this week of the rotation, when under way */
    bool form_open;   /* the student may check in now */
    bool student;     /* the viewer is the student */
    bool sees_ticket; /* the viewer may open the tickets check-ins opened */
};

static int load(struct http_request *req, struct check_ins_view *v)
{
    if (!web_application_visible(req, &v->user, http_param(req, "id"), "check_ins", &v->a))
        return -1;
    struct error err = {0};
    if (check_ins_list(req->db, &req->arena, &v->user, v->a.id, &v->items, &v->count, &err) != 0) {
        http_reply_error(req, err.code, NULL, NULL);
        return -1;
    }
    v->student = strcmp(v->a.student_id, v->user.id) == 0;
    v->sees_ticket = v->student || account_has_role(&v->user, ROLE_STAFF) ||
                     (v->a.coach_id != NULL && strcmp(v->a.coach_id, v->user.id) == 0);
    char today[11];
    clock_today(today);
    bool under_way = application_status_of(&v->a) == APPLICATION_IN_PROGRESS &&
                     check_in_week(v->a.block_start, v->a.block_end, today, v->week);
    v->form_open = v->student && under_way;
    for (size_t i = 0; v->form_open && i < v->count; i++)
        if (strcmp(v->items[i].week_start, v->week) == 0)
            v->form_open = false;
    return 0;
}

static const char *field_error(const struct check_in_form *f, const char *name)
{
    if (f == NULL || f->err.code == ERR_NONE || f->err.field == NULL || strcmp(f->err.field, name) != 0)
        return NULL;
    return f->err.detail != NULL ? f->err.detail : error_title(f->err.code);
}

/* The score as five radio buttons in a fieldset (id "f-score" for the summary's link). */
static void render_score(struct buf *b, const struct check_in_form *f)
{
    const char *error = field_error(f, "score");
    buf_append_str(b, "<fieldset class=\"choices\" id=\"f-score\"");
    if (error != NULL)
        buf_append_str(b, " aria-describedby=\"e-score\" aria-invalid=\"true\"");
    buf_append_str(b, "><legend>How is it going?</legend>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-score\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    for (int s = 1; s <= 5; s++) {
        buf_appendf(b, "<label><input type=\"radio\" name=\"score\" value=\"%d\" required", s);
        if (f->score != NULL && f->score[0] == (char)('0' + s) && f->score[1] == '\0')
            buf_append_str(b, " checked");
        buf_append_str(b, "> ");
        buf_append_html(b, score_labels[s - 1]);
        buf_append_str(b, "</label>");
    }
    buf_append_str(b, "</fieldset>\n");
}

static void render_form(struct buf *b, const struct check_ins_view *v, const struct check_in_form *f,
                        const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" id=\"check-in-form\" aria-labelledby=\"form-heading\">"
                      "<h2 id=\"form-heading\">Check in for the week of ");
    view_date(b, v->week);
    buf_append_str(b, "</h2>\n<p>Your coach reads every check-in. Asking for help, or a score of 2 or less, "
                      "opens a support ticket your coach answers.</p>\n<form class=\"stack\" method=\"post\" "
                      "action=\"/rotations/");
    buf_append_url(b, v->a.id);
    buf_append_str(b, "/check-ins\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">\n");
    render_score(b, f);
    view_textarea(b, "What did you do this week? (optional)", "activities", f->activities, 4,
                  CHECK_IN_TEXT_MAX_CHARS, NULL, field_error(f, "activities"));
    view_checkbox(b, "I need help", "needs_help", f->needs_help, "Your coach gets a ticket and answers you.");
    view_form_end(b, "Send the check-in");
    buf_append_str(b, "</section>\n");
}

static void render_item(const struct http_request *req, struct buf *b, const struct check_ins_view *v,
                        const struct store_check_in *c)
{
    bool worrying = c->needs_help || c->score <= COACH_WORRYING_SCORE;
    buf_append_str(b, "<li class=\"check-in\"><h3>Week of ");
    view_date(b, c->week_start);
    buf_appendf(b, "</h3><p><span class=\"status status-%s\">", worrying ? "action" : "good");
    buf_append_html(b, c->score >= 1 && c->score <= 5 ? score_labels[c->score - 1] : "?");
    buf_append_str(b, "</span>");
    if (c->needs_help)
        buf_append_str(b, " <span class=\"status status-action\">Asked for help</span>");
    buf_append_str(b, " <span class=\"muted\">sent ");
    web_write_instant(req, b, c->created_at);
    buf_append_str(b, "</span></p>");
    if (c->activities != NULL && c->activities[0] != '\0') {
        buf_append_str(b, "<p class=\"prose\">");
        buf_append_html(b, c->activities);
        buf_append_str(b, "</p>");
    }
    if (c->ticket_id != NULL && v->sees_ticket) {
        buf_append_str(b, "<p><a href=\"/tickets/");
        buf_append_url(b, c->ticket_id);
        buf_append_str(b, "\">The ticket it opened</a></p>");
    }
    buf_append_str(b, "</li>\n");
}

static void render_list(const struct http_request *req, struct buf *b, const struct check_ins_view *v)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"list-heading\"><h2 id=\"list-heading\">"
                      "Check-ins so far</h2>\n");
    if (v->count == 0) {
        buf_append_str(b, "<p>No check-in yet.</p></section>\n");
        return;
    }
    buf_append_str(b, "<ol class=\"check-ins\">");
    for (size_t i = 0; i < v->count; i++)
        render_item(req, b, v, &v->items[i]);
    buf_append_str(b, "</ol></section>\n");
}

/* What a student who cannot check in now is told. */
static void render_closed(struct buf *b, const struct check_ins_view *v)
{
    if (!v->student)
        return;
    buf_append_str(b, "<p class=\"notice\">");
    if (v->week[0] != '\0' && application_status_of(&v->a) == APPLICATION_IN_PROGRESS)
        buf_append_str(b, "You have checked in for this week. The next check-in opens next week.");
    else
        buf_append_str(b, "Check-ins open once a week while the rotation is under way.");
    buf_append_str(b, "</p>\n");
}

/* The page; f (or NULL: an empty form) and its error summary. */
static void render(struct http_request *req, int status, const char *notice, const char *ticket_id,
                   const struct check_in_form *f)
{
    struct view_page page;
    struct check_ins_view v = {0};
    if (!web_page_setup(req, &page, "Weekly check-ins", &v.user) || load(req, &v) != 0)
        return;
    struct check_in_form blank = {0};
    if (f == NULL)
        f = &blank;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    view_page_begin(&b, &page);
    if (f->err.code != ERR_NONE)
        web_error_summary(&b, f->err.field, f->err.detail != NULL ? f->err.detail : error_title(f->err.code));
    if (notice != NULL) {
        view_notice(&b, notice);
        if (ticket_id != NULL && v.sees_ticket) {
            buf_append_str(&b, "<p><a href=\"/tickets/");
            buf_append_url(&b, ticket_id);
            buf_append_str(&b, "\">Open the ticket</a></p>\n");
        }
    }
    buf_append_str(&b, "<p><a href=\"/rotations/");
    buf_append_url(&b, v.a.id);
    buf_append_str(&b, "\">← The rotation</a></p>\n<h1>Weekly check-ins: ");
    buf_append_html(&b, v.a.offering_title);
    buf_append_str(&b, "</h1>\n<p class=\"lead\">");
    buf_append_html(&b, v.a.student_name);
    buf_append_str(&b, ", ");
    view_date(&b, v.a.block_start);
    buf_append_str(&b, " to ");
    view_date(&b, v.a.block_end);
    buf_append_str(&b, "</p>\n");
    if (v.form_open)
        render_form(&b, &v, f, page.csrf_token);
    else
        render_closed(&b, &v);
    render_list(req, &b, &v);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_check_ins(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    const char *notice = NULL;
    if (done != NULL && strcmp(done, "sent") == 0)
        notice = "Thank you: your check-in is sent to your coach.";
    else if (done != NULL && strcmp(done, "help") == 0)
        notice = "Your check-in is sent, and your coach has a ticket to answer you.";
    render(req, 200, notice, notice != NULL ? http_kv_get(query, "ticket") : NULL, NULL);
}

/* The form into the domain's input; false with f->err set. */
static bool read_form(struct http_request *req, struct check_in_form *f, struct check_in_input *in)
{
    f->score = http_form(req, "score");
    f->activities = http_form(req, "activities");
    const char *help = http_form(req, "needs_help");
    f->needs_help = help != NULL && strcmp(help, "1") == 0;
    *in = (struct check_in_input){.activities = f->activities, .needs_help = f->needs_help};
    if (help != NULL && strcmp(help, "1") != 0) {
        error_set(&f->err, ERR_VALIDATION_FAILED, "needs_help", "Tick the box, or leave it empty.");
        return false;
    }
    if (f->score == NULL || f->score[0] < '1' || f->score[0] > '5' || f->score[1] != '\0') {
        error_set(&f->err, ERR_VALIDATION_FAILED, "score", "Choose how it is going, from 1 to 5.");
        return false;
    }
    in->score = f->score[0] - '0';
    return true;
}

void web_page_check_ins_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *application_id = http_param(req, "id");
    struct check_in_form f = {0};
    struct check_in_input in;
    struct store_check_in c = {0};
    if (!read_form(req, &f, &in) ||
        check_in_submit(req->db, &req->arena, &user, application_id, &in, &c, &f.err) != 0) {
        if (f.err.code == ERR_NOT_FOUND || f.err.code == ERR_UNAVAILABLE || f.err.code == ERR_INTERNAL) {
            http_reply_error(req, f.err.code, NULL,
                             f.err.code == ERR_NOT_FOUND ? "This rotation does not exist, or it is not yours to see"
                                                         : NULL);
            return;
        }
        render(req, error_status(f.err.code), NULL, NULL, &f);
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/rotations/");
    buf_append_url(&location, application_id);
    buf_append_str(&location, c.ticket_id != NULL ? "/check-ins?done=help&ticket=" : "/check-ins?done=sent");
    if (c.ticket_id != NULL)
        buf_append_url(&location, c.ticket_id);
    http_redirect(req, buf_ok(&location) ? location.data : "/");
}
