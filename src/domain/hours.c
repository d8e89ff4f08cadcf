/* hours.c — the hours log: logging, editing, the preceptor's review and the
 * totals; see hours.h. */
#include "domain/hours.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/json_spec.h"
#include "lib/limits.h"

int64_t hours_weeks_from_minutes(int64_t confirmed_minutes, int64_t hours_per_week, int64_t weeks)
{
    if (hours_per_week <= 0)
        hours_per_week = 40;
    int64_t whole = confirmed_minutes / (hours_per_week * 60);
    return whole < weeks ? whole : weeks;
}

/* "<a> … <b>" sentences for refusals, in the arena. */
static const char *outside_rotation(struct arena *arena, const char *start, const char *end)
{
    char *out = arena_alloc(arena, 160);
    if (out != NULL)
        snprintf(out, 160, "is not a day of this rotation (%s to %s)", start, end);
    return out;
}

static const char *closed_on(struct arena *arena, const char *until)
{
    char *out = arena_alloc(arena, 160);
    if (out != NULL)
        snprintf(out, 160, "the hours log of this rotation closed on %s", until);
    return out;
}

static const char *logged_elsewhere(struct arena *arena, const char *day)
{
    char *out = arena_alloc(arena, 160);
    if (out != NULL)
        snprintf(out, 160, "%s is already logged on another rotation", day);
    return out;
}

/* The last day hours may be logged for a rotation ending on end, into out[11]. */
static void open_until(const char *end, char out[11])
{
    clock_date_from_days(clock_days_from_date(end) + HOURS_LOG_GRACE_DAYS, out);
}

/* Whether the student may log now, else the refusal. */
static int check_open(struct arena *arena, const struct store_application *a, struct error *err)
{
    enum application_status status = application_status_of(a);
    if (status != APPLICATION_IN_PROGRESS && status != APPLICATION_COMPLETED)
        return error_set(err, ERR_HOURS_LOG_CLOSED, NULL, "hours can be logged once the rotation is under way");
    char today[11], until[11];
    clock_today(today);
    open_until(a->block_end, until);
    if (strcmp(today, until) > 0)
        return error_set(err, ERR_HOURS_LOG_CLOSED, NULL,
                         closed_on(arena, until));
    return 0;
}

/* The checks of one day's entry against its rotation and the student's
 * other rotations. */
static int check_day(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                     const struct hours_input *in, struct error *err)
{
    if (in->date == NULL || !json_date_valid(in->date))
        return error_set(err, ERR_VALIDATION_FAILED, "date", "give the day as YYYY-MM-DD");
    if (in->minutes < 15 || in->minutes % 15 != 0)
        return error_set(err, ERR_VALIDATION_FAILED, "hours", "give the hours in quarter hours, at least 0.25");
    if (hours_setting_parse(in->setting) == HOURS_SETTING_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "setting", "is not one of the allowed values");
    if (in->patients_seen < 0 || in->patients_seen > HOURS_PATIENTS_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, "patients_seen", "is out of range");
    if (validate_text(in->activities, "activities", 0, HOURS_ACTIVITIES_MAX_CHARS, true, err) != 0)
        return -1;
    if (strcmp(in->date, a->block_start) < 0 || strcmp(in->date, a->block_end) > 0)
        return error_set(err, ERR_UNPROCESSABLE, "date",
                         outside_rotation(arena, a->block_start, a->block_end));
    char today[11];
    clock_today(today);
    if (strcmp(in->date, today) > 0)
        return error_set(err, ERR_UNPROCESSABLE, "date", "is in the future: log a day once it is done");
    if (in->minutes > HOURS_DAY_MAX_MINUTES)
        return error_set(err, ERR_UNPROCESSABLE, "hours", "a day has at most 24 hours");
    int64_t elsewhere = 0;
    bool any = false;
    int rc = store_hours_on_day_elsewhere(conn, a->student_id, in->date, a->id, &elsewhere, &any);
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (any)
        return error_set(err, ERR_UNPROCESSABLE, "date",
                         logged_elsewhere(arena, in->date));
    return 0;
}

struct log_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *application_id, *entry_id; /* entry_id: editing */
    const struct hours_input *in;
    struct store_hours_entry *out;
    struct error *err;
};

/* Loads the application for its student: 404 unseen, 403 seen by someone else. */
static int load_for_student(struct db_conn *conn, struct log_ctx *c, struct store_application *a)
{
    if (application_get_visible(conn, c->arena, c->application_id, c->user, "hours", a, c->err) != 0)
        return -1;
    if (strcmp(a->student_id, c->user->id) != 0)
        return error_set(c->err, ERR_FORBIDDEN, NULL, "only the student logs their hours");
    return 0;
}

