/* alerts.h — the store's side of saved searches (with their alert state and
 * unsubscribe tokens), favourites, and the catalog events that alerts and
 * favourite notices follow. */
#ifndef ROUNDS_STORE_ALERTS_H
#define ROUNDS_STORE_ALERTS_H

#include "store/store.h"

/* ---- catalog events ---- */

struct store_catalog_event {
    int64_t seq;
    const char *kind; /* offering_published, block_added, seat_opened */
    const char *offering_id, *block_id;
    int64_t at;
};

int store_catalog_event_add(struct db_conn *conn, const char *kind, const char *offering_id, const char *block_id,
                            int64_t now);
/* Events after after_seq that happened at or before until_at, in seq order, at most limit. */
int store_catalog_events_after(struct db_conn *conn, struct arena *arena, int64_t after_seq, int64_t until_at,
                               int limit, struct store_catalog_event **out, size_t *count);
int store_event_cursor_get(struct db_conn *conn, const char *name, int64_t *seq);
/* Moves the cursor from `from` to `to`: DB_OK, or DB_DONE when it was not at `from` any more. */
int store_event_cursor_move(struct db_conn *conn, const char *name, int64_t from, int64_t to);

/* ---- saved searches ---- */

struct store_saved_search {
    const char *id, *student_id, *name;
    const char *q, *specialty, *state, *kind, *start_from, *start_to; /* NULL: not in the search */
    int64_t max_tuition;                                              /* -1: none */
    bool include_full, eligible_me, email_alerts;
    const char *pending;   /* offering ids found since the last email, comma-separated */
    int64_t last_email_at; /* 0: never */
    int64_t created_at;
    const char *student_email; /* joined for reading */
    int64_t position;          /* its place among the student's (read, not written) */
};

/* Saves s after its owner's other searches (the next position among theirs):
 * in a transaction holding the owner's row lock (store_user_lock). */
int store_saved_search_insert(struct db_conn *conn, const struct store_saved_search *s);
int store_saved_search_count(struct db_conn *conn, const char *student_id, int64_t *count);
/* A student's saved searches in the order they were saved. */
int store_saved_searches_of(struct db_conn *conn, struct arena *arena, const char *student_id,
                            struct store_saved_search **out, size_t *count);
/* Every saved search with id after after_id, in id order, at most limit. */
int store_saved_searches_page(struct db_conn *conn, struct arena *arena, const char *after_id, int limit,
                              struct store_saved_search **out, size_t *count);
/* DB_ROW / DB_DONE. */
int store_saved_search_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_saved_search *out);
/* Deletes the student's saved search and its tokens: DB_OK, or DB_DONE when it is not theirs. */
int store_saved_search_delete(struct db_conn *conn, const char *id, const char *student_id);
/* Sets pending to `to` only if it is still `from`: DB_OK, or DB_DONE when it
 * changed since it was read (an instance emailed it). */
int store_saved_search_set_pending(struct db_conn *conn, const char *id, const char *from, const char *to);
int store_saved_search_set_email(struct db_conn *conn, const char *id, bool email_alerts);
/* Searches with something pending, email on, not emailed since before (at most limit). */
int store_saved_searches_due(struct db_conn *conn, struct arena *arena, int64_t before, int limit,
                             struct store_saved_search **out, size_t *count);
/* Claims the email of a due search: empties pending and stamps the email,
 * only if pending is still `pending`, email is on and none was sent since
 * before: DB_OK, or DB_DONE when another instance sent one first (or the
 * student turned the emails off). */
int store_saved_search_emailed(struct db_conn *conn, const char *id, const char *pending, int64_t before,
                               int64_t now);
int store_alert_unsubscribe_add(struct db_conn *conn, const char *token_hash, const char *saved_search_id,
                                int64_t now);
/* The saved search of an unsubscribe token (by its hash): DB_ROW / DB_DONE. */
int store_alert_unsubscribe_find(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                 struct store_saved_search *out);

/* ---- favourites ---- */

/* Stars offering_id after the student's other favourites; DB_OK (also when it
 * was a favourite already). In a transaction holding the student's row lock. */
int store_favourite_add(struct db_conn *conn, const char *student_id, const char *offering_id, int64_t now);
/* DB_OK, or DB_DONE when it was not a favourite. */
int store_favourite_remove(struct db_conn *conn, const char *student_id, const char *offering_id);
int store_favourite_has(struct db_conn *conn, const char *student_id, const char *offering_id, bool *has);
/* A student's favourite offerings, the last starred first. */
int store_favourites_of(struct db_conn *conn, struct arena *arena, const char *student_id, const char ***ids,
                        size_t *count);
/* The same with each star's sort key (position, created_at). */
struct store_favourite {
    const char *offering_id;
    int64_t position, created_at;
};
int store_favourites_keyed(struct db_conn *conn, struct arena *arena, const char *student_id,
                          struct store_favourite **out, size_t *count);
/* The students who starred an offering. */
int store_favourite_students(struct db_conn *conn, struct arena *arena, const char *offering_id, const char ***ids,
                             size_t *count);

#endif
