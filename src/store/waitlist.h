/* waitlist.h — the store's side of the waitlist of each block. */
#ifndef ROUNDS_STORE_WAITLIST_H
#define ROUNDS_STORE_WAITLIST_H

#include "store/store.h"

struct store_waitlist_entry {
    const char *id, *block_id, *student_id, *status, *application_id;
    int64_t position, created_at, updated_at;
    /* Joined for reading. */
    const char *student_name, *student_email, *offering_id, *offering_title, *block_start, *block_end;
    const char *application_status; /* NULL without an offer */
    int64_t ahead;                   /* students waiting before this one (waiting entries) */
};

/* Takes the block's row lock until the transaction ends (PostgreSQL; SQLite
 * writes are serial already), so that seats and the list are read and changed
 * by one transaction at a time. */
int store_block_lock(struct db_conn *conn, const char *block_id);
/* Adds the student at the end of the block's list: DB_OK, or DB_CONSTRAINT
 * when they are on it already (waiting or offered). */
int store_waitlist_join(struct db_conn *conn, const char *id, const char *block_id, const char *student_id,
                        int64_t now);
/* The student's active entry (waiting or offered) on the block: DB_ROW / DB_DONE. */
int store_waitlist_active(struct db_conn *conn, struct arena *arena, const char *block_id, const char *student_id,
                          struct store_waitlist_entry *out);
/* Marks the student's waiting entry left: DB_OK, or DB_DONE when none is waiting. */
int store_waitlist_leave(struct db_conn *conn, const char *block_id, const char *student_id, int64_t now);
/* The block's active entries in order (waiting and offered), with names. */
int store_waitlist_of_block(struct db_conn *conn, struct arena *arena, const char *block_id,
                            struct store_waitlist_entry **out, size_t *count);
/* A student's entries (all states), newest first (then by id), with the
 * offering and block: those after (after_created_at, after_id), from the
 * newest when after_id is NULL; at most limit. */
int store_waitlist_of_student(struct db_conn *conn, struct arena *arena, const char *student_id,
                              int64_t after_created_at, const char *after_id, int limit,
                              struct store_waitlist_entry **out, size_t *count);
/* The first waiting entry after position: DB_ROW / DB_DONE. */
int store_waitlist_next_waiting(struct db_conn *conn, struct arena *arena, const char *block_id, int64_t after,
                                struct store_waitlist_entry *out);
/* The entry now has an offer (application_id). */
int store_waitlist_offered(struct db_conn *conn, const char *id, const char *application_id, int64_t now);
/* The application offered from a list ended without a seat, or gave its seat
 * up: its place leaves the list (the student may join again, at the end).
 * DB_OK, or DB_DONE when the application was not offered from a list. */
int store_waitlist_offer_ended(struct db_conn *conn, const char *application_id, int64_t now);
/* Offers made from the block's list that are still open (the application
 * offered), but the one of except_application_id (NULL: none). */
int store_waitlist_open_offers(struct db_conn *conn, const char *block_id, const char *except_application_id,
                               int64_t *count);

#endif
