/* page_hours.c — the hours log of a rotation as a page.
 *
 *   GET  /rotations/{id}/hours               the log by week with its totals; for the
 *                                            student a form to log a day (?edit=ENTRY:
 *                                            the form holds that entry), for the
 *                                            preceptor the review buttons
 *   POST /rotations/{id}/hours               log a day (the student)
 *   POST /rotations/{id}/hours/confirm-week  confirm a week's waiting days (the preceptor)
 *   POST /hours/{id}/{action}                edit (the student), confirm, request_change,
 *                                            refuse (the preceptor)
 *
 * A POST that works comes back to the log with a notice; one that is refused
 * shows the log again with the error summary at the top, the form keeping
 * what was typed. Anyone who may not see the rotation gets 404. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/hours.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/quarter_hours.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_hours_params[] = {"done", "edit", NULL};

void web_write_hours(struct buf *b, int64_t minutes)
{
    char text[QUARTER_HOURS_TEXT_MAX];
    buf_append_str(b, quarter_hours_format(text, sizeof(text), minutes));
}

/* What the log form shows again after a refusal, or holds for an edit. */
struct hours_form {
    const char *date, *hours, *setting, *activities, *patients_seen;
    const char *entry_id; /* editing this entry */
    struct error err;     /* err.field names the input; ERR_NONE: no error */
    struct web_form_errors fields; /* every problem of the typed fields (err is the first) */
};

/* ---- reading the form ---- */

/* "7", "7.5", "7.25": hours in quarter hours, into minutes (lib/quarter_hours.h). */
static bool parse_hours(const char *text, int64_t *minutes)
{
    *minutes = quarter_hours_parse(text);
    return *minutes >= 0;
}

static bool parse_patients(const char *text, int64_t *out)
{
    if (text == NULL || text[0] == '\0') {
        *out = 0;
        return true;
    }
    char *end = NULL;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || n < 0 || n > HOURS_PATIENTS_MAX)
        return false;
    *out = n;
    return true;
}

/* The form's fields into the domain's input; false with every problem in
 * f->fields and the first in f->err. */
static bool read_form(struct http_request *req, struct hours_form *f, struct hours_input *in)
{
    f->date = http_form(req, "date");
    f->hours = http_form(req, "hours");
    f->setting = http_form(req, "setting");
    f->activities = http_form(req, "activities");
    f->patients_seen = http_form(req, "patients_seen");
    *in = (struct hours_input){.date = f->date != NULL ? f->date : "", .setting = f->setting,
                               .activities = f->activities};
    if (f->date == NULL || !json_date_valid(f->date))
        web_form_error_add(&f->fields, "date", "Enter the day as a date.");
    if (!parse_hours(f->hours, &in->minutes))
        web_form_error_add(&f->fields, "hours", "Enter the hours in quarter hours, such as 7.5.");
    if (!parse_patients(f->patients_seen, &in->patients_seen))
        web_form_error_add(&f->fields, "patients_seen",
                           "Enter a whole number from 0 to " LIMIT_TEXT(HOURS_PATIENTS_MAX) ".");
    if (f->fields.count == 0)
        return true;
    f->err = f->fields.items[0];
    return false;
}

/* ---- rendering ---- */

static const char *done_message(const char *done)
{
    static const char *const messages[][2] = {
        {"logged", "The day is in your log. Your preceptor will confirm it."},
        {"edited", "The day is changed and waits for your preceptor again."},
        {"confirm", "The day is confirmed."},
        {"request_change", "The student has been asked to change the day."},
        {"refuse", "The day is refused: it will not count."},
        {"week", "The week's days are confirmed."},
    };
    for (size_t i = 0; done != NULL && i < sizeof(messages) / sizeof(messages[0]); i++)
        if (strcmp(messages[i][0], done) == 0)
            return messages[i][1];
    return NULL;
}

