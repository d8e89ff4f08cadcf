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

enum { STORE_MAX_ROLES = 6, STORE_MAX_MEMBERSHIPS = 16 };

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
    int64_t email_confirmed_at; /* 0: the address is not confirmed yet */
    struct store_profile profile;
    const char *time_zone; /* a tz database name, NULL: not chosen (pages write UTC) */
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
/* Inside a write transaction: holds the user's row until it ends, so that
 * checks counting the user's things (the volume limits) and the writes that
 * follow run one at a time per user on PostgreSQL too (SQLite's write
 * transactions are one at a time anyway). DB_OK, or DB_DONE for no such user. */
int store_user_lock(struct db_conn *conn, const char *id);
int store_user_set_password_hash(struct db_conn *conn, const char *user_id, const char *password_hash);
int store_user_set_profile(struct db_conn *conn, const char *user_id, const struct store_profile *profile);
/* The user's time zone (NULL: none); the caller checked that it exists
 * (tz_exists). DB_CONSTRAINT for a name the table refuses. */
int store_user_set_time_zone(struct db_conn *conn, const char *user_id, const char *time_zone);
int store_membership_insert(struct db_conn *conn, const char *user_id, const char *organization_id, const char *role);
/* Gives the user a role (nothing when they have it already). */
int store_user_add_role(struct db_conn *conn, const char *user_id, const char *role);

/* ---- organisations ---- */

int store_organization_insert(struct db_conn *conn, const char *id, const char *name, const char *kind, int64_t now);
/* DB_ROW when it exists (kind into *kind_out when not NULL), DB_DONE otherwise. */
int store_organization_kind(struct db_conn *conn, struct arena *arena, const char *id, const char **kind_out);
/* DB_ROW with the organisation's name, or DB_DONE. */
int store_organization_name(struct db_conn *conn, struct arena *arena, const char *id, const char **name_out);

/* ---- sessions ---- */

struct store_session {
    const char *user_id, *csrf_token;
    int64_t created_at, last_seen_at;
    bool enrol_second_factor; /* may only enrol a second factor (store/two_factor.h); set by find_user */
};

int store_session_insert(struct db_conn *conn, const char *token_hash, const char *user_id, const char *csrf_token,
                         int64_t now);
/* DB_ROW with the session when it exists and is neither idle since before
 * idle_after nor created before created_after; DB_DONE otherwise. */
int store_session_find(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t idle_after,
                       int64_t created_after, struct store_session *out);
/* The same, with the session's user (roles and memberships included) in one
 * round trip more: what every authenticated request needs. */
int store_session_find_user(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t idle_after,
                            int64_t created_after, struct store_session *session, struct store_user *user);
int store_session_touch(struct db_conn *conn, const char *token_hash, int64_t now);
int store_session_delete(struct db_conn *conn, const char *token_hash);
/* Removes sessions idle since before idle_before or created before created_before. */
int store_session_prune(struct db_conn *conn, int64_t idle_before, int64_t created_before);

/* ---- login rate limits ---- */

int store_login_failure_add(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t now);
/* Failed logins since `since`: for the account from this address (with the
 * first and last time, 0 when none), for the account from anywhere, and from
 * this address for any account. */
struct store_login_failures {
    int64_t pair, pair_first_at, pair_last_at, account, client;
};
int store_login_failure_counts(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t since,
                               struct store_login_failures *out);
/* Forgets the failures of the account from this address (a login succeeded there). */
int store_login_failure_clear(struct db_conn *conn, const char *account_key, const char *client_addr);
int store_login_failure_prune(struct db_conn *conn, int64_t before);

/* Ends every session of the user (a password reset). */
int store_sessions_delete_user(struct db_conn *conn, const char *user_id);

/* ---- password-reset requests (store/sessions.c) ---- */

/* Single-use emailed links (store/single_use_links.c): a password reset or
 * an email confirmation; only the token's hash is kept. */
enum store_link_kind { STORE_LINK_PASSWORD_RESET, STORE_LINK_EMAIL_CONFIRMATION };
int store_link_insert(struct db_conn *conn, enum store_link_kind kind, const char *token_hash, const char *user_id,
                      int64_t now, int64_t expires_at);
