/* sessions.c — server-side sessions (by token hash), login-failure counts,
 * the events of the volume limits and password-reset links with their
 * request counts, all in the database so that every instance shares them. */
#include "store/store.h"

#include <string.h>

#include "store/util.h"

int store_session_insert(struct db_conn *conn, const char *token_hash, const char *user_id, const char *csrf_token,
                         int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at)"
                                          " VALUES ($1, $2, $3, $4, $4)");
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, user_id);
    db_bind_text(st, 3, csrf_token);
    db_bind_int(st, 4, now);
    return store_run(st);
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
    return store_run(st);
}

int store_session_delete(struct db_conn *conn, const char *token_hash)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM sessions WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    return store_run(st);
}

int store_session_prune(struct db_conn *conn, int64_t idle_before, int64_t created_before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2");
    db_bind_int(st, 1, idle_before);
    db_bind_int(st, 2, created_before);
    return store_run(st);
}

int store_login_failure_add(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO login_failures (account_key, client_addr, at) VALUES ($1, $2, $3)");
    db_bind_text(st, 1, account_key);
    db_bind_text(st, 2, client_addr);
    db_bind_int(st, 3, now);
    return store_run(st);
}

int store_login_failure_counts(struct db_conn *conn, const char *account_key, const char *client_addr, int64_t since,
                               struct store_login_failures *out)
{
    /* One round trip; the pair's rows are found through the account's index
     * (few: the account's ceiling bounds them). */
    struct db_stmt *st = db_prepare(
        conn, "SELECT (SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND client_addr = $2 AND at > $3),"
              " (SELECT COALESCE(MIN(at), 0) FROM login_failures WHERE account_key = $1 AND client_addr = $2"
              " AND at > $3),"
              " (SELECT COALESCE(MAX(at), 0) FROM login_failures WHERE account_key = $1 AND client_addr = $2"
              " AND at > $3),"
              " (SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND at > $3),"
              " (SELECT COUNT(*) FROM login_failures WHERE client_addr = $2 AND at > $3)");
    db_bind_text(st, 1, account_key);
    db_bind_text(st, 2, client_addr);
    db_bind_int(st, 3, since);
    int rc = db_step(st);
    memset(out, 0, sizeof(*out));
    if (rc == DB_ROW) {
        out->pair = db_column_int(st, 0);
        out->pair_first_at = db_column_int(st, 1);
        out->pair_last_at = db_column_int(st, 2);
        out->account = db_column_int(st, 3);
        out->client = db_column_int(st, 4);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_login_failure_clear(struct db_conn *conn, const char *account_key, const char *client_addr)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM login_failures WHERE account_key = $1 AND client_addr = $2");
    db_bind_text(st, 1, account_key);
    db_bind_text(st, 2, client_addr);
    return store_run(st);
}

int store_login_failure_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM login_failures WHERE at < $1");
    db_bind_int(st, 1, before);
    return store_run(st);
}

int store_rate_events_count(struct db_conn *conn, const char *bucket, int64_t since, int64_t *count,
                            int64_t *first_at)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM rate_events WHERE bucket = $1 AND at > $2");
    db_bind_text(st, 1, bucket);
    db_bind_int(st, 2, since);
    return store_two_ints(st, count, first_at);
}

int store_rate_event_add(struct db_conn *conn, const char *bucket, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO rate_events (bucket, at) VALUES ($1, $2)");
    db_bind_text(st, 1, bucket);
    db_bind_int(st, 2, now);
    return store_run(st);
}

int store_rate_events_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM rate_events WHERE at < $1");
    db_bind_int(st, 1, before);
    return store_run(st);
}

int store_sessions_delete_user(struct db_conn *conn, const char *user_id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM sessions WHERE user_id = $1");
    db_bind_text(st, 1, user_id);
    return store_run(st);
}

/* ---- password resets ---- */

int store_password_reset_request_add(struct db_conn *conn, const char *account_key, const char *client_addr,
                                     int64_t now)
{
    struct db_stmt *st = db_prepare(
        conn, "INSERT INTO password_reset_requests (account_key, client_addr, at) VALUES ($1, $2, $3)");
    db_bind_text(st, 1, account_key);
    db_bind_text(st, 2, client_addr);
    db_bind_int(st, 3, now);
    return store_run(st);
}

int store_password_reset_request_counts(struct db_conn *conn, const char *account_key, const char *client_addr,
                                        int64_t since, int64_t *account, int64_t *client)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT (SELECT COUNT(*) FROM password_reset_requests WHERE account_key = $1 AND at > $3),"
              " (SELECT COUNT(*) FROM password_reset_requests WHERE client_addr = $2 AND at > $3)");
    db_bind_text(st, 1, account_key);
    db_bind_text(st, 2, client_addr);
    db_bind_int(st, 3, since);
    return store_two_ints(st, account, client);
}

int store_password_reset_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM password_reset_requests WHERE at < $1");
    db_bind_int(st, 1, before);
    int rc = store_run(st);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "DELETE FROM password_resets WHERE expires_at < $1");
    db_bind_int(st, 1, before);
    return store_run(st);
}
