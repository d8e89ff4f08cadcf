/* demo_rotation.c — the demo's rotation under way; see demo_rotation.h. */
#include "domain/demo_rotation.h"

#include <stdio.h>
#include <string.h>

#include "domain/demo_documents.h"
#include "domain/demo_money.h"
#include "domain/demo_story.h"
#include "domain/payment_provider.h"
#include "domain/vocabulary.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/rotation.h"
#include "store/support.h"

enum { DAY = 86400, DEMO_WEEKS = 4 };

struct seed_ctx {
    const struct demo_rotation_people *people;
    struct arena *arena;
    bool *created;
    char *application_id; /* out: the story's application, made now or found */
};

/* The demo preceptor's first offering at the demo host, preferring a hands-on one. */
static int pick_offering(struct db_conn *conn, struct seed_ctx *c, struct store_offering *out)
{
    struct store_offering *items;
    size_t count = 0;
    int rc = store_offerings_list(conn, c->arena, c->people->host_id, c->people->preceptor_user_id, NULL, 50, &items,
                                  &count);
    if (rc != DB_OK || count == 0)
        return rc == DB_OK ? DB_DONE : rc;
    *out = items[0];
    for (size_t i = 0; i < count; i++)
        if (strcmp(items[i].kind, "hands_on") == 0) {
            *out = items[i];
            break;
        }
    return DB_OK;
}

/* The story so far: applied, offered, accepted, booked (the deposit paid), cleared, started. */
static int add_history(struct db_conn *conn, const char *application_id, const char *student_id, const char *host_id,
                       int64_t started)
{
    static const struct {
        const char *action, *from, *to, *actor, *note;
        int64_t days_before;
    } steps[] = {
        {"submit", NULL, "submitted", "student", "I want U.S. clinical experience in internal medicine.", 60},
        {"offer", "submitted", "offered", "host", "Welcome aboard.", 55},
        {"accept", "offered", "held", "student", NULL, 54},
        {"book", "held", "booked", "system", NULL, 53}, /* the deposit paid: noted as a payment's booking notes it */
        {"clear", "booked", "cleared", "host", NULL, 20},
        {"start", "cleared", "in_progress", "system", NULL, 0},
    };
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof(steps) / sizeof(steps[0]); i++) {
        const char *actor = strcmp(steps[i].actor, "student") == 0 ? student_id
                            : strcmp(steps[i].actor, "host") == 0  ? host_id
                                                                   : NULL;
        const char *note = strcmp(steps[i].action, "book") == 0 ? payment_method_label(PAYMENT_DEMO) : steps[i].note;
        rc = store_application_event_add(conn, application_id, steps[i].action, steps[i].from, steps[i].to, actor,
                                         steps[i].actor, note, started - steps[i].days_before * DAY);
    }
    return rc;
}

/* The first week: Monday to Friday, a fifth of the offering's hours a week
 * each day; three confirmed, two waiting for the preceptor. */
static int add_hours(struct db_conn *conn, struct arena *arena, const char *application_id,
                     const struct demo_rotation_people *p, int32_t first_day, int64_t minutes_a_day, int64_t now)
{
    static const char *const activities[] = {
        "Admitted two patients with community-acquired pneumonia; presented on rounds.",
        "Followed a patient with DKA through the day; wrote progress notes.",
        "Clinic morning with the attending; practised focused histories.",
        "Rounds, a family meeting, and a teaching session on heart failure.",
        "Discharge planning for three patients; case presentation to the team.",
    };
    int rc = DB_OK;
    for (int d = 0; rc == DB_OK && d < 5; d++) {
        char day[11];
        clock_date_from_days(first_day + d, day);
        int64_t logged_at = now - (7 - d) * DAY;
        const char *id = demo_sortable_id(arena, "h_", logged_at); /* as hours.c makes them */
        if (id == NULL)
            return DB_ERROR;
        struct store_hours_entry e = {.id = id,
                                      .application_id = application_id,
                                      .student_id = p->student_id,
                                      .day = day,
                                      .minutes = minutes_a_day,
                                      .setting = "inpatient",
                                      .activities = activities[d],
                                      .patients_seen = 3 + d,
                                      .state = "logged",
                                      .created_at = logged_at};
        rc = store_hours_insert(conn, &e);
        if (rc == DB_OK && d < 3)
            rc = store_hours_review(conn, id, "logged", "confirmed", NULL, p->preceptor_user_id, now - 2 * DAY);
    }
    return rc;
}

