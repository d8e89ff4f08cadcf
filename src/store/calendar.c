/* calendar.c — each user's calendar feed token; see calendar.h. */
#include "store/calendar.h"

#include "store/util.h"

int store_calendar_feed_set(struct db_conn *conn, const char *user_id, const char *token_hash, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO calendar_feeds (user_id, token_hash, created_at)"
                                          " VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE"
                                          " SET token_hash = excluded.token_hash, created_at = excluded.created_at");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, token_hash);
    db_bind_int(st, 3, now);
    return store_run(st);
}

int store_calendar_feed_delete(struct db_conn *conn, const char *user_id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM calendar_feeds WHERE user_id = $1");
    db_bind_text(st, 1, user_id);
    return store_change_any(st);
}

int store_calendar_feed_user(struct db_conn *conn, struct arena *arena, const char *token_hash,
                             const char **user_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT user_id FROM calendar_feeds WHERE token_hash = $1");
    db_bind_text(st, 1, token_hash);
    int rc = db_step(st);
    if (rc == DB_ROW)
        *user_id = store_column_dup(arena, st, 0);
    db_reset(st);
    return rc;
}

int store_calendar_feed_of(struct db_conn *conn, const char *user_id, int64_t *created_at)
{
    struct db_stmt *st = db_prepare(conn, "SELECT created_at FROM calendar_feeds WHERE user_id = $1");
    db_bind_text(st, 1, user_id);
    int rc = db_step(st);
    if (rc == DB_ROW)
        *created_at = db_column_int(st, 0);
    db_reset(st);
    return rc;
}