/* DB_ROW with *user_id when the link is unused and expires after now; DB_DONE otherwise. */
int store_link_find(struct db_conn *conn, struct arena *arena, enum store_link_kind kind, const char *token_hash,
                    int64_t now, const char **user_id);
/* Marks the link used, and every other unused link of that kind of the user:
 * DB_OK, or DB_DONE when it was used, expired or is not the user's (nothing changed). */
int store_link_use(struct db_conn *conn, enum store_link_kind kind, const char *token_hash, const char *user_id,
                   int64_t now);
/* Links sent to the user since `since`. */
int store_email_confirmation_count(struct db_conn *conn, const char *user_id, int64_t since, int64_t *count);
/* Marks the user's address confirmed: DB_OK, or DB_DONE when it was already. */
int store_user_confirm_email(struct db_conn *conn, const char *user_id, int64_t now);
/* Whether an account with this (lower-cased) address exists and has not confirmed it. */
int store_email_unconfirmed(struct db_conn *conn, const char *email, bool *unconfirmed);
int store_email_confirmation_prune(struct db_conn *conn, int64_t before);
int store_password_reset_request_add(struct db_conn *conn, const char *account_key, const char *client_addr,
                                     int64_t now);
/* Requests since `since` for the account key (any address) and from the address (any account). */
int store_password_reset_request_counts(struct db_conn *conn, const char *account_key, const char *client_addr,
                                        int64_t since, int64_t *account, int64_t *client);
/* Forgets requests made and links expired before `before`. */
int store_password_reset_prune(struct db_conn *conn, int64_t before);
/* ---- preceptor invitations (store/invitations.c) ---- */

struct store_preceptor_invitation {
    const char *id, *preceptor_id, *invited_by, *used_by;
    int64_t created_at, expires_at, used_at; /* used_at 0 while unused */
};
int store_preceptor_invitation_insert(struct db_conn *conn, const struct store_preceptor_invitation *inv,
                                      const char *token_hash);
/* How many invitations the preceptor was sent since `since`. */
int store_preceptor_invitations_since(struct db_conn *conn, const char *preceptor_id, int64_t since,
                                      int64_t *count);
/* DB_ROW with the invitation a token hash opens, or DB_DONE. */
int store_preceptor_invitation_by_token(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                        struct store_preceptor_invitation *out);
/* Uses the invitation up: DB_OK, or DB_DONE when it was used meanwhile. */
int store_preceptor_invitation_use(struct db_conn *conn, const char *id, const char *user_id, int64_t now);
/* Links the record to the account while it has none: DB_OK, or DB_DONE when
 * it is linked already. */
int store_preceptor_link(struct db_conn *conn, const char *preceptor_id, const char *user_id);

/* ---- volume limits: events counted per bucket ("register:<address>") ---- */

/* The events of a bucket since `since`: how many, and the first one's time (0 when none). */
int store_rate_events_count(struct db_conn *conn, const char *bucket, int64_t since, int64_t *count,
                            int64_t *first_at);
int store_rate_event_add(struct db_conn *conn, const char *bucket, int64_t now);
int store_rate_events_prune(struct db_conn *conn, int64_t before);

/* ---- catalog: sites, preceptors, offerings, blocks (store/catalog.c) ---- */

struct store_organization {
    const char *id, *name, *kind;
    int64_t created_at;
};

/* Organisations (of one kind when kind is not NULL) by id, after the cursor id. */
int store_organizations_list(struct db_conn *conn, struct arena *arena, const char *kind, const char *after_id,
                             int limit, struct store_organization **out, size_t *count);

struct store_site {
    const char *id, *organization_id, *name, *address, *city, *state, *zip, *time_zone;
    int64_t created_at;
};

struct store_preceptor {
    const char *id, *organization_id, *user_id, *name, *email, *npi, *specialty, *license_state, *license_number,
        *license_expires, *board_status;
    bool verified;
    int64_t created_at;
};

