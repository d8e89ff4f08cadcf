/* demo_paperwork.h — what `rounds seed --demo` adds around its rotations,
 * through the same domain functions the site calls, with the clock set to
 * the moment the demo's history gives each step:
 *
 * - the affiliation agreement between the demo school and the demo host:
 *   proposed by the school's coordinator about seven months ago, signed and
 *   activated by the host's coordinator a week later, covering three years
 *   (the demo student's rotations there included);
 * - after the demo student's completed rotation: the preceptor's evaluation
 *   two days after its last day (would write a letter), the student's request
 *   for that letter the next day (FERPA waiver given), accepted by the
 *   preceptor the day after, so that the student's and the preceptor's
 *   /letters show it under way.
 *
 * Each is found again by what it is about (the two organisations; the
 * rotation), so a second run adds nothing. */
#ifndef ROUNDS_DOMAIN_DEMO_PAPERWORK_H
#define ROUNDS_DOMAIN_DEMO_PAPERWORK_H

#include <stdbool.h>

#include "lib/arena.h"
#include "store/store.h"

struct demo_paperwork {
    bool evaluated, letter_requested; /* made by this run */
};

/* The preceptor's evaluation of the completed application and the student's
 * letter request to the preceptor, each when missing. DB_OK, DB_ERROR when
 * a domain call refused (logged). */
int demo_paperwork_after_rotation(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                                  const char *preceptor_user_id, const char *application_id,
                                  struct demo_paperwork *made);

/* The school's agreement with the host, when the two have none and the file
 * store is open (the signed PDF is sealed there; without it, none). DB_OK
 * with *created, or DB_ERROR. */
int demo_agreement_seed(struct db_conn *conn, struct arena *arena, const char *school_coordinator_id,
                        const char *host_coordinator_id, const char *school_id, const char *host_id, bool *created);

#endif