static const char *field_error(const struct hours_form *f, const char *name)
{
    if (f != NULL && f->fields.count > 0)
        return web_form_error_for(&f->fields, name);
    if (f == NULL || f->err.code == ERR_NONE || f->err.field == NULL || strcmp(f->err.field, name) != 0)
        return NULL;
    return f->err.detail != NULL ? f->err.detail : error_title(f->err.code);
}

/* The error summary at the top: every problem of the typed form, or the
 * one refusal, each linked to its field. */
static void render_error_summary(struct buf *b, struct arena *arena, const struct hours_form *form,
                                 const struct error *problem)
{
    if (form != NULL && form->fields.count > 0) {
        web_form_error_summary(b, arena, "The day was not saved. Everything you typed is still in the form.",
                               &form->fields);
        return;
    }
    if (problem == NULL || problem->code == ERR_NONE)
        return;
    web_error_summary(b, problem->field, problem->detail != NULL ? problem->detail : error_title(problem->code));
}

static void render_totals(struct buf *b, const struct hours_log *log)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"totals-heading\"><h2 id=\"totals-heading\">Totals"
                      "</h2>\n<dl class=\"facts hours-totals\"><dt>Confirmed</dt><dd>");
    web_write_hours(b, log->confirmed_minutes);
    buf_append_str(b, " hours</dd>");
    for (int s = 0; s < HOURS_SETTING_COUNT; s++) {
        if (log->confirmed_minutes_by_setting[s] == 0)
            continue;
        buf_append_str(b, "<dt>");
        buf_append_html(b, hours_setting_label((enum hours_setting)s));
        buf_append_str(b, "</dt><dd>");
        web_write_hours(b, log->confirmed_minutes_by_setting[s]);
        buf_append_str(b, " hours</dd>");
    }
    buf_append_str(b, "<dt>Waiting for the preceptor</dt><dd>");
    web_write_hours(b, log->waiting_minutes);
    buf_append_str(b, " hours</dd><dt>Days may be logged until</dt><dd>");
    view_date(b, log->open_until);
    buf_append_str(b, log->viewer_logs ? "</dd></dl>\n<p class=\"muted\">Only confirmed hours count towards your "
                                         "weeks of U.S. clinical experience.</p></section>\n"
                                       : "</dd></dl>\n<p class=\"muted\">Only confirmed hours count towards the "
                                         "student's weeks of U.S. clinical experience.</p></section>\n");
}

