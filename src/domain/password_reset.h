/* password_reset.h — "Forgot your password?": a single-use link by email
 * (only the token's hash is stored), good for PASSWORD_RESET_SECONDS; using
 * it sets the new password and ends every session of the account. Asking
 * answers the same whether or not the address has an account; asks are
 * rate-limited per address asked for and per client address. The slow
 * middle (the password rules and Argon2id) runs on a worker thread like
 * registration's (see auth.h). */
#ifndef ROUNDS_DOMAIN_PASSWORD_RESET_H
#define ROUNDS_DOMAIN_PASSWORD_RESET_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "lib/limits.h"
#include "store/db.h"

enum {
    PASSWORD_RESET_SECONDS = 3600,            /* a link works for one hour */
    PASSWORD_RESET_WINDOW_SECONDS = 3600,     /* asks are counted over the last hour */
    PASSWORD_RESET_PER_ADDRESS = 3,           /* asks for one email address in the window */
};

/* Asks for a link for email (sent only when it has an account); per_client:
 * the asks one client address may make in the window. 0, or -1
 * with ERR_VALIDATION_FAILED (not an email address) or ERR_RATE_LIMITED
 * (*retry_after seconds set) — never a sign of whether the account exists. */
int password_reset_request(struct db_conn *conn, struct arena *arena, const char *email, const char *client_addr,
                           int per_client, int64_t *retry_after, struct error *err);

/* Whether token is a link that still works: 0, or -1 with ERR_NOT_FOUND. */
int password_reset_check(struct db_conn *conn, struct arena *arena, const char *token, struct error *err);

struct password_reset_job {
    char token[LINK_TOKEN_MAX_BYTES + 1];
    char user_id[64];
    char email[256];
    char password[520];
    char password_hash[128];
    struct error err;       /* set by the work when the password is refused */
    bool refused;
};

/* Checks the link and the new password's length (cheap), filling job. */
int password_reset_begin(struct db_conn *conn, struct arena *arena, const char *token, const char *password,
                         struct password_reset_job *job, struct error *err);
void password_reset_work(void *job);
/* Uses the link (once), sets the password, ends every session of the
 * account, audits it: 0, or -1 with err (ERR_WEAK_PASSWORD at "password",
 * ERR_NOT_FOUND when the link was used meanwhile). */
int password_reset_finish(struct db_conn *conn, struct arena *arena, const struct password_reset_job *job,
                          struct error *err);

#endif
