/* page_coach.c — GET /coach: a coach's dashboard of their students (next
 * starts, open tickets, missed or worrying check-ins, onboarding requirements
 * met as the rotation page counts them, unpaid balances), each student linked to their rotation. Staff see the
 * list of coaches and any coach's dashboard (?coach_id=), with a form per
 * student to reassign them: POST /staff/students/{id}/coach {coach_id}.
 * Anyone else gets 404. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/coaches.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_coach_params[] = {"coach_id", "done", NULL};

/* One figure of the summary: "3 starting within 14 days". */
static void figure(struct buf *b, int64_t n, const char *words, bool alarm)
{
    buf_append_str(b, alarm && n > 0 ? "<li class=\"figure alarm\"><strong>" : "<li class=\"figure\"><strong>");
    buf_append_int(b, n);
    buf_append_str(b, "</strong> ");
    buf_append_html(b, words);
    buf_append_str(b, "</li>");
}

static void render_summary(struct buf *b, const struct coach_dashboard *d)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"summary-heading\"><h2 id=\"summary-heading\">"
                      "At a glance</h2><ul class=\"figures\">");
    figure(b, (int64_t)d->count, d->count == 1 ? "student" : "students", false);
    figure(b, d->starting_soon, "starting within 14 days", false);
    figure(b, d->in_progress, "on a rotation now", false);
    figure(b, d->with_open_tickets, "with open tickets", true);
    figure(b, d->check_ins_missed, "without a check-in for 8 days", true);
    figure(b, d->check_ins_worrying, "with a worrying check-in", true);
    figure(b, d->documents_missing, "with onboarding requirements not met", true);
    figure(b, d->unpaid, "with a balance due", true);
    buf_append_str(b, "</ul></section>\n");
}

/* The "Needs attention" cell: the flags in words. */
static void render_flags(struct buf *b, const struct coach_dashboard_row *row)
{
    size_t shown = 0;
    const struct {
        bool on;
        const char *words;
    } flags[] = {
        {row->check_in_missed, "No check-in for 8 days"},
        {row->check_in_worrying, "Worrying check-in"},
        {row->open_tickets > 0, "Open ticket"},
        {row->documents_not_ready > 0, "Requirements not met"},
        {row->unpaid_cents > 0, "Balance due"},
        {row->starts_soon, "Starts soon"},
    };
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        if (!flags[i].on)
            continue;
        buf_append_str(b, shown++ == 0 ? "<ul class=\"flags\">" : "");
        buf_append_str(b, "<li class=\"status status-action\">");
        buf_append_html(b, flags[i].words);
        buf_append_str(b, "</li>");
    }
    buf_append_str(b, shown > 0 ? "</ul>" : "<span class=\"muted\">Nothing</span>");
}

static void render_reassign(struct buf *b, const struct coach_dashboard_row *row, const struct store_coach *coaches,
                            size_t coach_count, const char *current, const char *csrf_token)
{
    buf_append_str(b, "<form class=\"inline reassign\" method=\"post\" action=\"/staff/students/");
    buf_append_url(b, row->student.student_id);
    buf_append_str(b, "/coach\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\"><label>Coach <select name=\"coach_id\">");
    for (size_t i = 0; i < coach_count; i++) {
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, coaches[i].id);
        buf_append_str(b, strcmp(coaches[i].id, current) == 0 ? "\" selected>" : "\">");
        buf_append_html(b, coaches[i].name);
        buf_append_str(b, "</option>");
    }
    buf_append_str(b, "</select></label> <button type=\"submit\">Reassign</button></form>");
}

