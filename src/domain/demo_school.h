/* demo_school.h — the demo school's cohort and open match round (`rounds seed --demo`). */
#ifndef ROUNDS_DOMAIN_DEMO_SCHOOL_H
#define ROUNDS_DOMAIN_DEMO_SCHOOL_H

#include <stdbool.h>

#include "lib/arena.h"
#include "store/db.h"

struct demo_school {
    const char *school_id, *coordinator_id, *host_id;
    const char *host_coordinator_id; /* reviews and offers the cohort's own applications (may be NULL) */
    const char *demo_student_id; /* linked too (may be NULL) */
    const char *password;        /* of the cohort's accounts */
};

struct demo_school_added {
    int students, blocks;
    const char *round_id; /* the school's round (new or already there) */
    bool agreement;       /* the school's agreement with the host, made by this run */
};

/* Creates what is missing: the cohort, the links, the round, and (with the
 * round) four cohort students' own applications to the demo host, submitted,
 * under review and offered; the school's signed agreement with the host. DB_OK
 * or the store's failure. */
int demo_school_seed(struct db_conn *conn, struct arena *arena, const struct demo_school *d,
                     struct demo_school_added *added);

#endif
