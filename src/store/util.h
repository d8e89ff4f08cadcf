/* util.h — small helpers shared by the files of src/store/ (not by callers
 * of the store). */
#ifndef ROUNDS_STORE_UTIL_H
#define ROUNDS_STORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"
#include "store/store.h"

/* A column's text copied into the arena, or NULL for SQL NULL. */
const char *store_column_dup(struct arena *arena, struct db_stmt *st, int column);
/* Steps a statement that returns no rows and resets it: DB_OK on success. */
int store_run(struct db_stmt *st);
/* Runs a bound write meant to change one row (an UPDATE or DELETE by key, a
 * compare-and-set, an INSERT … ON CONFLICT DO NOTHING), then resets it:
 * DB_OK when it changed exactly one row, DB_DONE when it changed none (the
 * row is not there, or no longer as expected) or, against its purpose, more;
 * else the step's error. */
int store_change_one(struct db_stmt *st);
/* The same for a write that may change several rows: DB_OK when it changed
 * any, DB_DONE when none. */
int store_change_any(struct db_stmt *st);
/* Steps a bound statement that answers one row of integers (a count, a sum,
 * an id, a position) and resets it. DB_OK with *out set to column 0 of the
 * row (0 for SQL NULL); without a row DB_DONE, or the step's error, and *out
 * is 0. Rows past the first are not read. */
int store_one_int(struct db_stmt *st, int64_t *out);
/* The same for a statement that always answers a row (an aggregate without
 * GROUP BY, INSERT ... RETURNING): no row is DB_ERROR. */
int store_one_int_required(struct db_stmt *st, int64_t *out);
/* store_one_int with columns 0 and 1 (both 0 without a row). */
int store_two_ints(struct db_stmt *st, int64_t *first, int64_t *second);
/* store_one_int for a COUNT: *any says whether column 0 is above zero
 * (false without a row). */
int store_count_any(struct db_stmt *st, bool *any);
/* Appends one zeroed element of size to an arena-backed growing array. */
void *store_push(struct arena *arena, void **items, size_t *count, size_t *capacity, size_t size);
/* Reads the statement's current row into item, one element of the caller's
 * array (zeroed), its texts copied into the arena. */
typedef void store_read_row_fn(struct arena *arena, struct db_stmt *st, void *item);
/* Steps a bound statement to its end, reading each row in order with
 * read_row into a new element of size bytes appended to an array in the
 * arena, then resets it: DB_OK with *items and *count; else the step's error,
 * or DB_ERROR when memory runs out. How many rows come is the statement's
 * own LIMIT. items is the address of the caller's typed pointer, cast as for
 * store_push. */
int store_read_rows(struct arena *arena, struct db_stmt *st, store_read_row_fn *read_row, size_t size, void **items,
                    size_t *count);
/* Steps a bound statement that looks up one row (by key) and resets it:
 * DB_ROW with item (size bytes) zeroed and read with read_row, DB_DONE
 * without a row (item untouched), else the step's error. Rows past the first
 * are not read. */
int store_read_one(struct arena *arena, struct db_stmt *st, store_read_row_fn *read_row, size_t size, void *item);
/* store_read_rows for a statement whose column 0 is an id: every row's id. */
int store_read_ids(struct arena *arena, struct db_stmt *st, const char ***ids, size_t *count);

/* The columns of an organisation that store_read_organization reads (a
 * store_read_row_fn filling a struct store_organization). */
#define STORE_ORGANIZATION_COLUMNS "id, name, kind, created_at"
void store_read_organization(struct arena *arena, struct db_stmt *st, void *item);

/* ---- session reads (users.c, session_batch.c) ----
 * The columns and joins of a session read: the user (no password hash), the
 * session, then one row per role × membership (r.role is column 19, m.role,
 * m.organization_id, o.name, o.kind columns 20–23), then the user's time
 * zone (column 24, read with the user so that GET /api/v1/me costs nothing
 * more). Ordered by role, then membership, a session's rows list every
 * membership under its first role. */
#define STORE_SESSION_COLUMNS                                                                             \
    "u.id, u.email, u.name, NULL AS password_hash, u.created_at, u.school, u.country, u.status,"          \
    " u.graduation_year, u.visa_kind, u.step1, u.step2ck_score, u.ecfmg_status, u.english_proof,"         \
    " u.email_confirmed_at, s.csrf_token, s.created_at, s.last_seen_at, s.enrol_second_factor,"           \
    " r.role, m.role, m.organization_id, o.name, o.kind, u.time_zone"
#define STORE_SESSION_TIME_ZONE_COLUMN 24
#define STORE_SESSION_JOINS                                                                               \
    " FROM sessions s JOIN users u ON u.id = s.user_id"                                                   \
    " LEFT JOIN user_roles r ON r.user_id = u.id"                                                         \
    " LEFT JOIN memberships m ON m.user_id = u.id"                                                        \
    " LEFT JOIN organizations o ON o.id = m.organization_id" /* a membership's organisation exists (FK) */
#define STORE_SESSION_ORDER "20, 22, 23, 21"

/* Where the reading of one session's rows stands. */
struct store_session_rows {
    int rows;
    const char *first_role; /* r.role of its first row: its rows list every membership */
};

/* Reads one row of a session: the user and session from the first, then a
 * role on each change of role, and the memberships off the first role's rows. */
void store_session_read_row(struct store_session_rows *state, struct arena *arena, struct db_stmt *st,
                            struct store_session *session, struct store_user *user);

#endif
