/* demo_completion.c — the demo's rotation after the fact (`rounds seed
 * --demo`): the demo student's rotation with the demo preceptor that ended
 * ten days ago, completed, with every weekday's hours confirmed, so that a
 * newcomer can see its certificate, its evaluation and its review at once;
 * and the student's next rotation there, booked, for a visa letter, which
 * gives the student the demo's coach as any booking gives one; then
 * what followed it (demo_paperwork.h): the preceptor's evaluation and the
 * student's request for a letter. Its ids are made as the site makes them,
 * at the moments of the story: a second run finds the completed rotation by
 * its student, its preceptor and its status, and adds nothing. */
#include "domain/demo_completion.h"

#include <stdio.h>
#include <string.h>

#include "domain/certificates.h"
#include "domain/coaches.h"
#include "domain/demo_documents.h"
#include "domain/demo_money.h"
#include "domain/demo_paperwork.h"
#include "domain/demo_story.h"
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
    const char *application_id; /* out: the completed rotation's */
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

/* Eight hours on every weekday of the block, each logged that evening; all
 * confirmed by the preceptor at confirmed_at. */
static int demo_hours(struct db_conn *conn, struct arena *arena, const char *application_id, const char *student_id,
                      const char *preceptor_user_id, int32_t first, int32_t last, int64_t confirmed_at)
{
    for (int32_t day = first; day <= last; day++) {
        int weekday = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday: 0 = Monday */
        if (weekday >= 5)
            continue;
        char date[11];
        clock_date_from_days(day, date);
        int64_t logged_at = (int64_t)day * DAY + 18 * 3600;
        struct store_hours_entry e = {
            .id = demo_sortable_id(arena, "h_", logged_at), .application_id = application_id,
            .student_id = student_id, .day = date, .setting = "inpatient",
            .activities = "Ward rounds, admissions and the afternoon clinic.", .state = "logged", .minutes = 480,
            .patients_seen = 6, .created_at = logged_at, .updated_at = logged_at,
        };
        int rc = e.id != NULL ? store_hours_insert(conn, &e) : DB_ERROR;
        if (rc != DB_OK)
            return rc;
    }
    char from[11], to[11];
    int changed = 0;
    clock_date_from_days(first, from);
    clock_date_from_days(last, to);
    return store_hours_confirm_range(conn, application_id, from, to, preceptor_user_id, confirmed_at, &changed);
}

/* The coach a booking gives its student (the least busy: the demo's coach),
 * as coach_assign_on_booking gives one when the deposit paid booked it, at
 * booked_at: the student and the coach are told then. */
static int assign_coach(struct db_conn *conn, struct arena *arena, const char *application_id, int64_t booked_at)
{
    struct store_application booked;
    int rc = store_application_get(conn, arena, application_id, &booked); /* with the names the notices say */
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    int64_t offset = demo_clock_at(booked_at);
    rc = coach_assign_on_booking(conn, arena, &booked, booked_at);
    clock_set_offset(offset);
    return rc;
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
    struct store_block block = {.id = demo_random_id(c->arena, "blk_"), .offering_id = o->id, .start_date = start,
                                .end_date = end, .seats = 1, .created_at = now - 30 * DAY};
    struct store_application a = {.id = demo_sortable_id(c->arena, "a_", now - 7 * DAY), .student_id = c->student->id,
                                  .block_id = block.id, .offering_id = o->id, .organization_id = o->organization_id,
                                  .status = "booked", .created_at = now - 7 * DAY,
                                  .statement = "More weeks with the team, in the clinic this time."};
    int rc;
    if (block.id == NULL || a.id == NULL)
        return DB_ERROR;
    if ((rc = store_block_insert(conn, &block)) != DB_OK || (rc = store_block_take_seat(conn, block.id)) != DB_OK ||
        (rc = store_application_insert(conn, &a)) != DB_OK)
        return rc;
    for (size_t i = 0; i < 4; i++) /* submit, offer, accept, book: a day apart */
        if ((rc = add_event(conn, c, a.id, i, a.created_at + (int64_t)i * DAY)) != DB_OK)
            return rc;
    struct demo_money_story money = {.accepted_at = a.created_at + 2 * DAY, .deposit_paid_at = a.created_at + 3 * DAY};
    if ((rc = demo_money_post(conn, c->arena, a.id, &money)) != DB_OK ||
        (rc = assign_coach(conn, c->arena, a.id, money.deposit_paid_at)) != DB_OK)
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
    int64_t started = (int64_t)first * DAY; /* midnight of the first day */
    int64_t applied_at = started + demo_history[0].day * DAY + demo_history[0].hour * 3600;
    struct store_block block = {.id = demo_random_id(c->arena, "blk_"), .offering_id = o->id, .start_date = start,
                                .end_date = end, .seats = 1, .created_at = applied_at - 30 * DAY};
    struct store_application a = {.id = demo_sortable_id(c->arena, "a_", applied_at), .student_id = c->student->id,
                                  .block_id = block.id, .offering_id = o->id, .organization_id = o->organization_id,
                                  .status = "completed", .created_at = applied_at,
                                  .statement = "I want to see internal medicine as it is practised in a U.S. "
                                               "community hospital before I apply for residency."};
    if (block.id == NULL || a.id == NULL)
        return DB_ERROR;
    c->application_id = a.id;
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
    rc = demo_hours(conn, c->arena, a.id, c->student->id, c->preceptor_user_id, first, last,
                    at[DEMO_HISTORY_COMPLETE]);
    return rc == DB_OK ? demo_booked(conn, c, o, now) : rc;
}

int demo_completion_seed(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                         const char *preceptor_user_id, const char *staff_id, struct demo_completion *out)
{
    memset(out, 0, sizeof(*out));
    struct store_application existing;
    int rc = demo_find_application(conn, arena, student->id, preceptor_user_id, "completed", &existing);
    if (rc == DB_DONE) {
        struct demo_ctx c = {.arena = arena, .student = student, .preceptor_user_id = preceptor_user_id,
                             .staff_id = staff_id};
        rc = db_run_tx(conn, true, demo_tx, &c);
        if (rc == DB_DONE) /* no offering of the demo preceptor: nothing to complete */
            return DB_OK;
        if (rc != DB_OK)
            return rc;
        out->created = true;
        out->application_id = c.application_id;
    } else if (rc == DB_ROW) {
        out->application_id = existing.id;
    } else {
        return rc;
    }
    rc = demo_paperwork_after_rotation(conn, arena, student, preceptor_user_id, out->application_id, &out->paperwork);
    if (rc != DB_OK || !signing_ready())
        return rc;
    struct store_certificate cert;
    struct error err = {0};
    if (certificate_issue_completion(conn, arena, out->application_id, student, &cert, &out->issued, &err) != 0)
        return DB_ERROR;
    out->certificate_number = cert.number;
    return DB_OK;
}