static int log_tx(struct db_conn *conn, void *p)
{
    struct log_ctx *c = p;
    struct store_application a;
    struct store_hours_entry before = {0};
    if (c->entry_id != NULL) {
        int rc = store_hours_get(conn, c->arena, c->entry_id, &before);
        if (rc == DB_DONE) {
            error_set(c->err, ERR_NOT_FOUND, NULL, "no such entry");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
        if (rc != DB_ROW)
            return rc;
        c->application_id = before.application_id;
    }
    if (load_for_student(conn, c, &a) != 0 || check_open(c->arena, &a, c->err) != 0 ||
        check_day(conn, c->arena, &a, c->in, c->err) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    enum hours_state was = hours_state_parse(before.state);
    if (c->entry_id != NULL && was != HOURS_LOGGED && was != HOURS_CHANGE_REQUESTED) {
        error_set(c->err, ERR_HOURS_REVIEWED, NULL, "this entry was confirmed or refused: it no longer changes");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    int64_t now = clock_now();
    char id[48];
    crypto_sortable_id("h_", clock_now_ms(), id, sizeof(id));
    struct store_hours_entry e = {.id = c->entry_id != NULL ? before.id : arena_strdup(c->arena, id),
                                  .application_id = a.id,
                                  .student_id = a.student_id,
                                  .day = c->in->date,
                                  .minutes = c->in->minutes,
                                  .setting = c->in->setting,
                                  .activities = c->in->activities,
                                  .patients_seen = c->in->patients_seen,
                                  .state = hours_state_name(HOURS_LOGGED),
                                  .created_at = now,
                                  .updated_at = now};
    int rc = c->entry_id != NULL ? store_hours_update(conn, &e, before.state) : store_hours_insert(conn, &e);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_HOURS_DAY_TAKEN, "date", "this day is already in the log: change that entry instead");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_DONE) {
        error_set(c->err, ERR_HOURS_REVIEWED, NULL, "the entry changed meanwhile; reload it");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, c->entry_id != NULL ? AUDIT_HOURS_EDITED : AUDIT_HOURS_LOGGED,
                             AUDIT_ON_HOURS, e.id, e.day, now);
    if (rc == DB_OK)
        rc = store_hours_get(conn, c->arena, e.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

static int run_log(struct db_conn *conn, struct log_ctx *c)
{
    if (c->user == NULL)
        return error_set(c->err, ERR_NOT_FOUND, NULL, "no such application");
    c->err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, log_tx, c);
    if (c->err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(c->err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int hours_log(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *application_id,
              const struct hours_input *in, struct store_hours_entry *out, struct error *err)
{
    struct log_ctx c = {arena, user, application_id, NULL, in, out, err};
    return run_log(conn, &c);
}

int hours_edit(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *entry_id,
               const struct hours_input *in, struct store_hours_entry *out, struct error *err)
{
    struct log_ctx c = {arena, user, NULL, entry_id, in, out, err};
    return run_log(conn, &c);
}

/* ---- the preceptor's review ---- */

static bool reviews(const struct store_application *a, const struct store_user *user)
{
    return account_has_role(user, ROLE_STAFF) ||
           (a->preceptor_user_id != NULL && strcmp(a->preceptor_user_id, user->id) == 0);
}

struct review_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *entry_id, *action, *note;
    const char *application_id, *week_start; /* confirming a week */
    int confirmed;
    struct store_hours_entry *out;
    struct error *err;
};

/* Tells the student what the preceptor decided. */
static void tell_student(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                         const char *what, int64_t now)
{
    char title[512], link[96];
    snprintf(title, sizeof(title), "%s: %s", a->offering_title, what);
    snprintf(link, sizeof(link), "/rotations/%s/hours", a->id);
    struct recipient student = {a->student_id, a->student_email};
    notify(conn, arena, &student, "hours_reviewed", title, link, now);
}

static int review_one(struct db_conn *conn, struct review_ctx *c, const struct store_application *a)
{
    struct store_hours_entry e;
    int rc = store_hours_get(conn, c->arena, c->entry_id, &e);
    if (rc != DB_ROW)
        return rc;
    enum hours_state to = strcmp(c->action, "confirm") == 0          ? HOURS_CONFIRMED
                          : strcmp(c->action, "request_change") == 0 ? HOURS_CHANGE_REQUESTED
                                                                     : HOURS_REFUSED;
    int64_t now = clock_now();
    rc = store_hours_review(conn, e.id, hours_state_name(HOURS_LOGGED), hours_state_name(to), c->note, c->user->id,
                            now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_HOURS_REVIEWED, NULL, "this entry is not waiting for a review");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_HOURS_REVIEWED, AUDIT_ON_HOURS, e.id, hours_state_name(to), now);
    if (rc == DB_OK) {
        char what[160];
        snprintf(what, sizeof(what), "your hours for %s — %s", e.day, hours_state_label(to));
        tell_student(conn, c->arena, a, what, now);
        rc = store_hours_get(conn, c->arena, e.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    }
    return rc;
}

static int review_week(struct db_conn *conn, struct review_ctx *c, const struct store_application *a)
{
    char until[11];
    clock_date_from_days(clock_days_from_date(c->week_start) + 6, until);
    int64_t now = clock_now();
    int rc = store_hours_confirm_range(conn, a->id, c->week_start, until, c->user->id, now, &c->confirmed);
    if (rc == DB_OK && c->confirmed > 0) {
        char what[200];
        snprintf(what, sizeof(what), "%d %s from %s to %s confirmed", c->confirmed, c->confirmed == 1 ? "day" : "days",
                 c->week_start, until);
        rc = store_audit_add(conn, c->user->id, AUDIT_HOURS_WEEK_CONFIRMED, AUDIT_ON_APPLICATION, a->id, what, now);
        if (rc == DB_OK)
            tell_student(conn, c->arena, a, what, now);
    }
    return rc;
}

static int review_tx(struct db_conn *conn, void *p)
{
    struct review_ctx *c = p;
    const char *application_id = c->application_id;
    if (c->entry_id != NULL) {
        struct store_hours_entry e;
        int rc = store_hours_get(conn, c->arena, c->entry_id, &e);
        if (rc == DB_DONE) {
            error_set(c->err, ERR_NOT_FOUND, NULL, "no such entry");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
        if (rc != DB_ROW)
            return rc;
        application_id = e.application_id;
    }
    struct store_application a;
    if (application_get_visible(conn, c->arena, application_id, c->user, "hours", &a, c->err) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    if (!reviews(&a, c->user)) {
        error_set(c->err, ERR_FORBIDDEN, NULL, "only the rotation's preceptor confirms its hours");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    return c->entry_id != NULL ? review_one(conn, c, &a) : review_week(conn, c, &a);
}

static int run_review(struct db_conn *conn, struct review_ctx *c)
{
    if (c->user == NULL)
        return error_set(c->err, ERR_NOT_FOUND, NULL, "no such entry");
    c->err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, review_tx, c);
    if (c->err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(c->err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int hours_review(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *entry_id,
                 const char *action, const char *note, struct store_hours_entry *out, struct error *err)
{
    if (action == NULL || (strcmp(action, "confirm") != 0 && strcmp(action, "request_change") != 0 &&
                           strcmp(action, "refuse") != 0))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such action");
    bool needs_note = strcmp(action, "request_change") == 0;
    if (validate_text(note, "note", needs_note ? 1 : 0, NOTE_MAX_CHARS, true, err) != 0) {
        if (needs_note && (note == NULL || note[0] == '\0'))
            err->detail = "say what should change";
        return -1;
    }
    struct review_ctx c = {.arena = arena, .user = user, .entry_id = entry_id, .action = action,
                           .note = note, .out = out, .err = err};
    return run_review(conn, &c);
}

int hours_confirm_week(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                       const char *application_id, const char *week_start, int *confirmed, struct error *err)
{
    *confirmed = 0;
    struct store_hours_entry unused;
    struct review_ctx c = {.arena = arena, .user = user, .application_id = application_id,
                           .week_start = week_start, .out = &unused, .err = err};
    int rc = run_review(conn, &c);
    *confirmed = c.confirmed;
    return rc;
}

/* ---- reading ---- */

int hours_log_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                   const char *application_id, struct hours_log *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (application_get_visible(conn, arena, application_id, user, "hours", &out->application, err) != 0)
        return -1;
    const struct store_application *a = &out->application;
    if (store_hours_of_application(conn, arena, a->id, &out->entries, &out->count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    for (size_t i = 0; i < out->count; i++) {
        const struct store_hours_entry *e = &out->entries[i];
        enum hours_state state = hours_state_parse(e->state);
        enum hours_setting setting = hours_setting_parse(e->setting);
        if (state == HOURS_CONFIRMED) {
            out->confirmed_minutes += e->minutes;
            if (setting != HOURS_SETTING_UNKNOWN)
                out->confirmed_minutes_by_setting[setting] += e->minutes;
        } else if (state == HOURS_LOGGED) {
            out->waiting_minutes += e->minutes;
        }
    }
    open_until(a->block_end, out->open_until);
    struct error ignored = {0};
    out->viewer_logs = strcmp(a->student_id, user->id) == 0;
    out->open = out->viewer_logs && check_open(arena, a, &ignored) == 0;
    out->viewer_reviews = reviews(a, user);
    return 0;
}
