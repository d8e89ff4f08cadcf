/* demo_completion.h — a completed demo rotation with confirmed hours and
 * its signed certificate, for `rounds seed --demo`. */
#ifndef ROUNDS_DOMAIN_DEMO_COMPLETION_H
#define ROUNDS_DOMAIN_DEMO_COMPLETION_H

#include <stdbool.h>

#include "domain/demo_paperwork.h"
#include "lib/arena.h"
#include "store/store.h"

struct demo_completion {
    const char *application_id;     /* NULL when the demo preceptor has no offering */
    const char *certificate_number; /* NULL when no signing key is loaded */
    bool created, issued;           /* made by this run */
    struct demo_paperwork paperwork; /* what followed it, made by this run */
};

/* The student's rotation with the preceptor (user id) that ended ten days
 * ago: completed, every weekday's eight hours confirmed; and its certificate
 * of completion when a signing key is loaded (signing_open); the documents
 * its checklist asked for, verified by staff_id (demo_documents.h); and the
 * student's next rotation there, booked, eleven months ahead; the preceptor's
 * evaluation and the student's letter request (demo_paperwork_after_rotation).
 * Adds only what is missing. DB_OK, or the database's error. */
int demo_completion_seed(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                         const char *preceptor_user_id, const char *staff_id, struct demo_completion *out);

#endif