struct store_offering {
    const char *id, *organization_id, *site_id, *preceptor_id, *title, *specialty, *kind, *setting;
    int64_t weeks, hours_per_week;
    /* Prices: the price is tuition + the platform fee (application_fee_cents); the
     * deposit is deposit_percent of the price when > 0, else deposit_cents; the
     * balance is due balance_due_days before the start. */
    int64_t tuition_cents, application_fee_cents, deposit_cents, deposit_percent, balance_due_days;
    bool students_allowed, graduates_allowed, step1_required, english_proof_required, lor_customary;
    /* Only students whose school has an active affiliation agreement with the
     * host covering the whole block may apply (domain/agreements.h). */
    bool requires_affiliation;
    int64_t max_years_since_graduation; /* -1: no limit */
    const char *visa_kinds;             /* comma-separated; "" = any */
    const char *description, *first_day; /* first_day: anything else about the first day (free text) */
    /* The first day as fields ("" when not given): where to report, when, whom
     * to ask for, the dress code, parking or transit, what to bring. */
    struct store_first_day {
        const char *address, *time, *ask_for, *dress_code, *transport, *bring;
    } first_day_fields;
    const char *refund_policy; /* JSON {"tiers":[…]} (domain/refunds.h); "" = the default policy */
    const char *requirements, *status;
    int64_t created_at, updated_at;
    /* Joined for reading (ignored on writes). */
    const char *host_name, *site_name, *site_address, *site_city, *site_state, *site_zip, *site_time_zone;
    const char *preceptor_name, *preceptor_specialty, *preceptor_board_status, *preceptor_user_id;
    bool preceptor_verified;
};

struct store_block {
    const char *id, *offering_id, *start_date, *end_date;
    int64_t seats, seats_taken, created_at;
    int64_t seats_reserved; /* held back for a school's match round (read only) */
};

int store_site_insert(struct db_conn *conn, const struct store_site *site);
/* Rewrites name, address, city, state, zip and time zone; the site's offerings
 * go to the change feed with fresh full-text documents. DB_DONE when there is no such site. */
int store_site_update(struct db_conn *conn, struct arena *arena, const struct store_site *site, int64_t now);
/* DB_ROW / DB_DONE. */
int store_site_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_site *out);
/* Sites of the organisations in organization_ids (comma-separated; NULL: all), by id, after the cursor id. */
int store_sites_list(struct db_conn *conn, struct arena *arena, const char *organization_ids, const char *after_id,
                     int limit, struct store_site **out, size_t *count);

/* DB_CONSTRAINT when the NPI is taken. */
int store_preceptor_insert(struct db_conn *conn, const struct store_preceptor *preceptor);
int store_preceptor_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_preceptor *out);
/* DB_ROW with the preceptor registered with this NPI, or DB_DONE. */
int store_preceptor_by_npi(struct db_conn *conn, struct arena *arena, const char *npi, struct store_preceptor *out);
int store_preceptors_list(struct db_conn *conn, struct arena *arena, const char *organization_ids,
                          const char *after_id, int limit, struct store_preceptor **out, size_t *count);
int store_preceptor_set_verified(struct db_conn *conn, const char *id, bool verified, int64_t now);
int store_preceptor_set_license_expires(struct db_conn *conn, const char *id, const char *license_expires);
/* Verified preceptors whose licence expires on or before today (YYYY-MM-DD). */
int store_preceptors_expired(struct db_conn *conn, struct arena *arena, const char *today, const char ***ids,
                             size_t *count);
/* The preceptor records linked to a user account (a preceptor may work at several hosts). */
int store_preceptor_ids_of_user(struct db_conn *conn, struct arena *arena, const char *user_id, const char ***out,
                                size_t *count);

/* Writes every column of the offering (insert, or update by id). Both append
 * to the change feed. */
int store_offering_insert(struct db_conn *conn, const struct store_offering *offering);
int store_offering_update(struct db_conn *conn, const struct store_offering *offering);
/* The offering with its host, site and preceptor joined. DB_ROW / DB_DONE. */
int store_offering_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_offering *out);
/* Offerings of a host (organization_id) or of a preceptor (preceptor_user_id), or all, by id after the cursor. */
int store_offerings_list(struct db_conn *conn, struct arena *arena, const char *organization_id,
                         const char *preceptor_user_id, const char *after_id, int limit,
                         struct store_offering **out, size_t *count);

int store_block_insert(struct db_conn *conn, const struct store_block *block);
/* Changes dates and seats; DB_CONSTRAINT when seats would fall below those taken and reserved. */
int store_block_update(struct db_conn *conn, const struct store_block *block);
int store_block_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_block *out);
/* An offering's blocks by start date. */
int store_blocks_of_offering(struct db_conn *conn, struct arena *arena, const char *offering_id,
                             struct store_block **out, size_t *count);

