/* email_confirmations.c — the emailed links that confirm an account's
 * address (only the token's hash is kept), and the confirmed mark itself. */
#include "store/store.h"
#include "store/util.h"

int store_email_confirmation_insert(struct db_conn *conn, const char *token_hash, const char *user_id, int64_t now,
                                    int64_t expires_at)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO email_confirmations (token_hash, user_id, created_at, expires_at)"
                                          " VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, expires_at);
    return store_run(st);
}

int store_email_confirmation_find(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t now,
                                  const char **user_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT user_id FROM email_confirmations"
                                          " WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2");
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, now);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *user_id = arena_strdup(arena, db_column_text(st, 0));
        if (*user_id == NULL)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

int store_email_confirmation_use(struct db_conn *conn, const char *token_hash, const char *user_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE email_confirmations SET used_at = $3"
                                          " WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > $3");
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    if (changed == 0)
        return DB_DONE;
    /* The user's other links end with this one. */
    st = db_prepare(conn, "UPDATE email_confirmations SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    return store_run(st);
}

int store_email_confirmation_count(struct db_conn *conn, const char *user_id, int64_t since, int64_t *count)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT COUNT(*) FROM email_confirmations WHERE user_id = $1 AND created_at > $2");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, since);
    int rc = db_step(st);
    *count = rc == DB_ROW ? db_column_int(st, 0) : 0;
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_user_confirm_email(struct db_conn *conn, const char *user_id, int64_t now)
{
    struct db_stmt *st =
        db_prepare(conn, "UPDATE users SET email_confirmed_at = $2 WHERE id = $1 AND email_confirmed_at IS NULL");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    return changed > 0 ? DB_OK : DB_DONE;
}

int store_email_unconfirmed(struct db_conn *conn, const char *email, bool *unconfirmed)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT COUNT(*) FROM users WHERE email = $1 AND email_confirmed_at IS NULL");
    db_bind_text(st, 1, email);
    int rc = db_step(st);
    *unconfirmed = rc == DB_ROW && db_column_int(st, 0) > 0;
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_email_confirmation_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM email_confirmations WHERE expires_at < $1");
    db_bind_int(st, 1, before);
    return store_run(st);
}
