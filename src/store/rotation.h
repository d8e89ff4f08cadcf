/* rotation.h — the store's side of the rotation itself: coaches and their
 * students, the hours log, the notices the calendar sends once, and the
 * applications the calendar moves. */
#ifndef ROUNDS_STORE_ROTATION_H
#define ROUNDS_STORE_ROTATION_H

#include "store/applications.h"
#include "store/store.h"

/* ---- coaches (store/coaches.c) ---- */

struct store_coach {
    const char *id, *name, *email;
    int64_t active_students; /* assigned students with a booked, cleared or in-progress rotation */
};

/* The student's coach: DB_ROW / DB_DONE (none yet). */
int store_coach_of_student(struct db_conn *conn, struct arena *arena, const char *student_id, struct store_coach *out);
/* The coach with the fewest active students (ties: the oldest id): DB_ROW, or DB_DONE when there is no coach. */
int store_coach_least_busy(struct db_conn *conn, struct arena *arena, struct store_coach *out);
/* Every coach with their count of active students, by name. */
int store_coaches_list(struct db_conn *conn, struct arena *arena, struct store_coach **out, size_t *count);
/* Whether user_id holds the coach role: DB_ROW with *out, or DB_DONE when it does not. */
int store_coach_get(struct db_conn *conn, struct arena *arena, const char *user_id, struct store_coach *out);
/* Makes coach_id the student's coach (replacing any other); assigned_by NULL = automatic. */
int store_coach_assign(struct db_conn *conn, const char *student_id, const char *coach_id, const char *assigned_by,
                       int64_t now);

/* One student on a coach's dashboard, with the rotation that matters most
 * now (in progress, else the next to start, else the latest); the
 * application fields are NULL when the student has none left. */
struct store_coach_student {
    const char *student_id, *student_name, *student_email;
    const char *application_id, *status, *offering_id, *offering_title, *organization_id, *host_name;
    const char *block_start, *block_end;
    const char *offering_requirements; /* the kinds listed on the offering (offerings.requirements) */
    int64_t assigned_at;
    /* The application's money terms (0 and NULL before the student accepted). */
    int64_t price_cents, paid_cents;
    const char *balance_due_on;
};
/* The coach's students, one row each, ordered by the rotation's start (none last). */
int store_coach_students(struct db_conn *conn, struct arena *arena, const char *coach_id,
                         struct store_coach_student **out, size_t *count);

/* ---- the hours log (store/hours.c) ---- */

struct store_hours_entry {
    const char *id, *application_id, *student_id, *day, *setting, *activities, *state, *review_note, *reviewed_by;
    int64_t minutes, patients_seen, reviewed_at, created_at, updated_at;
};

/* DB_CONSTRAINT when the day is already logged for that rotation. */
int store_hours_insert(struct db_conn *conn, const struct store_hours_entry *e);
/* DB_ROW / DB_DONE. */
int store_hours_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_hours_entry *out);
/* Rewrites what the student logs (day, minutes, setting, activities, patients seen) and the state, only while
 * the entry is still in state `from`: DB_OK, or DB_DONE when it moved meanwhile. DB_CONSTRAINT on a day taken. */
int store_hours_update(struct db_conn *conn, const struct store_hours_entry *e, const char *from);
/* The preceptor's review: state, note, who and when, only from `from` (DB_OK, or DB_DONE). */
int store_hours_review(struct db_conn *conn, const char *id, const char *from, const char *to, const char *note,
                       const char *reviewer_id, int64_t now);
/* Confirms every `logged` entry of the rotation with a day in [from, to]; *changed is how many. */
int store_hours_confirm_range(struct db_conn *conn, const char *application_id, const char *from, const char *to,
                              const char *reviewer_id, int64_t now, int *changed);
/* A rotation's entries in day order. */
int store_hours_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                               struct store_hours_entry **out, size_t *count);
/* Minutes the student logged on day on rotations other than application_id (*other), and whether any. */
int store_hours_on_day_elsewhere(struct db_conn *conn, const char *student_id, const char *day,
                                 const char *application_id, int64_t *minutes, bool *any);
/* A rotation's entries by state: confirmed, still to review (logged), and whether any. */
struct store_hours_counts {
    int64_t confirmed, logged, change_requested, refused;
};
int store_hours_counts(struct db_conn *conn, const char *application_id, struct store_hours_counts *out);

/* Each rotation of a student that counts towards U.S. clinical experience
 * (booked, cleared, in progress, completed), with its confirmed minutes. */
struct store_usce_rotation {
    const char *status, *kind;
    int64_t weeks, hours_per_week, confirmed_minutes;
};
int store_student_usce_rotations(struct db_conn *conn, struct arena *arena, const char *student_id,
                                 struct store_usce_rotation **out, size_t *count);

/* ---- the calendar (store/rotation_calendar.c) ---- */

/* Records a notice for the application once: DB_OK when this call recorded
 * it (send it), DB_DONE when it was recorded before (by any instance). */
int store_notice_claim(struct db_conn *conn, const char *application_id, const char *kind, int64_t now);
/* Whether the notice was recorded. */
int store_notice_sent(struct db_conn *conn, const char *application_id, const char *kind, bool *sent);

/* What the calendar looks for each round (today is YYYY-MM-DD). */
enum store_calendar_due {
    CALENDAR_TO_START,             /* cleared, first day reached */
    CALENDAR_NOT_CLEARED_AT_START, /* booked (not cleared), first day reached, not alerted yet */
    CALENDAR_TO_COMPLETE,          /* in progress, last day passed, hours confirmed and none waiting */
    CALENDAR_HOURS_TO_CONFIRM,     /* in progress, last day passed, preceptor not reminded yet */
    CALENDAR_UNDER_WAY,            /* in progress, today within its days (the weekly check-in) */
    CALENDAR_FIRST_DAY_AHEAD,      /* booked or cleared, first day on or before the date given (today + 7)
                                      and not before `from` (today), first-day instructions not sent yet */
};
/* Ids (at most limit) of the applications due for `which` (today: the date each query compares with; from:
 * the first day of CALENDAR_FIRST_DAY_AHEAD's window, so that rotations started already, never told, do not
 * come back each round ahead of those still to tell; unused, may be NULL, for the others). */
int store_calendar_due(struct db_conn *conn, struct arena *arena, enum store_calendar_due which, const char *today,
                       const char *from, int limit, const char ***ids, size_t *count);

#endif