/* The onboarding cell in the rotation page's words: "3 of 18 met", "All 18 met". */
static void render_requirements(struct buf *b, const struct coach_dashboard_row *row)
{
    enum application_status status = application_status_parse(row->student.status);
    bool open = status == APPLICATION_HELD || status == APPLICATION_BOOKED || status == APPLICATION_CLEARED ||
                status == APPLICATION_IN_PROGRESS;
    if (!open)
        buf_append_str(b, "<span class=\"muted\">None</span>");
    else if (row->requirements == 0)
        buf_append_str(b, "<span class=\"muted\">None asked</span>");
    else if (row->documents_not_ready == 0)
        buf_appendf(b, "All %lld met", (long long)row->requirements);
    else
        buf_appendf(b, "%lld of %lld met", (long long)(row->requirements - row->documents_not_ready),
                    (long long)row->requirements);
}

static void render_row(const struct http_request *req, struct buf *b, const struct coach_dashboard_row *row)
{
    const struct store_coach_student *s = &row->student;
    buf_append_str(b, "<tr><th scope=\"row\" data-label=\"Student\">");
    buf_append_html(b, s->student_name);
    buf_append_str(b, " <span class=\"muted\">");
    buf_append_html(b, s->student_email);
    buf_append_str(b, "</span></th><td data-label=\"Rotation\">");
    if (s->application_id != NULL) {
        buf_append_str(b, "<a href=\"/rotations/");
        buf_append_url(b, s->application_id);
        buf_append_str(b, "\">");
        buf_append_html(b, s->offering_title);
        buf_append_str(b, "</a> <span class=\"muted\">");
        buf_append_html(b, s->host_name);
        buf_append_str(b, "</span> ");
        web_application_status(b, application_status_parse(s->status));
        buf_append_str(b, "</td><td data-label=\"Dates\">");
        view_date(b, s->block_start);
        buf_append_str(b, " to ");
        view_date(b, s->block_end);
    } else {
        buf_append_str(b, "<span class=\"muted\">No rotation booked now</span></td><td data-label=\"Dates\">");
    }
    buf_append_str(b, "</td><td data-label=\"Last check-in\">");
    if (row->last_check_in_at > 0) {
        buf_appendf(b, "%lld of 5%s on ", (long long)row->last_check_in_score,
                    row->last_check_in_help ? ", asked for help," : "");
        web_write_date(req, b, row->last_check_in_at);
    } else {
        buf_append_str(b, "<span class=\"muted\">None</span>");
    }
    buf_appendf(b, "</td><td data-label=\"Open tickets\">%lld</td><td data-label=\"Onboarding requirements\">",
                (long long)row->open_tickets);
    render_requirements(b, row);
    buf_append_str(b, "</td><td data-label=\"Balance due\">");
    if (row->unpaid_cents > 0)
        view_money(b, row->unpaid_cents);
    else
        buf_append_str(b, "<span class=\"muted\">None</span>");
    buf_append_str(b, "</td><td data-label=\"Needs attention\">");
    render_flags(b, row);
    buf_append_str(b, "</td>");
}

