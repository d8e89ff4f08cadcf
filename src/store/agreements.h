/* agreements.h — the store's side of affiliation agreements between a host
 * and a school (domain/agreements.h): the rows, their moves (each guarded by
 * the state it leaves, so that two instances never both make one), and the
 * active agreements that let a school's students take a host's blocks. */
#ifndef ROUNDS_STORE_AGREEMENTS_H
#define ROUNDS_STORE_AGREEMENTS_H

#include "store/store.h"

struct store_agreement {
    const char *id, *host_id, *school_id, *start_date, *end_date, *status, *proposed_side, *proposed_by;
    const char *activated_by, *terminated_by, *termination_reason;
    const char *file_address; /* the signed PDF (store/blobs.h), NULL before activation */
    int64_t file_bytes, activated_at, terminated_at, reminders, created_at, updated_at;
    /* Joined for reading. */
    const char *host_name, *school_name, *proposed_by_name;
};

/* An active agreement as eligibility reads it: the host and the days covered. */
struct store_affiliation {
    const char *host_id, *start_date, *end_date;
};

/* Reminder bits of agreements.reminders. */
enum { AGREEMENT_REMINDED_60 = 1, AGREEMENT_REMINDED_30 = 2 };

int store_agreement_insert(struct db_conn *conn, const struct store_agreement *a);
/* DB_ROW / DB_DONE, with the joined names. */
int store_agreement_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_agreement *out);
/* The agreements where the organisation is host or school (NULL: every
 * agreement), newest first, at most limit. */
int store_agreements_list(struct db_conn *conn, struct arena *arena, const char *organization_id, int limit,
                          struct store_agreement **out, size_t *count);
/* The same a page at a time: those of the filter's organisation (NULL:
 * every agreement) after (after_created_at, after_id) — from the newest when
 * after_id is NULL — newest first, at most limit. */
struct store_agreements_filter {
    const char *organization_id;
    int64_t after_created_at;
    const char *after_id;
    int limit;
};
int store_agreements_page(struct db_conn *conn, struct arena *arena, const struct store_agreements_filter *f,
                          struct store_agreement **out, size_t *count);
/* proposed → active with the signed file: DB_OK, DB_DONE when it is not proposed any more. */
int store_agreement_activate(struct db_conn *conn, const char *id, const char *user_id, const char *file_address,
                             int64_t file_bytes, int64_t now);
/* proposed or active → terminated with the reason: DB_OK, DB_DONE when it is neither. */
int store_agreement_terminate(struct db_conn *conn, const char *id, const char *user_id, const char *reason,
                              int64_t now);
/* The active agreements whose end date is before `today` (at most limit). */
int store_agreements_past_end(struct db_conn *conn, struct arena *arena, const char *today, int limit,
                              struct store_agreement **out, size_t *count);
/* active → expired: DB_OK, DB_DONE when another instance did it first (or it moved). */
int store_agreement_expire(struct db_conn *conn, const char *id, int64_t now);
/* The active agreements ending from `from` to `through` (inclusive), at most limit. */
int store_agreements_ending(struct db_conn *conn, struct arena *arena, const char *from, const char *through,
                            int limit, struct store_agreement **out, size_t *count);
/* Sets the reminder bits: DB_OK when this call set one, DB_DONE when all were set (sent) already. */
int store_agreement_claim_reminder(struct db_conn *conn, const char *id, int64_t bit);
/* The active agreements of the schools the student is actively linked to. */
int store_student_affiliations(struct db_conn *conn, struct arena *arena, const char *student_id,
                               struct store_affiliation **out, size_t *count);

#endif
