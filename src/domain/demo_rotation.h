/* demo_rotation.h — the rotation under way of `rounds seed --demo`: a
 * student on one of the demo preceptor's rotations at the demo host, in its
 * second week, with a coach, a first week of hours (three days confirmed,
 * two waiting for the preceptor) and the first week's check-in, so that
 * "Your rotation", the hours log, the check-ins and the coach's dashboard
 * show something from `make run`. Its ids are made as the site makes them, at
 * the moments the story gives; a second run finds the rotation by its student,
 * its preceptor and its status, and adds nothing. */
#ifndef ROUNDS_DOMAIN_DEMO_ROTATION_H
#define ROUNDS_DOMAIN_DEMO_ROTATION_H

#include <stdbool.h>

#include "lib/limits.h"
#include "store/store.h"

struct demo_rotation_people {
    const char *student_id, *coach_id, *preceptor_user_id, *host_id;
    const char *staff_id; /* verified the student's documents (demo_documents.h) */
};

/* Adds the rotation once (in one transaction): DB_OK with *created true, or
 * *created false when it is there already or the demo preceptor has no
 * offering at the demo host. application_id: the rotation's application,
 * made or found ("" when there is none). */
int demo_rotation_seed(struct db_conn *conn, const struct demo_rotation_people *people, bool *created,
                       char application_id[ID_MAX_BYTES + 1]);

#endif
