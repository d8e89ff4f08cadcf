/* sessions.c — server-side sessions (by token hash) and login-failure counts,
 * both in the database so that every instance shares them. */
#include "store/store.h"

int store_session_insert(struct db_conn *conn, const char *token_hash, const char *user_id, const char *csrf_token,
                         int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at)"
                                          " VALUES ($1, $2, $3, $4, $4)");
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, user_id);
    db_bind_text(st, 3, csrf_token);
    db_bind_int(st, 4, now);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_session_find(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t idle_after,
                       int64_t created_after, struct store_session *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions"
                                          " WHERE token_hash = $1 AND last_seen_at > $2 AND created_at > $3");
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, idle_after);
    db_bind_int(st, 3, created_after);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->user_id = arena_strdup(arena, db_column_text(st, 0));
        out->csrf_token = arena_strdup(arena, db_column_text(st, 1));
        out->created_at = db_column_int(st, 2);
        out->last_seen_at = db_column_int(st, 3);
        if (out->user_id == NULL || out->csrf_token == NULL)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

int store_session_touch(struct db_conn *conn, const char *token_hash, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, now);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_session_delete(struct db_conn *conn, const char *token_hash)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM sessions WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_session_prune(struct db_conn *conn, int64_t idle_before, int64_t created_before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2");
    db_bind_int(st, 1, idle_before);
    db_bind_int(st, 2, created_before);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_login_failure_add(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO login_failures (account_key, client_addr, at) VALUES ($1, $2, $3)");
    db_bind_text(st, 1, account_key);
    db_bind_text(st, 2, client_addr);
    db_bind_int(st, 3, now);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int count_since(struct db_stmt *st, const char *key, int64_t since, int64_t *out)
{
    db_bind_text(st, 1, key);
    db_bind_int(st, 2, since);
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_column_int(st, 0) : 0;
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_login_failure_counts(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t since,
                               int64_t *by_account, int64_t *by_client)
{
    int rc = count_since(db_prepare(conn, "SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND at > $2"),
                         account_key, since, by_account);
    if (rc != DB_OK)
        return rc;
    return count_since(db_prepare(conn, "SELECT COUNT(*) FROM login_failures WHERE client_addr = $1 AND at > $2"),
                       client_addr, since, by_client);
}

int store_login_failure_clear(struct db_conn *conn, const char *account_key)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM login_failures WHERE account_key = $1");
    db_bind_text(st, 1, account_key);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_login_failure_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM login_failures WHERE at < $1");
    db_bind_int(st, 1, before);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}
