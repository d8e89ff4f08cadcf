/* demo_completion.c — the demo's rotation after the fact (`rounds seed
 * --demo`): the demo student's rotation with the demo preceptor that ended
 * ten days ago, completed, with every weekday's hours confirmed, so that a
 * newcomer can see its certificate, its evaluation and its review at once;
 * and the student's next rotation there, booked, for a visa letter.
 * Fixed ids: a second run finds it there and adds nothing. */
#include "domain/demo_completion.h"

#include <stdio.h>
#include <string.h>

#include "domain/certificates.h"
#include "domain/demo_documents.h"
#include "domain/demo_money.h"
#include "domain/match_rounds.h"
#include "domain/payment_provider.h"
#include "domain/vocabulary.h"
#include "lib/clock.h"
#include "lib/signed_document.h"
#include "store/applications.h"
#include "store/rotation.h"

/* The demo student's path to `completed`, as the history shows it: days
 * from the first day of the rotation (complete: from its last day), and the
 * hour of the day. */
static const struct {
    const char *action, *from, *to;
    int role; /* 0 student, 1 preceptor, 2 the system (a payment that covered the deposit booked it) */
    int32_t day;
    int hour;
} demo_history[] = {
    {"submit", "draft", "submitted", 0, -60, 9},   {"offer", "submitted", "offered", 1, -55, 14},
    {"accept", "offered", "held", 0, -54, 18},     {"book", "held", "booked", 2, -53, 11},
    {"clear", "booked", "cleared", 1, -20, 16},    {"start", "cleared", "in_progress", 1, 0, 8},
    {"complete", "in_progress", "completed", 1, 1, 10},
};
enum { DEMO_HISTORY_COMPLETE = 6, DAY = 86400 };

struct demo_ctx {
    struct arena *arena;
    const struct store_user *student;
    const char *preceptor_user_id, *staff_id;
};

/* Step i of the history, at `at`. */
static int add_event(struct db_conn *conn, const struct demo_ctx *c, const char *application_id, size_t i, int64_t at)
{
    static const char *const roles[] = {"student", "preceptor", "system"};
    int role = demo_history[i].role;
    const char *actor = role == 0 ? c->student->id : role == 1 ? c->preceptor_user_id : NULL;
    const char *note = role == 2 ? payment_method_label(PAYMENT_DEMO) : ""; /* as a payment's booking notes it */
    return store_application_event_add(conn, application_id, demo_history[i].action, demo_history[i].from,
                                       demo_history[i].to, actor, roles[role], note, at);
}

/* Eight confirmed hours on every weekday of the block, reviewed by the preceptor. */
static int demo_hours(struct db_conn *conn, const char *student_id, const char *preceptor_user_id, int32_t first,
                      int32_t last, int64_t now)
{
    for (int32_t day = first; day <= last; day++) {
        int weekday = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday: 0 = Monday */
        if (weekday >= 5)
            continue;
        char date[11], id[64];
        clock_date_from_days(day, date);
        snprintf(id, sizeof(id), "hrs_demo_completed_%d", (int)(day - first));
        struct store_hours_entry e = {
            .id = id, .application_id = DEMO_COMPLETED_APPLICATION_ID, .student_id = student_id, .day = date,
            .setting = "inpatient", .activities = "Ward rounds, admissions and the afternoon clinic.",
            .state = "logged", .minutes = 480, .patients_seen = 6, .created_at = now, .updated_at = now,
        };
        int rc = store_hours_insert(conn, &e);
        if (rc != DB_OK)
            return rc;
    }
    char from[11], to[11];
    int changed = 0;
    clock_date_from_days(first, from);
    clock_date_from_days(last, to);
    return store_hours_confirm_range(conn, DEMO_COMPLETED_APPLICATION_ID, from, to, preceptor_user_id, now,
                                     &changed);
}

/* The same student's next rotation with the preceptor, booked eleven months
 * ahead (the deposit paid, the balance due later): the one a B-1 visa
 * invitation letter is asked for. */
static int demo_booked(struct db_conn *conn, const struct demo_ctx *c, const struct store_offering *o, int64_t now)
{
    char start[11], end[11];
    int32_t first = clock_today_days() + 330; /* late: searches and apply journeys stay as they were */
    clock_date_from_days(first, start);
    clock_date_from_days(first + (int32_t)(o->weeks > 0 ? o->weeks : 4) * 7 - 3, end);
    struct store_block block = {.id = DEMO_BOOKED_BLOCK_ID, .offering_id = o->id, .start_date = start,
                                .end_date = end, .seats = 1, .created_at = now};
    struct store_application a = {.id = DEMO_BOOKED_APPLICATION_ID, .student_id = c->student->id,
                                  .block_id = block.id, .offering_id = o->id, .organization_id = o->organization_id,
                                  .status = "booked", .created_at = now - 7 * DAY,
                                  .statement = "More weeks with the team, in the clinic this time."};
    int rc;
    if ((rc = store_block_insert(conn, &block)) != DB_OK || (rc = store_block_take_seat(conn, block.id)) != DB_OK ||
        (rc = store_application_insert(conn, &a)) != DB_OK)
        return rc;
    for (size_t i = 0; i < 4; i++) /* submit, offer, accept, book: a day apart */
        if ((rc = add_event(conn, c, a.id, i, a.created_at + (int64_t)i * DAY)) != DB_OK)
            return rc;
    struct demo_money_story money = {.accepted_at = a.created_at + 2 * DAY, .deposit_paid_at = a.created_at + 3 * DAY};
    if ((rc = demo_money_post(conn, c->arena, a.id, &money)) != DB_OK)
        return rc;
    return store_catalog_changed(conn, o->id, now);
}