static void render_students(struct http_request *req, struct buf *b, const struct coach_dashboard *d, bool staff,
                            const char *csrf_token)
{
    struct store_coach *coaches = NULL;
    size_t coach_count = 0;
    if (staff && store_coaches_list(req->db, &req->arena, &coaches, &coach_count) != DB_OK)
        coach_count = 0;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"students-heading\"><h2 id=\"students-heading\">"
                      "Students, by next start</h2>\n");
    if (d->count == 0) {
        buf_append_str(b, "<p>No students yet. A student gets a coach when they book a rotation.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records coach-students\"><caption>Each student with "
                      "the rotation that matters most now</caption><thead><tr><th scope=\"col\">Student</th>"
                      "<th scope=\"col\">Rotation</th><th scope=\"col\">Dates</th><th scope=\"col\">Last check-in</th>"
                      "<th scope=\"col\">Open tickets</th><th scope=\"col\">Onboarding requirements</th>"
                      "<th scope=\"col\">Balance due</th><th scope=\"col\">Needs attention</th>");
    if (staff && coach_count > 0)
        buf_append_str(b, "<th scope=\"col\">Coach</th>");
    buf_append_str(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < d->count; i++) {
        render_row(req, b, &d->rows[i]);
        if (staff && coach_count > 0) {
            buf_append_str(b, "<td data-label=\"Coach\">");
            render_reassign(b, &d->rows[i], coaches, coach_count, d->coach.id, csrf_token);
            buf_append_str(b, "</td>");
        }
        buf_append_str(b, "</tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

/* Staff without a coach chosen: every coach with their active students. */
static void render_coach_list(struct http_request *req, struct buf *b)
{
    struct store_coach *coaches;
    size_t count;
    if (store_coaches_list(req->db, &req->arena, &coaches, &count) != DB_OK) {
        view_alert(b, "The coaches could not be loaded. Reload the page in a moment.");
        return;
    }
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"coaches-heading\"><h2 id=\"coaches-heading\">"
                      "Coaches</h2>\n");
    if (count == 0) {
        buf_append_str(b, "<p>There is no coach yet. Create one with <code>rounds user add --role coach</code>."
                          "</p></section>\n");
        return;
    }
    buf_append_str(b, "<p>A booked student without a coach gets the one with the fewest active students.</p>"
                      "<ul class=\"plain-list\">");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li><a href=\"/coach?coach_id=");
        buf_append_url(b, coaches[i].id);
        buf_append_str(b, "\">");
        buf_append_html(b, coaches[i].name);
        buf_appendf(b, "</a> — %lld active %s</li>", (long long)coaches[i].active_students,
                    coaches[i].active_students == 1 ? "student" : "students");
    }
    buf_append_str(b, "</ul></section>\n");
}

static const char *done_message(const char *done)
{
    return done != NULL && strcmp(done, "reassigned") == 0 ? "The student has a new coach. Both have been told."
                                                           : NULL;
}

void web_page_coach(struct http_request *req)
{
    struct http_kv_list *query;
    struct view_page page;
    struct store_user user = {0};
    if (http_query(req, &query) != 0 || !web_page_setup(req, &page, "My students", &user))
        return;
    const char *coach_id = http_kv_get(query, "coach_id");
    if (coach_id != NULL && coach_id[0] == '\0')
        coach_id = NULL;
    bool staff = account_has_role(&user, ROLE_STAFF);
    if (!staff && !account_has_role(&user, ROLE_COACH)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such page");
        return;
    }
    struct coach_dashboard d = {0};
    struct error err = {0};
    bool chosen = coach_id != NULL || !staff || account_has_role(&user, ROLE_COACH);
    if (chosen && coach_dashboard(req->db, &req->arena, &user, coach_id, &d, &err) != 0) {
        http_reply_error(req, err.code, NULL, err.code == ERR_NOT_FOUND ? "There is no such coach" : NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    view_page_begin(&b, &page);
    const char *notice = done_message(http_kv_get(query, "done"));
    if (notice != NULL)
        view_notice(&b, notice);
    if (chosen) {
        buf_append_str(&b, "<h1>");
        buf_append_html(&b, strcmp(d.coach.id, user.id) == 0 ? "My students" : d.coach.name);
        buf_append_str(&b, "</h1>\n");
        render_summary(&b, &d);
        render_students(req, &b, &d, staff, page.csrf_token);
    } else {
        buf_append_str(&b, "<h1>Coaches and their students</h1>\n");
    }
    if (staff)
        render_coach_list(req, &b);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}

void web_page_student_coach(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *coach_id = http_form(req, "coach_id");
    struct store_coach coach;
    struct error err = {0};
    if (coach_reassign(req->db, &req->arena, &user, http_param(req, "id"), coach_id != NULL ? coach_id : "", &coach,
                       &err) != 0) {
        http_reply_error(req, err.code, NULL,
                         err.code == ERR_NOT_FOUND ? "There is no such student"
                         : err.field != NULL      ? "Choose one of the coaches listed"
                                                  : NULL);
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/coach?coach_id=");
    buf_append_url(&location, coach.id);
    buf_append_str(&location, "&done=reassigned");
    http_redirect(req, buf_ok(&location) ? location.data : "/coach");
}
