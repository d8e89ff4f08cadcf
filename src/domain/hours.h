/* hours.h — the hours log of a rotation (DESIGN.md §2, "Placement"): while
 * the rotation is under way and up to HOURS_LOG_GRACE_DAYS days after its
 * last day, the student logs each day (date, hours, setting, activities,
 * patients seen); the preceptor confirms each entry, asks for a change with
 * a note, or refuses it — or confirms a week at once. Only confirmed hours
 * count: they feed readiness (weeks of U.S. clinical experience) and the
 * completion of the rotation by the calendar.
 *
 * An entry is `logged` (waiting for the preceptor), then `confirmed`,
 * `change_requested` (the student edits it: logged again) or `refused`;
 * confirmed and refused entries no longer change. */
#ifndef ROUNDS_DOMAIN_HOURS_H
#define ROUNDS_DOMAIN_HOURS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "store/rotation.h"

/* What the student logs for one day. */
struct hours_input {
    const char *date;       /* YYYY-MM-DD */
    int64_t minutes;        /* 15 … 1440, in quarter hours */
    const char *setting;    /* hours_setting_names */
    const char *activities; /* may be NULL */
    int64_t patients_seen;
};

/* The student logs a day of their rotation: 404 when the application is not
 * theirs to see, 403 for someone who sees it but is not its student, 409
 * hours_log_closed outside [start of the rotation under way, end + grace],
 * 409 hours_day_taken when the day is in the log already, 422 naming date
 * (outside the rotation, in the future, logged on another rotation) or
 * hours (over 24 in the day, counting other rotations), 400 naming the field
 * for malformed values. */
int hours_log(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *application_id,
              const struct hours_input *in, struct store_hours_entry *out, struct error *err);
/* The student changes an entry still logged or sent back (it is logged
 * again); the same checks, and 409 hours_reviewed once confirmed or refused. */
int hours_edit(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *entry_id,
               const struct hours_input *in, struct store_hours_entry *out, struct error *err);

/* The preceptor (or staff) reviews a logged entry: action "confirm",
 * "request_change" (note required) or "refuse". 404 when the entry is not
 * theirs to see, 403 for other viewers, 409 hours_reviewed when it is not
 * waiting, 400 naming note. Audited; the student is told. */
int hours_review(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *entry_id,
                 const char *action, const char *note, struct store_hours_entry *out, struct error *err);
/* Confirms every logged entry of the rotation in the seven days from
 * week_start; *confirmed is how many. Same access as hours_review. */
int hours_confirm_week(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                       const char *application_id, const char *week_start, int *confirmed, struct error *err);

/* A rotation's log as its viewer sees it. */
struct hours_log {
    struct store_application application;
    struct store_hours_entry *entries;
    size_t count;
    int64_t confirmed_minutes_by_setting[HOURS_SETTING_COUNT];
    int64_t confirmed_minutes, waiting_minutes;
    char open_until[11];   /* the last day hours may be logged */
    bool open;             /* the student may log now */
    bool viewer_logs;      /* the viewer is the student */
    bool viewer_reviews;   /* the viewer is the preceptor or staff */
};
/* Loads the log of an application the user may see (404 otherwise). */
int hours_log_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                   const char *application_id, struct hours_log *out, struct error *err);

/* Whole weeks of experience from confirmed minutes on an offering of
 * hours_per_week (40 when unknown), at most `weeks`. Pure. */
int64_t hours_weeks_from_minutes(int64_t confirmed_minutes, int64_t hours_per_week, int64_t weeks);

#endif