/* The seat-taking statuses the story's application may be in by now (the
 * calendar completes it after its last day): its key, with the student and
 * the preceptor. */
static const char story_statuses[] = "booked,cleared,in_progress,completed";

static int seed_tx(struct db_conn *conn, void *p)
{
    struct seed_ctx *c = p;
    struct store_application existing;
    int rc = demo_find_application(conn, c->arena, c->people->student_id, c->people->preceptor_user_id,
                                   story_statuses, &existing);
    if (rc == DB_ROW)
        snprintf(c->application_id, ID_MAX_BYTES + 1, "%s", existing.id); /* there already */
    if (rc != DB_DONE)
        return rc == DB_ROW ? DB_OK : rc;
    struct store_offering o;
    rc = pick_offering(conn, c, &o);
    if (rc != DB_OK)
        return rc == DB_DONE ? DB_OK : rc;
    /* Started on the Monday 7 to 13 days ago: its second week is under way today. */
    int32_t today = clock_today_days();
    int32_t first = today - 7 - ((today + 3) % 7 + 7) % 7; /* day 0 (1970-01-01) was a Thursday */
    char start[11], end[11];
    clock_date_from_days(first, start);
    clock_date_from_days(first + DEMO_WEEKS * 7 - 3, end); /* the fourth week's Friday */
    int64_t now = clock_now();
    int64_t started = (int64_t)first * DAY + 8 * 3600;
    int64_t per_week = o.hours_per_week > 0 && o.hours_per_week <= 100 ? o.hours_per_week : 40;
    int64_t minutes_a_day = per_week * 60 / 5 / 15 * 15;
    struct store_block block = {demo_random_id(c->arena, "blk_"), o.id, start, end, 2, 0, now - 90 * DAY, 0};
    struct store_application a = {.id = demo_sortable_id(c->arena, "a_", started - 60 * DAY),
                                  .student_id = c->people->student_id,
                                  .block_id = block.id,
                                  .offering_id = o.id,
                                  .organization_id = o.organization_id,
                                  .status = application_status_name(APPLICATION_IN_PROGRESS),
                                  .statement = "I want U.S. clinical experience in internal medicine.",
                                  .created_at = started - 60 * DAY};
    int64_t checked_in_at = started + 4 * DAY + 10 * 3600;
    struct store_check_in check_in = {.id = demo_sortable_id(c->arena, "ci_", checked_in_at),
                                      .application_id = a.id,
                                      .student_id = c->people->student_id,
                                      .week_start = start,
                                      .activities = "A busy first week on the wards; the team is welcoming.",
                                      .score = 4,
                                      .created_at = checked_in_at};
    if (block.id == NULL || a.id == NULL || check_in.id == NULL)
        return DB_ERROR;
    rc = store_block_insert(conn, &block);
    if (rc == DB_OK)
        rc = store_block_take_seat(conn, block.id);
    if (rc == DB_OK)
        rc = store_application_insert(conn, &a);
    if (rc == DB_OK)
        rc = add_history(conn, a.id, c->people->student_id, c->people->host_id, started);
    /* Accepted, the deposit paid the next day, the balance before it was due; earned at the start. */
    struct demo_money_story money = {.accepted_at = started - 54 * DAY, .deposit_paid_at = started - 53 * DAY,
                                     .balance_paid = true, .started_at = started};
    if (rc == DB_OK)
        rc = demo_money_post(conn, c->arena, a.id, &money);
    if (rc == DB_OK)
        rc = demo_documents_seed(conn, c->arena, a.id, c->people->staff_id);
    if (rc == DB_OK && c->people->coach_id != NULL)
        rc = store_coach_assign(conn, c->people->student_id, c->people->coach_id, NULL, started - 53 * DAY);
    if (rc == DB_OK)
        rc = add_hours(conn, c->arena, a.id, c->people, first, minutes_a_day, now);
    if (rc == DB_OK)
        rc = store_check_in_insert(conn, &check_in);
    if (rc == DB_OK) {
        *c->created = true;
        snprintf(c->application_id, ID_MAX_BYTES + 1, "%s", a.id);
    }
    return rc;
}

int demo_rotation_seed(struct db_conn *conn, const struct demo_rotation_people *people, bool *created,
                       char application_id[ID_MAX_BYTES + 1])
{
    struct arena arena;
    arena_heap_init(&arena);
    *created = false;
    application_id[0] = '\0';
    struct seed_ctx c = {people, &arena, created, application_id};
    int rc = db_run_tx(conn, true, seed_tx, &c);
    arena_heap_free(&arena);
    return rc;
}
