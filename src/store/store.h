/* store.h — what the domain and the HTTP layer may ask of the database.
 *
 * Every function takes the calling thread's connection and returns a
 * db_status: DB_OK (or DB_ROW when a row was found / DB_DONE when none was),
 * DB_CONSTRAINT, DB_RETRY or DB_ERROR. Strings in results live in the arena
 * passed in. The SQL behind these functions is written once (the files of src/store/) over
 * the db interface and runs unchanged on SQLite and PostgreSQL. */
#ifndef ROUNDS_STORE_STORE_H
#define ROUNDS_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"

/* ---- migrations ---- */

/* The highest migration number compiled in for this connection's backend. */
int store_schema_latest(struct db_conn *conn);
/* The database's current schema version (0 when empty) into *version. */
int store_schema_version(struct db_conn *conn, int *version);
/* Applies pending migrations under the migration lock. Refuses (DB_ERROR, with
 * *too_new set) a database whose schema is newer than this binary. */
int store_migrate(struct db_conn *conn, bool *too_new);

/* ---- users ---- */

enum { STORE_MAX_ROLES = 5, STORE_MAX_MEMBERSHIPS = 16 };

struct store_profile {
    const char *school, *country, *status, *visa_kind, *step1, *ecfmg_status, *english_proof;
    int64_t graduation_year; /* 0: unknown */
    int64_t step2ck_score;   /* -1: none */
};

struct store_membership {
    const char *organization_id, *organization_name, *organization_kind, *role;
};

struct store_user {
    const char *id, *email, *name, *password_hash;
    int64_t created_at;
    struct store_profile profile;
    const char *roles[STORE_MAX_ROLES];
    size_t role_count;
    struct store_membership memberships[STORE_MAX_MEMBERSHIPS];
    size_t membership_count;
};

/* Inserts the user with its roles (one transaction is the caller's job).
 * DB_CONSTRAINT when the email is taken. */
int store_user_insert(struct db_conn *conn, const struct store_user *user);
/* Finds by lower-cased email / by id: DB_ROW with *out filled (roles and
 * memberships included), DB_DONE when there is none. */
int store_user_by_email(struct db_conn *conn, struct arena *arena, const char *email, struct store_user *out);
int store_user_by_id(struct db_conn *conn, struct arena *arena, const char *id, struct store_user *out);
int store_user_set_password_hash(struct db_conn *conn, const char *user_id, const char *password_hash);
int store_user_set_profile(struct db_conn *conn, const char *user_id, const struct store_profile *profile);
int store_membership_insert(struct db_conn *conn, const char *user_id, const char *organization_id, const char *role);

/* ---- organisations ---- */

int store_organization_insert(struct db_conn *conn, const char *id, const char *name, const char *kind, int64_t now);
/* DB_ROW when it exists (kind into *kind_out when not NULL), DB_DONE otherwise. */
int store_organization_kind(struct db_conn *conn, struct arena *arena, const char *id, const char **kind_out);

/* ---- sessions ---- */

struct store_session {
    const char *user_id, *csrf_token;
    int64_t created_at, last_seen_at;
};

int store_session_insert(struct db_conn *conn, const char *token_hash, const char *user_id, const char *csrf_token,
                         int64_t now);
/* DB_ROW with the session when it exists and is neither idle since before
 * idle_after nor created before created_after; DB_DONE otherwise. */
int store_session_find(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t idle_after,
                       int64_t created_after, struct store_session *out);
int store_session_touch(struct db_conn *conn, const char *token_hash, int64_t now);
int store_session_delete(struct db_conn *conn, const char *token_hash);
/* Removes sessions idle since before idle_before or created before created_before. */
int store_session_prune(struct db_conn *conn, int64_t idle_before, int64_t created_before);

/* ---- login rate limits ---- */

int store_login_failure_add(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t now);
int store_login_failure_counts(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t since,
                               int64_t *by_account, int64_t *by_client);
int store_login_failure_clear(struct db_conn *conn, const char *account_key);
int store_login_failure_prune(struct db_conn *conn, int64_t before);

#endif
