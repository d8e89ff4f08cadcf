/* session_batch.c — the sessions of several tokens with their users, roles
 * and memberships in one query (see store_session_find_user in users.c for
 * the shape of the rows: the same chain of joins, the same order, with the
 * token hash first in the order so that each token's rows come together).
 * The list of tokens is a fixed list of parameters, unused ones NULL, so the
 * statement is prepared once; PostgreSQL reads it in a shape of its own that
 * answers the same rows (session_batch_pg_sql). */
#include <string.h>

#include "store/session_batch.h"
#include "store/util.h"

/* Parameters $1…$16 are the token hashes, $17 and $18 the time limits. */
_Static_assert(STORE_SESSION_BATCH_MAX == 16, "the IN list of session_batch_sql has 16 parameters");
static const char session_batch_sql[] =
    "SELECT " STORE_SESSION_COLUMNS ", s.token_hash" STORE_SESSION_JOINS
    " WHERE s.token_hash IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    " AND s.last_seen_at > $17 AND s.created_at > $18"
    " ORDER BY 25, " STORE_SESSION_ORDER;

/* The same rows on PostgreSQL, each token's chain of joins planned apart as
 * lookups by key (OFFSET 0 keeps the subquery from being merged into one
 * join). Planned as one join, the 16 tokens made a seq scan of sessions look
 * cheaper than 16 lookups whenever the table's statistics were taken while it
 * was small, as right after many logins (0.4–1 ms at 2,000 sessions instead of
 * 0.05–0.2). A fixed shape, so that no planner setting of the pool's
 * connections changes (the session readers' connections set theirs). */
static const char session_batch_pg_sql[] =
    "SELECT x.* FROM unnest(ARRAY[$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16]::text[])"
    " AS t (hash) CROSS JOIN LATERAL (SELECT " STORE_SESSION_COLUMNS ", s.token_hash" STORE_SESSION_JOINS
    " WHERE s.token_hash = t.hash AND s.last_seen_at > $17 AND s.created_at > $18 OFFSET 0) x"
    " ORDER BY 25, " STORE_SESSION_ORDER;

enum { COLUMN_TOKEN_HASH = 24 };

/* The batch statement with up to STORE_SESSION_BATCH_MAX lookups bound
 * (each distinct hash once, the unused places NULL). */
static struct db_stmt *bind_chunk(struct db_conn *conn, const struct store_session_lookup *lookups, size_t count,
                                  int64_t idle_after, int64_t created_after)
{
    bool pg = strcmp(db_backend_name(conn), "postgres") == 0;
    struct db_stmt *st = db_prepare(conn, pg ? session_batch_pg_sql : session_batch_sql);
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
    return st;
}

/* Steps the batch statement's rows into the lookups, and resets it. */
static int read_chunk(struct db_stmt *st, struct store_session_lookup *lookups, size_t count)
{
    struct store_session_rows states[STORE_SESSION_BATCH_MAX] = {0};
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *hash = db_column_text(st, COLUMN_TOKEN_HASH);
        for (size_t i = 0; i < count && hash != NULL; i++)
            if (strcmp(lookups[i].token_hash, hash) == 0)
                store_session_read_row(&states[i], lookups[i].arena, st, &lookups[i].session, lookups[i].user);
    }
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    for (size_t i = 0; i < count; i++)
        lookups[i].rc = states[i].rows > 0 ? DB_ROW : DB_DONE;
    return DB_OK;
}

int store_session_find_users_send(struct db_conn *conn, const struct store_session_lookup *lookups, size_t count,
                                  int64_t idle_after, int64_t created_after, struct db_stmt **sent)
{
    *sent = NULL;
    if (count == 0 || count > STORE_SESSION_BATCH_MAX)
        return DB_ERROR;
    struct db_stmt *st = bind_chunk(conn, lookups, count, idle_after, created_after);
    int rc = db_send(st);
    if (rc != DB_OK) {
        db_reset(st);
        return rc;
    }
    *sent = st;
    return DB_OK;
}

int store_session_find_users_receive(struct db_stmt *sent, struct store_session_lookup *lookups, size_t count)
{
    return read_chunk(sent, lookups, count);
}

int store_session_find_users(struct db_conn *conn, struct store_session_lookup *lookups, size_t count,
                             int64_t idle_after, int64_t created_after)
{
    for (size_t start = 0; start < count; start += STORE_SESSION_BATCH_MAX) {
        size_t n = count - start < STORE_SESSION_BATCH_MAX ? count - start : STORE_SESSION_BATCH_MAX;
        int rc = read_chunk(bind_chunk(conn, lookups + start, n, idle_after, created_after), lookups + start, n);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}
