/* session_batch.c — the sessions of several tokens with their users, roles
 * and memberships in one query (see store_session_find_user in users.c for
 * the shape of the rows: the same chain of joins, the same order, with the
 * token hash first in the order so that each token's rows come together).
 * The list of tokens is a fixed list of parameters, unused ones NULL, so the
 * statement is prepared once; PostgreSQL reads it in a shape of its own that
 * answers the same rows (session_batch_pg_sql).
 *
 * Sent without waiting (PostgreSQL: a loop's session reader), the query also
 * gives the snapshot it read under, and the sessions it found are kept with
 * it in the reader's memo (store/session_memo.c). A batch whose tokens are
 * all kept then asks PostgreSQL for its current snapshot alone (about 6 µs
 * of the backend's time against 26–45 µs for the query of 1–8 tokens); when
 * it is the one the sessions were kept under, they are given from the memo,
 * else the memo is forgotten and the query sent after all.
 *
 * Why that is exact. pg_current_snapshot() gives the statement's own MVCC
 * snapshot (the one its scans read under; a stable function, evaluated in
 * the same statement): xmin, xmax, and the top-level transactions running
 * below xmax (xip). What a snapshot sees of a row depends on nothing else:
 * a transaction is visible when it is below xmax, not in xip, and committed;
 * every transaction below xmax and not in xip had ended when the snapshot
 * was taken, and how it ended (commit or abort) never changes. So two
 * snapshots with the same xmin:xmax:xip see the same committed transactions,
 * hence the same rows of every table, and the query would give again what it
 * gave. Any commit in between, by any connection of any instance, changes
 * the text: a transaction running under the first (in xip) is no longer in
 * the list, and one that started after it raises xmax (latestCompletedXid
 * moves past it) — so a sign-out or a role change that has returned is seen
 * by the next request. Transactions without a transaction id (reads) change
 * nothing, which is why the snapshot stays the same under a read-only load.
 * Subtransactions are not listed, but are seen as their top-level
 * transaction is, which is (a parent gets its id before its children). The
 * ids are 64-bit (with their epoch): they never come round. Exceptions, kept
 * out: a standby (in recovery its snapshots list no running transaction: the
 * statements then give NULL, and nothing is kept), another server after a
 * reconnect (the reader forgets its memo, store_session_memo_forget), and
 * the idle and absolute expiry, which depend on the time, not the data: a
 * kept session is checked against each batch's bounds, as the WHERE does.
 * The memo holds sessions found only; a token not found is asked again.
 *
 * When the database changes faster than batches go, a check would mostly
 * find the memo out of date and cost a round trip more: checks are sent only
 * while the memo is confirmed, i.e. the last statement to give a snapshot
 * gave the one the memo holds (after a change, two queries, then checks). */
#include <string.h>

#include "store/session_batch.h"
#include "store/session_memo.h"
#include "store/util.h"

/* Parameters $1…$16 are the token hashes, $17 and $18 the time limits. */
_Static_assert(STORE_SESSION_BATCH_MAX == 16, "the IN list of session_batch_sql has 16 parameters");
static const char session_batch_sql[] =
    "SELECT " STORE_SESSION_COLUMNS ", s.token_hash" STORE_SESSION_JOINS
    " WHERE s.token_hash IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    " AND s.last_seen_at > $17 AND s.created_at > $18"
    " ORDER BY 26, " STORE_SESSION_ORDER;

/* The same rows on PostgreSQL, each token's chain of joins planned apart as
 * lookups by key (OFFSET 0 keeps the subquery from being merged into one
 * join). Planned as one join, the 16 tokens made a seq scan of sessions look
 * cheaper than 16 lookups whenever the table's statistics were taken while it
 * was small, as right after many logins (0.4–1 ms at 2,000 sessions instead of
 * 0.05–0.2). A fixed shape, so that no planner setting of the pool's
 * connections changes (the session readers' connections set theirs). */
#define SESSION_BATCH_PG_FROM                                                                                        \
    " FROM unnest(ARRAY[$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16]::text[])"            \
    " AS t (hash) CROSS JOIN LATERAL (SELECT " STORE_SESSION_COLUMNS ", s.token_hash" STORE_SESSION_JOINS           \
    " WHERE s.token_hash = t.hash AND s.last_seen_at > $17 AND s.created_at > $18 OFFSET 0) x"                      \
    " ORDER BY 26, " STORE_SESSION_ORDER
static const char session_batch_pg_sql[] = "SELECT x.*" SESSION_BATCH_PG_FROM;

/* The snapshot a statement reads under, NULL on a standby (see above). */
#define SNAPSHOT_OR_NULL "CASE WHEN pg_is_in_recovery() THEN NULL ELSE CAST(pg_current_snapshot() AS text) END"

/* The same query with its snapshot (PostgreSQL; evaluated once, as an
 * InitPlan), sent without waiting. */
static const char session_batch_snapshot_sql[] = "SELECT x.*, (SELECT " SNAPSHOT_OR_NULL ")" SESSION_BATCH_PG_FROM;

/* The check of the memo: the snapshot alone. */
static const char snapshot_sql[] = "SELECT " SNAPSHOT_OR_NULL;

enum { COLUMN_TOKEN_HASH = 25, COLUMN_SNAPSHOT = 26 };

