/* rotation_calendar.c — the calendar's moves and alerts; see rotation_calendar.h. */
#include "domain/rotation_calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/coaches.h"
#include "domain/notify.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/rotation.h"

enum { CALENDAR_BATCH = 100 };

/* Takes action (start, complete) on each due application as the system;
 * another instance moving one first is a refused move, not an error. */
static int move_due(struct db_conn *conn, struct arena *arena, enum store_calendar_due which, const char *action,
                    const char *today, int *moved)
{
    const char **ids;
    size_t count;
    int rc = store_calendar_due(conn, arena, which, today, NULL, CALENDAR_BATCH, &ids, &count);
    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        struct store_application after = {0};
        struct error err = {0};
        if (application_transition(conn, arena, ids[i], action, NULL, "by the calendar", &after, &err) == 0)
            (*moved)++;
    }
    return DB_OK;
}

/* The first day came while the student is not cleared: the coach and the host hear of it, once. */
static void alert_not_cleared(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                              int64_t now)
{
    char title[512], link[96], start[CLOCK_DATE_WORDS_SIZE];
    snprintf(title, sizeof(title),
             "%s's rotation \xe2\x80\x9c%s\xe2\x80\x9d started on %s, but they are not cleared: onboarding is not done",
             a->student_name, a->offering_title, clock_date_words(a->block_start, start));
    snprintf(link, sizeof(link), "/applications/%s/compliance", a->id);
    coach_notify(conn, arena, a, "not_cleared_at_start", title, link, now);
    application_notify_host(conn, arena, a, "not_cleared_at_start", title, link, now);
}

/* The last day has passed: the preceptor confirms the hours, the student logs what is missing. */
static void remind_hours(struct db_conn *conn, struct arena *arena, const struct store_application *a, int64_t now)
{
    char title[512], link[96];
    snprintf(link, sizeof(link), "/rotations/%s/hours", a->id);
    snprintf(title, sizeof(title), "%s's rotation \xe2\x80\x9c%s\xe2\x80\x9d has ended: confirm their hours to complete it",
             a->student_name, a->offering_title);
    if (a->preceptor_user_id != NULL) {
        struct store_user preceptor;
        if (store_user_by_id(conn, arena, a->preceptor_user_id, &preceptor) == DB_ROW) {
            struct recipient to = {preceptor.id, preceptor.email};
            notify(conn, arena, &to, "hours_to_confirm", title, link, now);
        }
    }
    snprintf(title, sizeof(title), "%s has ended: log any missing days within 14 days", a->offering_title);
    struct recipient student = {a->student_id, a->student_email};
    notify(conn, arena, &student, "hours_to_log", title, link, now);
}

/* The first-day instructions, 7 days ahead: in the app, and by email with the host's words. */
static int tell_first_day(struct db_conn *conn, struct arena *arena, const struct store_application *a, int64_t now)
{
    struct store_offering o;
    int rc = store_offering_get(conn, arena, a->offering_id, &o);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_OK : rc;
    char title[512], link[96], start[CLOCK_DATE_WORDS_SIZE];
    snprintf(link, sizeof(link), "/rotations/%s", a->id);
    snprintf(title, sizeof(title), "Your first day at %s is %s: how to get started", a->host_name,
             clock_date_words(a->block_start, start));
    struct recipient in_app = {a->student_id, NULL};
    notify(conn, arena, &in_app, "first_day", title, link, now);
    struct buf body;
    buf_init(&body, arena, BUF_CAP_FORM);
    buf_appendf(&body, "Your rotation %s at %s starts on %s.\n\nWhere: %s, %s%s%s, %s\nPreceptor: %s\n\n",
                a->offering_title, a->host_name, a->block_start, o.site_name,
                o.site_address != NULL ? o.site_address : "", o.site_address != NULL && o.site_address[0] ? ", " : "",
                o.site_city, o.site_state, a->preceptor_name);
    if (first_day_given(&o.first_day_fields)) {
        buf_append_str(&body, "Your host's instructions for the first day:\n");
        for (int i = 0; i < FIRST_DAY_FIELDS; i++) {
            const char *value = *first_day_field(&o.first_day_fields, i);
            if (value != NULL && value[0] != '\0')
                buf_appendf(&body, "- %s: %s\n", first_day_field_labels[i],
                            notify_quote(arena, value, CATALOG_FIRST_DAY_FIELD_MAX * 4));
        }
        buf_append_char(&body, '\n');
    }
    if (o.first_day != NULL && o.first_day[0] != '\0')
        buf_appendf(&body, "%s:\n%s\n\n",
                    first_day_given(&o.first_day_fields) ? "And also" : "Your host's instructions for the first day",
                    notify_quote(arena, o.first_day, CATALOG_FIRST_DAY_MAX * 4));
    else if (!first_day_given(&o.first_day_fields))
        buf_append_str(&body, "Your host has not written first-day instructions yet: your coach will find out.\n\n");
    buf_appendf(&body, "Everything about your rotation, your coach and what is due: %s%s\n", notify_public_url(), link);
    if (buf_ok(&body))
        notify_email(conn, arena, a->student_email, "first_day", title, body.data, now);
    return DB_OK;
}