static void render_log_form(struct buf *b, const struct hours_log *log, const struct hours_form *f,
                            const char *csrf_token)
{
    const char *app = log->application.id;
    buf_append_str(b, "<section class=\"card\" id=\"log-form\" aria-labelledby=\"log-heading\"><h2 id=\"log-heading\">");
    buf_append_str(b, f->entry_id != NULL ? "Change a day" : "Log a day");
    buf_append_str(b, "</h2>\n<form class=\"stack\" method=\"post\" action=\"");
    if (f->entry_id != NULL) {
        buf_append_str(b, "/hours/");
        buf_append_url(b, f->entry_id);
        buf_append_str(b, "/edit");
    } else {
        buf_append_str(b, "/rotations/");
        buf_append_url(b, app);
        buf_append_str(b, "/hours");
    }
    buf_append_str(b, "\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">\n");
    view_input(b, "Day", "date", "date", f->date, "off", true, NULL, field_error(f, "date"));
    view_input(b, "Hours", "text", "hours", f->hours, "off", true, "In quarter hours, such as 7.5.",
               field_error(f, "hours"));
    view_select(b, "Setting", "setting", hours_setting_names, hours_setting_labels, f->setting,
                field_error(f, "setting"));
    view_textarea(b, "What you did", "activities", f->activities, 4, HOURS_ACTIVITIES_MAX_CHARS, NULL,
                  field_error(f, "activities"));
    view_input(b, "Patients seen", "number", "patients_seen", f->patients_seen, "off", false, NULL,
               field_error(f, "patients_seen"));
    view_form_end(b, f->entry_id != NULL ? "Save the change" : "Log the day");
    buf_append_str(b, "</section>\n");
}

/* The preceptor's buttons on a waiting entry: one form, three actions. */
static void render_review(struct buf *b, const struct store_hours_entry *e, const char *csrf_token)
{
    buf_append_str(b, "<form class=\"review\" method=\"post\" action=\"/hours/");
    buf_append_url(b, e->id);
    buf_append_str(b, "/confirm\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\"><label for=\"note-");
    buf_append_html(b, e->id);
    buf_append_str(b, "\">Note (needed to ask for a change)</label><input id=\"note-");
    buf_append_html(b, e->id);
    buf_append_str(b, "\" name=\"note\" maxlength=\"" LIMIT_TEXT(NOTE_MAX_CHARS) "\"><button type=\"submit\">Confirm"
                      "</button> <button type=\"submit\" formaction=\"/hours/");
    buf_append_url(b, e->id);
    buf_append_str(b, "/request_change\">Ask for a change</button> <button type=\"submit\" class=\"danger\" "
                      "formaction=\"/hours/");
    buf_append_url(b, e->id);
    buf_append_str(b, "/refuse\">Refuse</button></form>");
}

static void render_entry(struct buf *b, const struct hours_log *log, const struct store_hours_entry *e,
                         const char *csrf_token)
{
    enum hours_state state = hours_state_parse(e->state);
    buf_append_str(b, "<tr><th scope=\"row\" data-label=\"Day\">");
    view_date(b, e->day);
    buf_append_str(b, "</th><td data-label=\"Hours\">");
    web_write_hours(b, e->minutes);
    buf_append_str(b, "</td><td data-label=\"Setting\">");
    buf_append_html(b, hours_setting_label(hours_setting_parse(e->setting)));
    buf_append_str(b, "</td><td data-label=\"What was done\">");
    buf_append_html(b, e->activities);
    buf_appendf(b, "</td><td data-label=\"Patients\">%lld</td><td data-label=\"State\"><span class=\"status status-%s\">",
                (long long)e->patients_seen,
                state == HOURS_CONFIRMED ? "good" : state == HOURS_LOGGED ? "waiting" : "action");
    buf_append_html(b, hours_state_label(state));
    buf_append_str(b, "</span>");
    if (e->review_note != NULL && e->review_note[0] != '\0') {
        buf_append_str(b, "<p class=\"note\">");
        buf_append_html(b, e->review_note);
        buf_append_str(b, "</p>");
    }
    buf_append_str(b, "</td><td data-label=\"Action\">");
    if (log->viewer_reviews && state == HOURS_LOGGED) {
        render_review(b, e, csrf_token);
    } else if (log->viewer_logs && log->open && (state == HOURS_LOGGED || state == HOURS_CHANGE_REQUESTED)) {
        buf_append_str(b, "<a href=\"/rotations/");
        buf_append_url(b, log->application.id);
        buf_append_str(b, "/hours?edit=");
        buf_append_url(b, e->id);
        buf_append_str(b, "#log-form\">Change</a>");
    }
    buf_append_str(b, "</td></tr>\n");
}

/* The confirm-the-week form for the days waiting from week_start. */
static void render_week_confirm(struct buf *b, const struct hours_log *log, const char *week_start, int waiting,
                                const char *csrf_token)
{
    buf_append_str(b, "<form class=\"inline\" method=\"post\" action=\"/rotations/");
    buf_append_url(b, log->application.id);
    buf_append_str(b, "/hours/confirm-week\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\"><input type=\"hidden\" name=\"week_start\" value=\"");
    buf_append_html(b, week_start);
    buf_appendf(b, "\"><button type=\"submit\">Confirm the %d %s waiting this week</button></form>", waiting,
                waiting == 1 ? "day" : "days");
}

/* The log in weeks counted from the first day of the rotation. */
static void render_weeks(struct buf *b, const struct hours_log *log, const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"log-list-heading\"><h2 id=\"log-list-heading\">"
                      "The log</h2>\n");
    if (log->count == 0) {
        buf_append_str(b, "<p>No day logged yet.</p></section>\n");
        return;
    }
    int32_t first = clock_days_from_date(log->application.block_start);
    size_t i = 0;
    while (i < log->count) {
        int32_t week = (clock_days_from_date(log->entries[i].day) - first) / 7;
        char from[11], to[11];
        clock_date_from_days(first + week * 7, from);
        clock_date_from_days(first + week * 7 + 6, to);
        size_t end = i;
        int waiting = 0;
        while (end < log->count && (clock_days_from_date(log->entries[end].day) - first) / 7 == week)
            waiting += hours_state_parse(log->entries[end++].state) == HOURS_LOGGED;
        buf_appendf(b, "<h3 id=\"week-%d\">Week %d: ", (int)week + 1, (int)week + 1);
        view_date(b, from);
        buf_append_str(b, " to ");
        view_date(b, to);
        buf_append_str(b, "</h3>\n");
        if (log->viewer_reviews && waiting > 0)
            render_week_confirm(b, log, from, waiting, csrf_token);
        buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records hours-log\"><thead><tr>"
                          "<th scope=\"col\">Day</th><th scope=\"col\">Hours</th><th scope=\"col\">Setting</th>"
                          "<th scope=\"col\">What was done</th><th scope=\"col\">Patients</th>"
                          "<th scope=\"col\">State</th><th scope=\"col\">Action</th></tr></thead><tbody>\n");
        for (; i < end; i++)
            render_entry(b, log, &log->entries[i], csrf_token);
        buf_append_str(b, "</tbody></table></div>\n");
    }
    buf_append_str(b, "</section>\n");
}

