/* invitations.c — preceptor invitations: the links that let an account
 * holder link their own account to a preceptor record (tokens stored hashed);
 * see store.h. */
#include "store/store.h"
#include "store/util.h"

int store_preceptor_invitation_insert(struct db_conn *conn, const struct store_preceptor_invitation *inv,
                                      const char *token_hash)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO preceptor_invitations (id, token_hash, preceptor_id, invited_by,"
                                          " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_text(st, 1, inv->id);
    db_bind_text(st, 2, token_hash);
    db_bind_text(st, 3, inv->preceptor_id);
    db_bind_text(st, 4, inv->invited_by);
    db_bind_int(st, 5, inv->created_at);
    db_bind_int(st, 6, inv->expires_at);
    return store_run(st);
}

int store_preceptor_invitations_since(struct db_conn *conn, const char *preceptor_id, int64_t since,
                                      int64_t *count)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT COUNT(*) FROM preceptor_invitations WHERE preceptor_id = $1 AND created_at > $2");
    db_bind_text(st, 1, preceptor_id);
    db_bind_int(st, 2, since);
    return store_one_int(st, count);
}

int store_preceptor_invitation_by_token(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                        struct store_preceptor_invitation *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id, preceptor_id, invited_by, used_by, created_at, expires_at,"
                                          " COALESCE(used_at, 0) FROM preceptor_invitations WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = store_column_dup(arena, st, 0);
        out->preceptor_id = store_column_dup(arena, st, 1);
        out->invited_by = store_column_dup(arena, st, 2);
        out->used_by = store_column_dup(arena, st, 3);
        out->created_at = db_column_int(st, 4);
        out->expires_at = db_column_int(st, 5);
        out->used_at = db_column_int(st, 6);
        if (out->id == NULL || out->preceptor_id == NULL)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

int store_preceptor_invitation_use(struct db_conn *conn, const char *id, const char *user_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE preceptor_invitations SET used_at = $3, used_by = $2"
                                          " WHERE id = $1 AND used_at IS NULL");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    return store_change_any(st);
}

int store_preceptor_link(struct db_conn *conn, const char *preceptor_id, const char *user_id)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE preceptors SET user_id = $2 WHERE id = $1 AND user_id IS NULL");
    db_bind_text(st, 1, preceptor_id);
    db_bind_text(st, 2, user_id);
    return store_change_any(st);
}
