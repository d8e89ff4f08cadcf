/* two_factor.h — the rows of two-factor sign-in (store/two_factor.c): each
 * account's sealed TOTP secret, its hashed recovery codes, the challenges
 * between a login's password and its code, and the sessions that may only
 * enrol. The domain (domain/two_factor.c) decides; this only reads and writes. */
#ifndef ROUNDS_STORE_TWO_FACTOR_H
#define ROUNDS_STORE_TWO_FACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"

struct store_two_factor {
    const char *secret_sealed;
    int64_t confirmed_at; /* 0 while enrolment waits for the first code */
    int64_t last_step;    /* the newest step accepted */
};

/* DB_ROW with the user's row, DB_DONE when they have none. */
int store_two_factor_get(struct db_conn *conn, struct arena *arena, const char *user_id, struct store_two_factor *out);
/* A new, unconfirmed secret, replacing any unconfirmed one. DB_DONE when a
 * confirmed one exists (nothing changed). */
int store_two_factor_begin(struct db_conn *conn, const char *user_id, const char *secret_sealed, int64_t now);
/* Confirms the waiting secret with the step of its first code. DB_OK, or
 * DB_DONE when there was none waiting. */
int store_two_factor_confirm(struct db_conn *conn, const char *user_id, int64_t step, int64_t now);
/* Records step as used: DB_OK only when it is newer than the last one used
 * (a code counts once, even when two requests race), DB_DONE otherwise. */
int store_two_factor_use_step(struct db_conn *conn, const char *user_id, int64_t step);
/* Removes the secret, the recovery codes and the open challenges. */
int store_two_factor_delete(struct db_conn *conn, const char *user_id);

/* Replaces the user's recovery codes with these hashes (count of them). */
int store_recovery_codes_replace(struct db_conn *conn, const char *user_id, const char *const *hashes, size_t count,
                                 int64_t now);
/* Marks an unused code of the user used: DB_OK, or DB_DONE when there is no such unused code. */
int store_recovery_code_use(struct db_conn *conn, const char *user_id, const char *hash, int64_t now);
/* How many unused codes the user has. */
int store_recovery_codes_left(struct db_conn *conn, const char *user_id, int64_t *left);

int store_login_challenge_insert(struct db_conn *conn, const char *token_hash, const char *user_id, int64_t now,
                                 int64_t expires_at);
/* DB_ROW with the challenge's user and attempts so far when it exists and
 * expires after now; DB_DONE otherwise. */
int store_login_challenge_find(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t now,
                               const char **user_id, int64_t *attempts);
/* One more wrong code. */
int store_login_challenge_attempt(struct db_conn *conn, const char *token_hash);
int store_login_challenge_delete(struct db_conn *conn, const char *token_hash);
/* Forgets challenges that expired before `before`. */
int store_login_challenge_prune(struct db_conn *conn, int64_t before);

/* Marks a session as one that may only enrol. */
int store_session_restrict_to_enrolment(struct db_conn *conn, const char *token_hash);
/* Lifts that from every session of the user (enrolment is done). */
int store_sessions_enrolled(struct db_conn *conn, const char *user_id);

#endif
