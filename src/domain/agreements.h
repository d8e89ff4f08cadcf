/* agreements.h — affiliation agreements between a host and a school
 * (issue 17 item 3).
 *
 * Either side's coordinator proposes an agreement (host, school, first and
 * last day covered); a coordinator of the other side activates it with the
 * signed PDF (checked by content, capped like documents, sealed and stored by
 * content address: store/blobs.h); either side terminates it with a reason;
 * the jobs thread expires it after its end date and reminds both sides by
 * email 60 and 30 days before (once each, across instances). Every change is
 * audited. Only the two sides' coordinators (and staff) see an agreement:
 * anybody else is told it does not exist (404).
 *
 * An offering may require an active agreement (requires_affiliation): then
 * a student may apply for one of its blocks, and "eligible for me" lists it,
 * only when one of the student's schools has an agreement with the host that
 * is active and covers the whole block (affiliation_covers, the one rule both
 * use). */
#ifndef ROUNDS_DOMAIN_AGREEMENTS_H
#define ROUNDS_DOMAIN_AGREEMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "store/agreements.h"

/* Reminder lead times, in days before an agreement's end date. */
enum { AGREEMENT_REMIND_FIRST_DAYS = 60, AGREEMENT_REMIND_SECOND_DAYS = 30 };

enum agreement_status agreement_status_of(const struct store_agreement *a);

struct agreement_proposal {
    const char *host_id, *school_id, *start_date, *end_date;
};

/* Proposes an agreement for the side the user coordinates (host or school):
 * 400 validation_failed naming start_date / end_date (not a date, end before
 * start, end already past), 422 unprocessable naming host_id / school_id (no
 * such host or school), 404 when the user coordinates neither side. The
 * other side's coordinators are told. */
int agreement_propose(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      const struct agreement_proposal *proposal, struct store_agreement *out, struct error *err);
/* The agreement if the user is on one of its sides (or staff), else 404. */
int agreement_get_visible(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                          struct store_agreement *out, struct error *err);
/* A page of the agreements of every host and school the user coordinates
 * (staff: all), newest first: at most limit after (after_created_at,
 * after_id) — from the newest when after_id is NULL. */
struct agreement_page {
    int64_t after_created_at;
    const char *after_id;
    int limit;
};
int agreement_list(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                   const struct agreement_page *page, struct store_agreement **out, size_t *count, struct error *err);
/* Whether the user may activate it: a coordinator of the side that did not propose it. */
bool agreement_may_activate(const struct store_user *user, const struct store_agreement *a);
/* The other side activates a proposed agreement with the signed PDF: 404 as
 * above, 403 for the side that proposed it, 409 invalid_transition when it is
 * not proposed, 400 file (missing or empty) / 413 (over the documents' cap) /
 * 415 (not a PDF by its content), 422 when its end date has passed. */
int agreement_activate(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                       const char *data, size_t len, struct store_agreement *out, struct error *err);
/* Either side terminates a proposed or active agreement: 400 reason (empty,
 * not text, too long), 409 invalid_transition when it is expired or terminated. */
int agreement_terminate(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                        const char *reason, struct store_agreement *out, struct error *err);
/* The plain bytes of the signed PDF (audited): 404 when not visible or not signed yet. */
int agreement_read_file(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                        struct store_agreement *out, const char **data, size_t *len, struct error *err);

/* The jobs: active agreements past their end date expire; those ending in
 * 60 and in 30 days remind both sides (once each). DB_OK or the store's failure. */
int agreements_run_jobs(struct db_conn *conn, struct arena *arena, int *expired, int *reminders);

/* The eligibility rule: whether one of the affiliations is with host_id and
 * covers the whole block (start ≤ block start and end ≥ block end). */
bool affiliation_covers(const struct store_affiliation *list, size_t count, const char *host_id,
                        const char *block_start, const char *block_end);
/* The student's affiliations (the active agreements of the schools they are linked to). */
int affiliation_load(struct db_conn *conn, struct arena *arena, const char *student_id,
                     struct store_affiliation **out, size_t *count);

#endif
