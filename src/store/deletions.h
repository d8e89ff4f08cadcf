/* deletions.h — the store's side of account deletion requests (migration
 * 0028): the requests themselves, what stands in the way of an erasure, and
 * the erasure's statements (run by domain/deletions.c in one transaction). */
#ifndef ROUNDS_STORE_DELETIONS_H
#define ROUNDS_STORE_DELETIONS_H

#include "store/store.h"

struct store_deletion_request {
    const char *id, *user_id, *state, *completed_by;
    int64_t requested_at, due_at, cancelled_at, completed_at; /* 0: not yet */
    /* Joined for staff's list: the person as they are now (a pseudonym once erased). */
    const char *user_name, *user_email;
};

/* What keeps an account from being erased now: counts of seats held and of
 * rotations booked or under way, of refunds still owed to the person and of
 * checkouts still open (a bank transfer on its way). */
struct store_deletion_obstacles {
    int64_t seats, refunds_owed, checkouts_open;
};

/* Inserts a pending request: DB_OK, or DB_CONSTRAINT when one is pending already. */
int store_deletion_request_insert(struct db_conn *conn, const struct store_deletion_request *r);
/* One request by id: DB_ROW / DB_DONE. */
int store_deletion_request_get(struct db_conn *conn, struct arena *arena, const char *id,
                               struct store_deletion_request *out);
/* The person's newest request (any state): DB_ROW / DB_DONE. */
int store_deletion_request_latest(struct db_conn *conn, struct arena *arena, const char *user_id,
                                  struct store_deletion_request *out);
/* Marks the person's pending request cancelled: DB_OK, or DB_DONE when none is pending. */
int store_deletion_request_cancel(struct db_conn *conn, const char *user_id, int64_t now);
/* Claims a pending request as completed (completed_by NULL: the schedule):
 * DB_OK, or DB_DONE when it is no longer pending (another instance won). */
int store_deletion_request_complete(struct db_conn *conn, const char *id, const char *completed_by, int64_t now);
/* Requests in a state ("pending": oldest due first; others newest first), at most limit. */
int store_deletion_requests_list(struct db_conn *conn, struct arena *arena, const char *state, int limit,
                                 struct store_deletion_request **out, size_t *count);
/* The same a page at a time: those after (after_key, after_id) — the key being
 * due_at (pending) or -requested_at (others) — or from the first when
 * after_id is NULL; at most limit. */
int store_deletion_requests_page(struct db_conn *conn, struct arena *arena, const char *state, int64_t after_key,
                                 const char *after_id, int limit, struct store_deletion_request **out, size_t *count);
/* Pending requests due at or before now, oldest first, at most limit. */
int store_deletion_requests_due(struct db_conn *conn, struct arena *arena, int64_t now, int limit,
                                struct store_deletion_request **out, size_t *count);
int store_deletion_obstacles(struct db_conn *conn, const char *user_id, struct store_deletion_obstacles *out);

/* The sealed files of the person's documents and letters (distinct
 * addresses), to remove once the erasure has committed. */
int store_erasure_blobs(struct db_conn *conn, struct arena *arena, const char *user_id, const char ***out,
                        size_t *count);
/* Erases or pseudonymises everything personal of the user (see README
 * "Deleting an account"): the account row (name, email, password hash,
 * profile), sessions and every sign-in secret, the calendar address,
 * documents (rows marked erased), letters (files and links), statements,
 * visa letter details, saved searches, favourites, notifications, unsent
 * mail, and the name and email wherever the audit detail carries them. */
int store_user_erase(struct db_conn *conn, const struct store_user *user, const char *pseudonym_name,
                     const char *pseudonym_email, int64_t now);

#endif
