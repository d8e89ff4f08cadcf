/* two_factor.c — two-factor sign-in's rows; see two_factor.h. */
#include "store/two_factor.h"

#include "store/util.h"

int store_two_factor_get(struct db_conn *conn, struct arena *arena, const char *user_id, struct store_two_factor *out)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT secret_sealed, COALESCE(confirmed_at, 0), last_step FROM two_factor WHERE user_id = $1");
    db_bind_text(st, 1, user_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->secret_sealed = store_column_dup(arena, st, 0);
        out->confirmed_at = db_column_int(st, 1);
        out->last_step = db_column_int(st, 2);
        if (out->secret_sealed == NULL)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

int store_two_factor_begin(struct db_conn *conn, const char *user_id, const char *secret_sealed, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM two_factor WHERE user_id = $1 AND confirmed_at IS NULL");
    db_bind_text(st, 1, user_id);
    int rc = store_run(st);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "INSERT INTO two_factor (user_id, secret_sealed, created_at) VALUES ($1, $2, $3)"
                          " ON CONFLICT (user_id) DO NOTHING");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, secret_sealed);
    db_bind_int(st, 3, now);
    return store_change_one(st);
}

int store_two_factor_confirm(struct db_conn *conn, const char *user_id, int64_t step, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE two_factor SET confirmed_at = $2, last_step = $3"
                                          " WHERE user_id = $1 AND confirmed_at IS NULL");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, step);
    return store_change_one(st);
}

int store_two_factor_use_step(struct db_conn *conn, const char *user_id, int64_t step)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE two_factor SET last_step = $2"
                                          " WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, step);
    return store_change_one(st);
}

int store_two_factor_delete(struct db_conn *conn, const char *user_id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM two_factor WHERE user_id = $1");
    db_bind_text(st, 1, user_id);
    int rc = store_run(st);
    if (rc == DB_OK) {
        st = db_prepare(conn, "DELETE FROM recovery_codes WHERE user_id = $1");
        db_bind_text(st, 1, user_id);
        rc = store_run(st);
    }
    if (rc == DB_OK) {
        st = db_prepare(conn, "DELETE FROM login_challenges WHERE user_id = $1");
        db_bind_text(st, 1, user_id);
        rc = store_run(st);
    }
    return rc;
}

int store_recovery_codes_replace(struct db_conn *conn, const char *user_id, const char *const *hashes, size_t count,
                                 int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM recovery_codes WHERE user_id = $1");
    db_bind_text(st, 1, user_id);
    int rc = store_run(st);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        st = db_prepare(conn, "INSERT INTO recovery_codes (code_hash, user_id, created_at) VALUES ($1, $2, $3)");
        db_bind_text(st, 1, hashes[i]);
        db_bind_text(st, 2, user_id);
        db_bind_int(st, 3, now);
        rc = store_run(st);
    }
    return rc;
}

int store_recovery_code_use(struct db_conn *conn, const char *user_id, const char *hash, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE recovery_codes SET used_at = $3"
                                          " WHERE code_hash = $1 AND user_id = $2 AND used_at IS NULL");
    db_bind_text(st, 1, hash);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    return store_change_one(st);
}

int store_recovery_codes_left(struct db_conn *conn, const char *user_id, int64_t *left)
{
    /* serves: recovery_codes_by_user */
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL");
    db_bind_text(st, 1, user_id);
    return store_one_int(st, left);
}

int store_login_challenge_insert(struct db_conn *conn, const char *token_hash, const char *user_id, int64_t now,
                                 int64_t expires_at)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at)"
                                          " VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, expires_at);
    return store_run(st);
}

int store_login_challenge_find(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t now,
                               const char **user_id, int64_t *attempts)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT user_id, attempts FROM login_challenges WHERE token_hash = $1 AND expires_at > $2");
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, now);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *user_id = store_column_dup(arena, st, 0);
        *attempts = db_column_int(st, 1);
        if (*user_id == NULL)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

int store_login_challenge_attempt(struct db_conn *conn, const char *token_hash)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    return store_run(st);
}

int store_login_challenge_delete(struct db_conn *conn, const char *token_hash)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM login_challenges WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    return store_run(st);
}

int store_login_challenge_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM login_challenges WHERE expires_at < $1");
    db_bind_int(st, 1, before);
    return store_run(st);
}

int store_session_restrict_to_enrolment(struct db_conn *conn, const char *token_hash)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE sessions SET enrol_second_factor = 1 WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    return store_run(st);
}

int store_sessions_enrolled(struct db_conn *conn, const char *user_id)
{
    /* serves: sessions_by_user */
    struct db_stmt *st = db_prepare(conn, "UPDATE sessions SET enrol_second_factor = 0 WHERE user_id = $1");
    db_bind_text(st, 1, user_id);
    return store_run(st);
}