/* The form's values when nothing was typed: an edited entry's, or today's date. */
static void default_form(struct http_request *req, const struct hours_log *log, const char *edit,
                         struct hours_form *f)
{
    for (size_t i = 0; edit != NULL && i < log->count; i++) {
        const struct store_hours_entry *e = &log->entries[i];
        if (strcmp(e->id, edit) != 0)
            continue;
        struct buf hours, patients;
        buf_init(&hours, &req->arena, BUF_CAP_WORD);
        buf_init(&patients, &req->arena, BUF_CAP_WORD);
        web_write_hours(&hours, e->minutes);
        buf_append_int(&patients, e->patients_seen);
        *f = (struct hours_form){.date = e->day, .hours = hours.data, .setting = e->setting,
                                 .activities = e->activities, .patients_seen = patients.data, .entry_id = e->id};
        return;
    }
    char *today = arena_alloc(&req->arena, 11);
    if (today != NULL)
        clock_today(today);
    if (today != NULL && strcmp(today, log->application.block_end) > 0)
        memcpy(today, log->application.block_end, 11);
    *f = (struct hours_form){.date = today, .setting = "inpatient"};
}

/* The page; form NULL shows the default form, problem (or NULL) the error summary. */
static void render(struct http_request *req, int status, const char *application_id, const char *notice,
                   struct hours_form *form, const char *edit, const struct error *problem)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Hours log", &user))
        return;
    struct hours_log log;
    struct error err = {0};
    if (hours_log_load(req->db, &req->arena, &user, application_id, &log, &err) != 0) {
        http_reply_error(req, err.code,
                         NULL, err.code == ERR_NOT_FOUND ? "This rotation does not exist, or it is not yours to see" : NULL);
        return;
    }
    struct hours_form blank;
    if (form == NULL) {
        default_form(req, &log, edit, &blank);
        form = &blank;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    view_page_begin(&b, &page);
    render_error_summary(&b, &req->arena, form, problem);
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p><a href=\"/rotations/");
    buf_append_url(&b, log.application.id);
    buf_append_str(&b, "\">← The rotation</a></p>\n<h1>Hours log: ");
    buf_append_html(&b, log.application.offering_title);
    buf_append_str(&b, "</h1>\n<p class=\"lead\">");
    buf_append_html(&b, log.application.student_name);
    buf_append_str(&b, ", ");
    view_date(&b, log.application.block_start);
    buf_append_str(&b, " to ");
    view_date(&b, log.application.block_end);
    buf_append_str(&b, "</p>\n");
    render_totals(&b, &log);
    if (log.open)
        render_log_form(&b, &log, form, page.csrf_token);
    else if (log.viewer_logs)
        buf_append_str(&b, "<p class=\"notice\">Days can be logged while the rotation is under way and for 14 days "
                           "after its last day.</p>\n");
    render_weeks(&b, &log, page.csrf_token);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_hours(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_param(req, "id"), done_message(http_kv_get(query, "done")), NULL,
           http_kv_get(query, "edit"), NULL);
}

