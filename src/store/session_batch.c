/* session_batch.c — the sessions of several tokens with their users, roles
 * and memberships in one query (see store_session_find_user in users.c for
 * the shape of the rows: the same chain of joins, the same order, with the
 * token hash first in the order so that each token's rows come together).
 * The list of tokens is a fixed list of parameters, unused ones NULL, so the
 * statement is prepared once and reads the same on SQLite and PostgreSQL. */
#include <string.h>

#include "store/session_batch.h"
#include "store/util.h"

/* Parameters $1…$16 are the token hashes, $17 and $18 the time limits. */
_Static_assert(STORE_SESSION_BATCH_MAX == 16, "the IN list of session_batch_sql has 16 parameters");
static const char session_batch_sql[] =
    "SELECT u.id, u.email, u.name, NULL AS password_hash, u.created_at, u.school, u.country, u.status,"
    " u.graduation_year, u.visa_kind, u.step1, u.step2ck_score, u.ecfmg_status, u.english_proof,"
    " u.email_confirmed_at, s.csrf_token, s.created_at, s.last_seen_at, s.enrol_second_factor,"
    " r.role, m.role, m.organization_id, o.name, o.kind, s.token_hash"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " LEFT JOIN user_roles r ON r.user_id = u.id"
    " LEFT JOIN memberships m ON m.user_id = u.id"
    " LEFT JOIN organizations o ON o.id = m.organization_id"
    " WHERE s.token_hash IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    " AND s.last_seen_at > $17 AND s.created_at > $18"
    " ORDER BY 25, 20, 22, 23, 21";

enum { COLUMN_ROLE = 19, COLUMN_TOKEN_HASH = 24 };

/* Where a lookup is while its rows are read. */
struct lookup_state {
    int rows;
    const char *first_role; /* r.role of its first row: its rows list every membership */
};

static void read_first_row(struct store_session_lookup *lookup, struct db_stmt *st)
{
    struct arena *arena = lookup->arena;
    struct store_user *out = lookup->user;
    memset(out, 0, sizeof(*out));
    out->id = store_column_dup(arena, st, 0);
    out->email = store_column_dup(arena, st, 1);
    out->name = store_column_dup(arena, st, 2);
    out->created_at = db_column_int(st, 4);
    out->profile.school = store_column_dup(arena, st, 5);
    out->profile.country = store_column_dup(arena, st, 6);
    out->profile.status = store_column_dup(arena, st, 7);
    out->profile.graduation_year = db_column_is_null(st, 8) ? 0 : db_column_int(st, 8);
    out->profile.visa_kind = store_column_dup(arena, st, 9);
    out->profile.step1 = store_column_dup(arena, st, 10);
    out->profile.step2ck_score = db_column_is_null(st, 11) ? -1 : db_column_int(st, 11);
    out->profile.ecfmg_status = store_column_dup(arena, st, 12);
    out->profile.english_proof = store_column_dup(arena, st, 13);
    out->email_confirmed_at = db_column_is_null(st, 14) ? 0 : db_column_int(st, 14);
    lookup->session.user_id = out->id;
    lookup->session.csrf_token = store_column_dup(arena, st, 15);
    lookup->session.created_at = db_column_int(st, 16);
    lookup->session.last_seen_at = db_column_int(st, 17);
    lookup->session.enrol_second_factor = db_column_int(st, 18) != 0;
}

/* One row of a lookup's token: the user on the first, then a role on each
 * change of role, and the memberships off the first role's rows. */
static void read_row(struct store_session_lookup *lookup, struct lookup_state *state, struct db_stmt *st)
{
    struct arena *arena = lookup->arena;
    struct store_user *user = lookup->user;
    const char *role = db_column_text(st, COLUMN_ROLE);
    if (state->rows++ == 0) {
        read_first_row(lookup, st);
        state->first_role = role != NULL ? store_column_dup(arena, st, COLUMN_ROLE) : NULL;
    }
    bool first_block =
        role == NULL ? state->first_role == NULL : state->first_role != NULL && strcmp(role, state->first_role) == 0;
    if (role != NULL && user->role_count < STORE_MAX_ROLES &&
        (user->role_count == 0 || strcmp(user->roles[user->role_count - 1], role) != 0))
        user->roles[user->role_count++] = store_column_dup(arena, st, COLUMN_ROLE);
    if (first_block && !db_column_is_null(st, 21) && user->membership_count < STORE_MAX_MEMBERSHIPS) {
        struct store_membership *m = &user->memberships[user->membership_count++];
        m->role = store_column_dup(arena, st, 20);
        m->organization_id = store_column_dup(arena, st, 21);
        m->organization_name = store_column_dup(arena, st, 22);
        m->organization_kind = store_column_dup(arena, st, 23);
    }
}

/* Up to STORE_SESSION_BATCH_MAX lookups in one query. */
static int find_chunk(struct db_conn *conn, struct store_session_lookup *lookups, size_t count, int64_t idle_after,
                      int64_t created_after)
{
    struct lookup_state states[STORE_SESSION_BATCH_MAX] = {0};
    struct db_stmt *st = db_prepare(conn, session_batch_sql);
    int bound = 0;
    for (size_t i = 0; i < count; i++) {
        bool repeated = false;
        for (size_t j = 0; j < i && !repeated; j++)
            repeated = strcmp(lookups[j].token_hash, lookups[i].token_hash) == 0;
        if (!repeated)
            db_bind_text(st, ++bound, lookups[i].token_hash);
    }
    while (bound < STORE_SESSION_BATCH_MAX)
        db_bind_null(st, ++bound);
    db_bind_int(st, STORE_SESSION_BATCH_MAX + 1, idle_after);
    db_bind_int(st, STORE_SESSION_BATCH_MAX + 2, created_after);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *hash = db_column_text(st, COLUMN_TOKEN_HASH);
        for (size_t i = 0; i < count && hash != NULL; i++)
            if (strcmp(lookups[i].token_hash, hash) == 0)
                read_row(&lookups[i], &states[i], st);
    }
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    for (size_t i = 0; i < count; i++)
        lookups[i].rc = states[i].rows > 0 ? DB_ROW : DB_DONE;
    return DB_OK;
}

int store_session_find_users(struct db_conn *conn, struct store_session_lookup *lookups, size_t count,
                             int64_t idle_after, int64_t created_after)
{
    for (size_t start = 0; start < count; start += STORE_SESSION_BATCH_MAX) {
        size_t n = count - start < STORE_SESSION_BATCH_MAX ? count - start : STORE_SESSION_BATCH_MAX;
        int rc = find_chunk(conn, lookups + start, n, idle_after, created_after);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}