static int demo_tx(struct db_conn *conn, void *p)
{
    struct demo_ctx *c = p;
    struct store_offering *offerings;
    size_t count = 0;
    int rc = store_offerings_list(conn, c->arena, NULL, c->preceptor_user_id, NULL, 50, &offerings, &count);
    if (rc != DB_OK || count == 0)
        return rc != DB_OK ? rc : DB_DONE;
    /* One on the wards the student may take, as its statement and hours say:
     * hands-on, else an observership (with the demo student's B-1/B-2 visa,
     * the observership), else any. */
    static const int kinds[] = {OFFERING_HANDS_ON, OFFERING_OBSERVERSHIP, -1 /* any */};
    const struct store_offering *o = NULL;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && o == NULL; k++)
        for (size_t i = 0; i < count && o == NULL; i++)
            if ((kinds[k] < 0 || strcmp(offerings[i].kind, offering_kind_name((enum offering_kind)kinds[k])) == 0) &&
                match_round_student_eligible(&offerings[i], &c->student->profile))
                o = &offerings[i];
    if (o == NULL)
        o = &offerings[0];
    int64_t now = clock_now();
    /* Monday to the Friday at least ten days ago, the offering's weeks long. */
    int32_t last = clock_today_days() - 10;
    last -= (int32_t)(((last + 3) % 7 - 4 + 7) % 7);
    int32_t first = last - (int32_t)(o->weeks > 0 ? o->weeks : 4) * 7 + 3;
    char start[11], end[11];
    clock_date_from_days(first, start);
    clock_date_from_days(last, end);
    struct store_block block = {.id = DEMO_COMPLETED_BLOCK_ID, .offering_id = o->id, .start_date = start,
                                .end_date = end, .seats = 1, .created_at = now};
    int64_t started = (int64_t)first * DAY; /* midnight of the first day */
    struct store_application a = {.id = DEMO_COMPLETED_APPLICATION_ID, .student_id = c->student->id,
                                  .block_id = block.id, .offering_id = o->id, .organization_id = o->organization_id,
                                  .status = "completed", .created_at = started + demo_history[0].day * DAY + 9 * 3600,
                                  .statement = "I want to see internal medicine as it is practised in a U.S. "
                                               "community hospital before I apply for residency."};
    if ((rc = store_block_insert(conn, &block)) != DB_OK || (rc = store_block_take_seat(conn, block.id)) != DB_OK ||
        (rc = store_application_insert(conn, &a)) != DB_OK)
        return rc;
    int64_t at[sizeof(demo_history) / sizeof(demo_history[0])];
    for (size_t i = 0; i < sizeof(demo_history) / sizeof(demo_history[0]); i++) {
        int64_t day = i == DEMO_HISTORY_COMPLETE ? (int64_t)last * DAY : started;
        at[i] = day + demo_history[i].day * DAY + demo_history[i].hour * 3600;
        if ((rc = add_event(conn, c, a.id, i, at[i])) != DB_OK)
            return rc;
    }
    /* Paid in full before the balance was due; the host's share earned on the first day. */
    struct demo_money_story money = {.accepted_at = at[2], .deposit_paid_at = at[3], .balance_paid = true,
                                     .started_at = at[5]};
    if ((rc = demo_money_post(conn, c->arena, a.id, &money)) != DB_OK)
        return rc;
    if ((rc = demo_documents_seed(conn, c->arena, a.id, c->staff_id)) != DB_OK)
        return rc;
    rc = demo_hours(conn, c->student->id, c->preceptor_user_id, first, last, now);
    return rc == DB_OK ? demo_booked(conn, c, o, now) : rc;
}

int demo_completion_seed(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                         const char *preceptor_user_id, const char *staff_id, struct demo_completion *out)
{
    memset(out, 0, sizeof(*out));
    struct store_application existing;
    int rc = store_application_get(conn, arena, DEMO_COMPLETED_APPLICATION_ID, &existing);
    if (rc == DB_DONE) {
        struct demo_ctx c = {.arena = arena, .student = student, .preceptor_user_id = preceptor_user_id,
                             .staff_id = staff_id};
        rc = db_run_tx(conn, true, demo_tx, &c);
        if (rc == DB_DONE) /* no offering of the demo preceptor: nothing to complete */
            return DB_OK;
        if (rc != DB_OK)
            return rc;
        out->created = true;
    } else if (rc != DB_ROW) {
        return rc;
    }
    out->application_id = DEMO_COMPLETED_APPLICATION_ID;
    if (!signing_ready())
        return DB_OK;
    struct store_certificate cert;
    struct error err = {0};
    if (certificate_issue_completion(conn, arena, DEMO_COMPLETED_APPLICATION_ID, student, &cert, &out->issued, &err) !=
        0)
        return DB_ERROR;
    out->certificate_number = cert.number;
    return DB_OK;
}
