/* rotation_calendar.c — the calendar's moves and alerts; see rotation_calendar.h. */
#include "domain/rotation_calendar.h"

#include <stdbool.h>
#include <stdio.h>

#include "domain/applications.h"
#include "domain/catalog_index.h"
#include "domain/coaches.h"
#include "domain/notify.h"
#include "lib/clock.h"
#include "store/rotation.h"

enum { CALENDAR_BATCH = 100 };

/* Takes action (start, complete) on each due application as the system;
 * another instance moving one first is a refused move, not an error. */
static int move_due(struct db_conn *conn, struct arena *arena, enum store_calendar_due which, const char *action,
                    const char *today, int *moved)
{
    const char **ids;
    size_t count;
    int rc = store_calendar_due(conn, arena, which, today, CALENDAR_BATCH, &ids, &count);
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
    char title[512], link[96];
    snprintf(title, sizeof(title), "%s's rotation %s started on %s, but they are not cleared: onboarding is not done",
             a->student_name, a->offering_title, a->block_start);
    snprintf(link, sizeof(link), "/applications/%s/compliance", a->id);
    coach_notify(conn, arena, a, "not_cleared_at_start", title, link, now);
    application_notify_host(conn, arena, a, "not_cleared_at_start", title, link, now);
}

/* The last day has passed: the preceptor confirms the hours, the student logs what is missing. */
static void remind_hours(struct db_conn *conn, struct arena *arena, const struct store_application *a, int64_t now)
{
    char title[512], link[96];
    snprintf(link, sizeof(link), "/rotations/%s/hours", a->id);
    snprintf(title, sizeof(title), "%s's rotation %s has ended: confirm their hours to complete it", a->student_name,
             a->offering_title);
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
    rc = store_notice_claim(conn, a.id, c->kind, now);
    if (rc == DB_DONE)
        return DB_OK; /* another instance sent it */
    if (rc != DB_OK)
        return rc;
    if (c->which == CALENDAR_NOT_CLEARED_AT_START)
        alert_not_cleared(conn, c->arena, &a, now);
    else
        remind_hours(conn, c->arena, &a, now);
    c->sent = true;
    return DB_OK;
}

/* Sends the notice `kind` once for each due application; *sent counts this instance's. */
static int notice_due(struct db_conn *conn, struct arena *arena, enum store_calendar_due which, const char *kind,
                      const char *today, int *sent)
{
    const char **ids;
    size_t count;
    int rc = store_calendar_due(conn, arena, which, today, CALENDAR_BATCH, &ids, &count);
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
        rc = notice_due(conn, arena, CALENDAR_NOT_CLEARED_AT_START, "not_cleared_at_start", today,
                        &report->not_cleared_alerts);
    if (rc == DB_OK)
        rc = move_due(conn, arena, CALENDAR_TO_COMPLETE, "complete", today, &report->completed);
    if (rc == DB_OK)
        rc = notice_due(conn, arena, CALENDAR_HOURS_TO_CONFIRM, "hours_to_confirm", today, &report->hours_reminders);
    if (report->started > 0 || report->completed > 0)
        catalog_index_sync(conn);
    return rc;
}
