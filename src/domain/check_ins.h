/* check_ins.h — weekly check-ins during a rotation (DESIGN.md §1): once a
 * week of the rotation (from its first day, every 7 days) the student is
 * asked how it is going (1–5), what they did, and whether they need help. A
 * request for help or a score ≤ COACH_WORRYING_SCORE opens a ticket for the
 * coach at once; no check-in for COACH_CHECK_IN_MISSED_DAYS days flags the
 * student on the coach's dashboard. The jobs send the weekly prompt (in the
 * app and by email), once per week across instances. */
#ifndef ROUNDS_DOMAIN_CHECK_INS_H
#define ROUNDS_DOMAIN_CHECK_INS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/support.h"

struct check_in_input {
    int64_t score;          /* 1 … 5 */
    const char *activities; /* may be NULL */
    bool needs_help;
};

/* The rotation's week holding today: its first day into week_start[11]; false outside [start, end]. */
bool check_in_week(const char *start, const char *end, const char *today, char week_start[11]);

/* The student checks in for the current week of an application: 404 unseen,
 * 403 for another viewer, 409 not_in_rotation when it is not under way
 * today, 409 conflict when the week has its check-in, 400 naming a
 * malformed field, 413 naming activities over its limit. *ticket_id is the
 * ticket it opened (NULL when none). */
int check_in_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *application_id, const struct check_in_input *in, struct store_check_in *out,
                    struct error *err);

/* The application's check-ins for whoever may see it (404 otherwise). */
int check_ins_list(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                   const char *application_id, struct store_check_in **out, size_t *count, struct error *err);

/* The jobs: the weekly prompt for each rotation under way; *sent is how many. */
int check_ins_prompt(struct db_conn *conn, struct arena *arena, int *sent);

#endif
