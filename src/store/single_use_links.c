/* single_use_links.c — the emailed links that work once: a password reset
 * and an email confirmation. Each kind has its own table of the same shape
 * (token_hash, user_id, created_at, expires_at, used_at; only the token's
 * hash is kept); one set of functions serves both, the SQL chosen by kind.
 * The texts are constants: the statement caches key on their address. */
#include "store/store.h"
#include "store/util.h"

struct link_sql {
    const char *insert, *find, *use, *end_others;
};

static const struct link_sql link_sql[] = {
    [STORE_LINK_PASSWORD_RESET] = {"INSERT INTO password_resets (token_hash, user_id, created_at, "
                                   "expires_at) VALUES ($1, $2, $3, $4)",
                                   "SELECT user_id FROM password_resets WHERE token_hash = $1 AND "
                                   "used_at IS NULL AND expires_at > $2",
                                   "UPDATE password_resets SET used_at = $3"
                                   " WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND "
                                   "expires_at > $3",
                                   "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND "
                                   "used_at IS NULL"},
    [STORE_LINK_EMAIL_CONFIRMATION] = {"INSERT INTO email_confirmations (token_hash, user_id, created_at, "
                                       "expires_at) VALUES ($1, $2, $3, $4)",
                                       "SELECT user_id FROM email_confirmations WHERE token_hash = $1 AND "
                                       "used_at IS NULL AND expires_at > $2",
                                       "UPDATE email_confirmations SET used_at = $3"
                                       " WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND "
                                       "expires_at > $3",
                                       "UPDATE email_confirmations SET used_at = $2 WHERE user_id = $1 AND "
                                       "used_at IS NULL"},
};

int store_link_insert(struct db_conn *conn, enum store_link_kind kind, const char *token_hash, const char *user_id,
                      int64_t now, int64_t expires_at)
{
    struct db_stmt *st = db_prepare(conn, link_sql[kind].insert);
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, expires_at);
    return store_run(st);
}

int store_link_find(struct db_conn *conn, struct arena *arena, enum store_link_kind kind, const char *token_hash,
                    int64_t now, const char **user_id)
{
    struct db_stmt *st = db_prepare(conn, link_sql[kind].find);
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

int store_link_use(struct db_conn *conn, enum store_link_kind kind, const char *token_hash, const char *user_id,
                   int64_t now)
{
    struct db_stmt *st = db_prepare(conn, link_sql[kind].use);
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
    /* Every other link of this kind of the user ends with this one. */
    st = db_prepare(conn, link_sql[kind].end_others);
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    return store_run(st);
}
