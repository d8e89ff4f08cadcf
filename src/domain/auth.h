/* auth.h — registration and login, shared by the API and the pages.
 *
 * Both have a slow middle (Argon2id) that runs on a worker thread: the
 * handler calls *_begin on its loop, hands the job to http_offload_start with
 * *_work, and calls *_finish from the completion. Jobs are heap memory that
 * the HTTP layer wipes and frees. */
#ifndef ROUNDS_DOMAIN_AUTH_H
#define ROUNDS_DOMAIN_AUTH_H

#include <stdbool.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "lib/limits.h"
#include "store/store.h"

/* Failed logins count for LOGIN_WINDOW_SECONDS (lib/limits.h). The first
 * LOGIN_FREE_FAILURES of an account from one client address cost nothing;
 * after them each next attempt from that address must wait 1, 2, 4 …
 * seconds (at most LOGIN_MAX_DELAY_SECONDS) after the last failure (OWASP
 * ASVS 2.2.1).
 *
 * Failures (per LOGIN_WINDOW_SECONDS) after which login answers 429. An
 * account is locked only for the address its failures come from, so that
 * guessing from one address cannot lock its owner out elsewhere; the much
 * higher per-account ceiling stops guessing spread over many addresses. */
struct auth_login_limits {
    int per_account_client; /* one account from one client address (10) */
    int per_account;        /* one account from every address together (100) */
    int per_client;         /* one client address for every account together (100) */
};

/* Who registers: the client address and its limit per REGISTER_WINDOW_SECONDS;
 * NULL (staff, the CLI) has no limit. */
struct auth_register_client {
    const char *addr;
    int per_hour;
};

struct auth_register_job {
    int64_t retry_after;    /* seconds, when begin refused the registration (429) */
    char email[256];
    char name[512];
    char password[520];
    enum role role;
    char organization_id[64];
    char password_hash[128];
    struct error err;       /* set by the work when the password is refused */
    bool refused;
};

struct auth_login_job {
    int64_t retry_after;    /* seconds, when begin refused the attempt (429) */
    char email[256];
    char password[520];
    char stored_hash[128];  /* the user's hash, or a decoy when there is no such user */
    bool user_found;
    bool verified;
    bool needs_rehash;
    char new_hash[128];
};

/* Registration: fills the job from the request's fields (cheap checks only).
 * With a client, refuses (ERR_RATE_LIMITED, job->retry_after set) when that
 * address has registered per_hour times in the last hour, and otherwise
 * counts this registration (in the database, for every instance). */
int auth_register_begin(struct db_conn *conn, struct arena *arena, const char *email, const char *name,
                        const char *password, enum role role, const char *organization_id,
                        const struct auth_register_client *client, struct auth_register_job *job,
                        struct error *err);
void auth_register_work(void *job);
/* Creates the user (DB_OK, *user filled) or reports why not. */
int auth_register_finish(struct db_conn *conn, struct arena *arena, const struct auth_register_job *job,
                         struct store_user *user, struct error *err);

/* Login: refuses early (ERR_RATE_LIMITED, job->retry_after set) when the
 * failures are over a limit or the attempt comes before its delay is over;
 * otherwise counts the attempt as a failure before the slow check (so that a
 * burst of parallel attempts is counted), which a success then forgets. */
int auth_login_begin(struct db_conn *conn, struct arena *arena, const char *email, const char *password,
                     const char *client_addr, const struct auth_login_limits *limits, struct auth_login_job *job,
                     struct error *err);
void auth_login_work(void *job);
/* Records the outcome; 0 with *user filled when the login succeeded. */
int auth_login_finish(struct db_conn *conn, struct arena *arena, const struct auth_login_job *job,
                      const char *client_addr, struct store_user *user, struct error *err);

/* Synchronous registration for the CLI (hashes on the calling thread). */
int auth_create_user(struct db_conn *conn, struct arena *arena, const char *email, const char *name,
                     const char *password, enum role role, const char *organization_id, struct store_user *user,
                     struct error *err);

#endif