struct notice_ctx {
    struct arena *arena;
    const char *application_id, *kind;
    enum store_calendar_due which;
    bool sent;
};

/* Claims the notice and tells people in one transaction: a failure undoes the claim. */
static int notice_tx(struct db_conn *conn, void *p)
{
    struct notice_ctx *c = p;
    c->sent = false;
    struct store_application a;
    int64_t now = clock_now();
    int rc = store_application_get(conn, c->arena, c->application_id, &a);
    if (rc == DB_DONE)
        return DB_OK;
    if (rc != DB_ROW)
        return rc;
    char today[11];
    clock_today(today);
    if (c->which == CALENDAR_FIRST_DAY_AHEAD && strcmp(a.block_start, today) < 0)
        return DB_OK; /* started already (not cleared in time): too late for first-day instructions */
    rc = store_notice_claim(conn, a.id, c->kind, now);
    if (rc == DB_DONE)
        return DB_OK; /* another instance sent it */
    if (rc != DB_OK)
        return rc;
    if (c->which == CALENDAR_NOT_CLEARED_AT_START)
        alert_not_cleared(conn, c->arena, &a, now);
    else if (c->which == CALENDAR_FIRST_DAY_AHEAD)
        rc = tell_first_day(conn, c->arena, &a, now);
    else
        remind_hours(conn, c->arena, &a, now);
    if (rc != DB_OK)
        return rc;
    c->sent = true;
    return DB_OK;
}

/* Sends the notice `kind` once for each due application; *sent counts this instance's. */
static int notice_due(struct db_conn *conn, struct arena *arena, enum store_calendar_due which, const char *kind,
                      const char *today, const char *from, int *sent)
{
    const char **ids;
    size_t count;
    int rc = store_calendar_due(conn, arena, which, today, from, CALENDAR_BATCH, &ids, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        struct notice_ctx c = {arena, ids[i], kind, which, false};
        rc = db_run_tx(conn, true, notice_tx, &c);
        *sent += c.sent;
    }
    return rc;
}

int rotation_calendar_run(struct db_conn *conn, struct arena *arena, struct rotation_calendar_report *report)
{
    char today[11];
    clock_today(today);
    int rc = move_due(conn, arena, CALENDAR_TO_START, "start", today, &report->started);
    if (rc == DB_OK)
        rc = notice_due(conn, arena, CALENDAR_NOT_CLEARED_AT_START, "not_cleared_at_start", today, NULL,
                        &report->not_cleared_alerts);
    char week_ahead[11];
    clock_date_from_days(clock_days_from_date(today) + FIRST_DAY_NOTICE_DAYS, week_ahead);
    if (rc == DB_OK)
        rc = notice_due(conn, arena, CALENDAR_FIRST_DAY_AHEAD, "first_day", week_ahead, today,
                        &report->first_day_notices);
    if (rc == DB_OK)
        rc = move_due(conn, arena, CALENDAR_TO_COMPLETE, "complete", today, &report->completed);
    if (rc == DB_OK)
        rc = notice_due(conn, arena, CALENDAR_HOURS_TO_CONFIRM, "hours_to_confirm", today, NULL,
                        &report->hours_reminders);
    if (report->started > 0 || report->completed > 0)
        catalog_index_sync(conn);
    return rc;
}
