/* coaches.h — every booked student has a coach (DESIGN.md §1): a person to
 * ask from payment to after the rotation. When a student books and has no
 * coach yet, the coach with the fewest active students is assigned (in the
 * booking's transaction); staff may reassign. A coach sees their students'
 * rotations and has a dashboard of them: next starts, open tickets, missed or
 * worrying check-ins, onboarding requirements not met and unpaid balances. */
#ifndef ROUNDS_DOMAIN_COACHES_H
#define ROUNDS_DOMAIN_COACHES_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/rotation.h"

/* A student is flagged after this many days without a check-in during a rotation. */
#define COACH_CHECK_IN_MISSED_DAYS 8
/* A check-in at or below this score is worrying (and opens a ticket). */
#define COACH_WORRYING_SCORE 2

/* Inside the transaction that books application a: when its student has no
 * coach, assigns the least busy one and tells them (and the student).
 * Returns a db_status; no coach at all is not an error. */
int coach_assign_on_booking(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                            int64_t now);

/* Tells the student's coach, when they have one (in the app and by email). */
void coach_notify(struct db_conn *conn, struct arena *arena, const struct store_application *a, const char *kind,
                  const char *title, const char *link, int64_t now);

/* Staff make coach_id the student's coach: 404 (student) for non-staff or a
 * student that does not exist, 422 naming coach_id when it is not a coach.
 * Audited; the new coach and the student are told. */
int coach_reassign(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                   const char *student_id, const char *coach_id, struct store_coach *out, struct error *err);

/* One student on the dashboard. */
struct coach_dashboard_row {
    struct store_coach_student student;
    int64_t open_tickets;        /* the student's tickets not resolved */
    int64_t last_check_in_at;    /* 0: none */
    int64_t last_check_in_score; /* 0: none */
    bool last_check_in_help;
    /* The onboarding checklist of a rotation not over yet (held to in progress),
     * as its rotation page counts it: requirements, and those not met (a
     * document missing, waiting, rejected, expired or expiring). A cleared
     * rotation met them all when it was cleared; one may lapse since. */
    int64_t requirements;
    int64_t documents_not_ready;
    int64_t unpaid_cents;        /* balance still due (once payments exist), 0 otherwise */
    bool check_in_missed;        /* in progress, no check-in for COACH_CHECK_IN_MISSED_DAYS days */
    bool check_in_worrying;      /* the last check-in asked for help or scored ≤ COACH_WORRYING_SCORE */
    bool starts_soon;            /* starts within 14 days */
};

struct coach_dashboard {
    struct store_coach coach;
    struct coach_dashboard_row *rows;
    size_t count;
    /* How many rows carry each flag. */
    int64_t starting_soon, in_progress, with_open_tickets, check_ins_missed, check_ins_worrying, documents_missing,
        unpaid;
};

/* The dashboard of coach_id as seen by viewer: a coach sees their own (coach_id
 * NULL or theirs), staff any coach's; anyone else, or an id that is not a
 * coach, gets 404. */
int coach_dashboard(struct db_conn *conn, struct arena *arena, const struct store_user *viewer, const char *coach_id,
                    struct coach_dashboard *out, struct error *err);

#endif
