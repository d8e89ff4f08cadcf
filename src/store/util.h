/* util.h — small helpers shared by the files of src/store/ (not by callers
 * of the store). */
#ifndef ROUNDS_STORE_UTIL_H
#define ROUNDS_STORE_UTIL_H

#include <stddef.h>

#include "lib/arena.h"
#include "store/db.h"
#include "store/store.h"

/* A column's text copied into the arena, or NULL for SQL NULL. */
const char *store_column_dup(struct arena *arena, struct db_stmt *st, int column);
/* Steps a statement that returns no rows and resets it: DB_OK on success. */
int store_run(struct db_stmt *st);
/* Appends one zeroed element of size to an arena-backed growing array. */
void *store_push(struct arena *arena, void **items, size_t *count, size_t *capacity, size_t size);

/* ---- session reads (users.c, session_batch.c) ----
 * The columns and joins of a session read: the user (no password hash), the
 * session, then one row per role × membership (r.role is column 19, m.role,
 * m.organization_id, o.name, o.kind columns 20–23). Ordered by role, then
 * membership, a session's rows list every membership under its first role. */
#define STORE_SESSION_COLUMNS                                                                             \
    "u.id, u.email, u.name, NULL AS password_hash, u.created_at, u.school, u.country, u.status,"          \
    " u.graduation_year, u.visa_kind, u.step1, u.step2ck_score, u.ecfmg_status, u.english_proof,"         \
    " u.email_confirmed_at, s.csrf_token, s.created_at, s.last_seen_at, s.enrol_second_factor,"           \
    " r.role, m.role, m.organization_id, o.name, o.kind"
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
