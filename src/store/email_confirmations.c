/* email_confirmations.c — how many confirmation links an account was sent,
 * and the confirmed mark itself (the links: store/single_use_links.c). */
#include "store/store.h"
#include "store/util.h"

int store_email_confirmation_count(struct db_conn *conn, const char *user_id, int64_t since, int64_t *count)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT COUNT(*) FROM email_confirmations WHERE user_id = $1 AND created_at > $2");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, since);
    return store_one_int(st, count);
}

int store_user_confirm_email(struct db_conn *conn, const char *user_id, int64_t now)
{
    struct db_stmt *st =
        db_prepare(conn, "UPDATE users SET email_confirmed_at = $2 WHERE id = $1 AND email_confirmed_at IS NULL");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    return store_change_any(st);
}

int store_email_unconfirmed(struct db_conn *conn, const char *email, bool *unconfirmed)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT COUNT(*) FROM users WHERE email = $1 AND email_confirmed_at IS NULL");
    db_bind_text(st, 1, email);
    return store_count_any(st, unconfirmed);
}

int store_email_confirmation_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM email_confirmations WHERE expires_at < $1");
    db_bind_int(st, 1, before);
    return store_run(st);
}