/* The batch statement with up to STORE_SESSION_BATCH_MAX lookups bound
 * (each distinct hash once, the unused places NULL). */
static struct db_stmt *bind_chunk(struct db_conn *conn, const char *sql, const struct store_session_lookup *lookups,
                                  size_t count, int64_t idle_after, int64_t created_after)
{
    struct db_stmt *st = db_prepare(conn, sql);
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

/* Steps the batch statement's rows into the lookups, and resets it. With a
 * memo, the statement gives its snapshot, and the sessions found are kept. */
static int read_chunk(struct db_stmt *st, struct store_session_memo *memo, struct store_session_lookup *lookups,
                      size_t count)
{
    struct store_session_rows states[STORE_SESSION_BATCH_MAX] = {0};
    bool first = true;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (memo != NULL && first)
            store_session_memo_set_snapshot(memo, db_column_text(st, COLUMN_SNAPSHOT));
        first = false;
        const char *hash = db_column_text(st, COLUMN_TOKEN_HASH);
        for (size_t i = 0; i < count && hash != NULL; i++)
            if (strcmp(lookups[i].token_hash, hash) == 0)
                store_session_read_row(&states[i], lookups[i].arena, st, &lookups[i].session, lookups[i].user);
    }
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    for (size_t i = 0; i < count; i++) {
        lookups[i].rc = states[i].rows > 0 ? DB_ROW : DB_DONE;
        if (memo != NULL && lookups[i].rc == DB_ROW)
            store_session_memo_keep(memo, lookups[i].token_hash, &lookups[i].session, lookups[i].user);
    }
    return DB_OK;
}

/* The memo's answer to its check (stepped and reset): true with every
 * lookup answered from it when the snapshot is still the same; else false,
 * the memo forgotten (and no lookup touched). */
static bool read_check(struct db_stmt *st, struct store_session_memo *memo, struct store_session_lookup *lookups,
                       size_t count, int *rc)
{
    *rc = db_step(st);
    bool same = *rc == DB_ROW && store_session_memo_under(memo, db_column_text(st, 0));
    if (*rc == DB_ROW)
        *rc = db_step(st);
    db_reset(st);
    if (*rc != DB_DONE)
        return false;
    *rc = DB_OK;
    if (!same) {
        store_session_memo_forget(memo);
        return false;
    }
    for (size_t i = 0; i < count && *rc == DB_OK; i++) {
        lookups[i].rc = store_session_memo_give(memo, lookups[i].token_hash, lookups[i].arena, memo->idle_after,
                                                memo->created_after, &lookups[i].session, lookups[i].user);
        if (lookups[i].rc != DB_ROW && lookups[i].rc != DB_DONE)
            *rc = lookups[i].rc;
    }
    return *rc == DB_OK;
}

/* Whether a check may answer these lookups: every token kept, and the memo
 * confirmed (see above). */
static bool memo_answers(const struct store_session_memo *memo, const struct store_session_lookup *lookups,
                         size_t count)
{
    if (memo == NULL || !memo->confirmed)
        return false;
    for (size_t i = 0; i < count; i++)
        if (!store_session_memo_has(memo, lookups[i].token_hash))
            return false;
    return true;
}

int store_session_find_users_send(struct db_conn *conn, struct store_session_memo *memo,
                                  const struct store_session_lookup *lookups, size_t count, int64_t idle_after,
                                  int64_t created_after, struct db_stmt **sent)
{
    *sent = NULL;
    if (db_driver_of(conn)->send == NULL)
        return DB_UNSUPPORTED;
    if (count == 0 || count > STORE_SESSION_BATCH_MAX)
        return DB_ERROR;
    bool checking = memo_answers(memo, lookups, count);
    struct db_stmt *st = checking ? db_prepare(conn, snapshot_sql)
                                  : bind_chunk(conn, session_batch_snapshot_sql, lookups, count, idle_after,
                                               created_after);
    int rc = db_send(st);
    if (rc != DB_OK) {
        db_reset(st);
        return rc;
    }
    if (memo != NULL) {
        memo->checking = checking;
        memo->idle_after = idle_after;
        memo->created_after = created_after;
    }
    *sent = st;
    return DB_OK;
}

int store_session_find_users_receive(struct db_stmt *sent, struct store_session_memo *memo,
                                     struct store_session_lookup *lookups, size_t count, bool *answered)
{
    int rc;
    *answered = true;
    if (memo != NULL && memo->checking) {
        memo->checking = false;
        *answered = read_check(sent, memo, lookups, count, &rc);
        return rc;
    }
    return read_chunk(sent, memo, lookups, count);
}

int store_session_find_users(struct db_conn *conn, struct store_session_lookup *lookups, size_t count,
                             int64_t idle_after, int64_t created_after)
{
    const char *batch_sql = strcmp(db_backend_name(conn), "postgres") == 0 ? session_batch_pg_sql : session_batch_sql;
    for (size_t start = 0; start < count; start += STORE_SESSION_BATCH_MAX) {
        size_t n = count - start < STORE_SESSION_BATCH_MAX ? count - start : STORE_SESSION_BATCH_MAX;
        int rc = read_chunk(bind_chunk(conn, batch_sql, lookups + start, n, idle_after, created_after), NULL,
                            lookups + start, n);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}
