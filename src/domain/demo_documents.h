/* demo_documents.h — the demo students' wallets for `rounds seed --demo`:
 * the documents a demo rotation cleared to start must have had. */
#ifndef ROUNDS_DOMAIN_DEMO_DOCUMENTS_H
#define ROUNDS_DOMAIN_DEMO_DOCUMENTS_H

#include "lib/arena.h"
#include "store/store.h"

/* For the application (inserted already), a verified document of every kind
 * on its onboarding checklist (compliance_rules) that the student's wallet
 * lacks, issued in time for its start and valid through its end, a small PDF
 * sealed in the file store, verified by staff_id, and shared with the
 * application. Nothing when the file store is not open (blobs_ready). In the
 * caller's transaction; a db_status. */
int demo_documents_seed(struct db_conn *conn, struct arena *arena, const char *application_id, const char *staff_id);

#endif