/* ---- posts ---- */

static void redirect_to_log(struct http_request *req, const char *application_id, const char *done)
{
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/rotations/");
    buf_append_url(&location, application_id);
    buf_append_str(&location, "/hours?done=");
    buf_append_url(&location, done);
    http_redirect(req, buf_ok(&location) ? location.data : "/");
}

/* A refused POST: 404 as a page, anything else on the log with the summary
 * (and the form as typed, when f is the log form). */
static void refused(struct http_request *req, const char *application_id, struct hours_form *f, bool typed)
{
    if (f->err.code == ERR_NOT_FOUND || application_id == NULL) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This rotation does not exist, or it is not yours to see");
        return;
    }
    if (f->err.code == ERR_UNAVAILABLE || f->err.code == ERR_INTERNAL) {
        http_reply_error(req, f->err.code, NULL, NULL);
        return;
    }
    render(req, error_status(f->err.code), application_id, NULL, typed ? f : NULL, NULL, &f->err);
}

void web_page_hours_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *application_id = http_param(req, "id");
    struct hours_form f = {0};
    struct hours_input in;
    struct store_hours_entry e = {0};
    if (!read_form(req, &f, &in) || hours_log(req->db, &req->arena, &user, application_id, &in, &e, &f.err) != 0) {
        refused(req, application_id, &f, true);
        return;
    }
    redirect_to_log(req, application_id, "logged");
}

void web_page_hours_confirm_week(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *application_id = http_param(req, "id");
    const char *week_start = http_form(req, "week_start");
    struct hours_form f = {0};
    int confirmed = 0;
    if (week_start == NULL || !json_date_valid(week_start)) {
        error_set(&f.err, ERR_VALIDATION_FAILED, NULL, "The week to confirm is missing.");
        refused(req, application_id, &f, false);
        return;
    }
    if (hours_confirm_week(req->db, &req->arena, &user, application_id, week_start, &confirmed, &f.err) != 0) {
        refused(req, application_id, &f, false);
        return;
    }
    redirect_to_log(req, application_id, "week");
}

void web_page_hours_entry(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *entry_id = http_param(req, "id");
    const char *action = http_param(req, "action");
    struct store_hours_entry before, e = {0};
    if (entry_id == NULL || store_hours_get(req->db, &req->arena, entry_id, &before) != DB_ROW) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such entry");
        return;
    }
    struct hours_form f = {.entry_id = before.id};
    if (strcmp(action, "edit") == 0) {
        struct hours_input in;
        if (!read_form(req, &f, &in) || hours_edit(req->db, &req->arena, &user, entry_id, &in, &e, &f.err) != 0) {
            refused(req, before.application_id, &f, true);
            return;
        }
        redirect_to_log(req, before.application_id, "edited");
        return;
    }
    if (hours_review(req->db, &req->arena, &user, entry_id, action, http_form(req, "note"), &e, &f.err) != 0) {
        if (f.err.field != NULL && strcmp(f.err.field, "note") == 0)
            f.err.field = NULL; /* the note's input is one per entry: the summary says what to do */
        refused(req, before.application_id, &f, false);
        return;
    }
    redirect_to_log(req, before.application_id, action);
}
