/* calendar.h — the store's side of the calendar feed: each user's secret
 * feed token (stored hashed). */
#ifndef ROUNDS_STORE_CALENDAR_H
#define ROUNDS_STORE_CALENDAR_H

#include "store/store.h"

/* Sets (or replaces) the user's token hash. */
int store_calendar_feed_set(struct db_conn *conn, const char *user_id, const char *token_hash, int64_t now);
/* Removes the user's token: DB_OK, or DB_DONE when there was none. */
int store_calendar_feed_delete(struct db_conn *conn, const char *user_id);
/* The user of a token hash: DB_ROW with *user_id, or DB_DONE. */
int store_calendar_feed_user(struct db_conn *conn, struct arena *arena, const char *token_hash,
                             const char **user_id);
/* Whether the user has a feed: DB_ROW with *created_at, or DB_DONE. */
int store_calendar_feed_of(struct db_conn *conn, const char *user_id, int64_t *created_at);

#endif