/* Appends offering_id to the change feed (offering or its blocks changed),
 * or a certificate number (revoked: see catalog_index_on_change). */
int store_catalog_changed(struct db_conn *conn, const char *offering_id, int64_t now);
/* Appends every offering of the host to the change feed (a host-wide requirement changed). */
int store_catalog_host_changed(struct db_conn *conn, const char *organization_id, int64_t now);

/* ---- the search index's view of the catalog ---- */

/* One offering as the in-memory search index keeps it. */
struct store_index_offering {
    const char *id, *title, *specialty, *kind, *host_id, *host_name, *city, *state, *visa_kinds, *status;
    const char *description, *preceptor_name; /* for the full text */
    int64_t weeks, tuition_cents, max_years_since_graduation;
    bool students_allowed, graduates_allowed, step1_required, english_proof_required, preceptor_verified;
    int64_t review_count, review_overall_sum; /* shown (not hidden) verified reviews */
    bool requires_affiliation; /* only for students of a school with an active agreement covering the block */
};

struct store_index_block {
    const char *offering_id, *start_date, *end_date;
    int64_t seats, seats_taken;
};

/* Streams every offering (or only those whose id is in ids when ids != NULL)
 * and their blocks starting on or after today, to the callbacks. Strings are
 * valid only during the callback. Offerings come before their blocks. The
 * whole catalog is read a page at a time, in id order, so that no database
 * result ever holds it all. */
int store_index_load(struct db_conn *conn, const char *const *ids, size_t id_count,
                     const char *today, void (*on_offering)(void *ctx, const struct store_index_offering *o),
                     void (*on_block)(void *ctx, const struct store_index_block *b), void *ctx);
/* The change feed after after_seq in seq order, at most limit rows. */
/* The highest seq of the change feed (0 when empty), for the metrics' index lag. */
int store_catalog_latest_seq(struct db_conn *conn, int64_t *seq);
/* Emails not sent yet and when the oldest of them was queued (0 when none). */
int store_outbox_stats(struct db_conn *conn, int64_t *depth, int64_t *oldest_created_at);
int store_catalog_changes_after(struct db_conn *conn, int64_t after_seq, int limit,
                                void (*on_change)(void *ctx, int64_t seq, const char *offering_id), void *ctx);
/* The highest seq of the change feed (0 when empty). */
int store_catalog_last_seq(struct db_conn *conn, int64_t *seq);

/* ---- bulk catalog writes, for `rounds seed` and benchmarks (store/catalog_bulk.c) ---- */

/* Inserts new offerings and blocks with few statements (many rows per
 * statement on PostgreSQL) and one change-feed row per offering. The caller holds a write transaction; the
 * organisations, sites and preceptors exist; each block belongs to an
 * offering of this call or to an existing one. now stamps the change rows. */
int store_catalog_insert_bulk(struct db_conn *conn, const struct store_offering *offerings, size_t offering_count,
                              const struct store_block *blocks, size_t block_count, int64_t now);
/* Readies a connection for bulk writes of generated rows (bulk = true) or
 * back to normal: on SQLite, without its CHECK constraints and foreign-key
 * lookups — the generator writes each row's parents first, with values from
 * the lists the constraints name, and its test checks both afterwards; with
 * a 32 MiB page cache, no fsync and the WAL checkpointed once at the end
 * rather than every 1,000 pages: a crash of the machine (not of the process)
 * during a bulk session may damage the database, which is why only the
 * generator of demo and benchmark catalogs uses it. Call outside a transaction. */
int store_bulk_session(struct db_conn *conn, bool bulk);
/* How many preceptors have an NPI between from_npi and to_npi (10-digit strings, inclusive). */
int store_preceptor_npi_count(struct db_conn *conn, const char *from_npi, const char *to_npi, int64_t *count);
/* Whether the catalog holds at least one offering. */
int store_catalog_has_offerings(struct db_conn *conn, bool *any);

struct store_catalog_summary {
    int64_t offerings, hosts, states, specialties, kinds; /* hosts and states: of the offerings and their sites */
    int64_t blocks;
};
int store_catalog_summary(struct db_conn *conn, struct store_catalog_summary *out);

#endif
