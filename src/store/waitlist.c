/* waitlist.c — the waitlist of each block; see waitlist.h. */
#include "store/waitlist.h"

#include <string.h>

#include "store/util.h"

int store_block_lock(struct db_conn *conn, const char *block_id)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE blocks SET seats = seats WHERE id = $1");
    db_bind_text(st, 1, block_id);
    return store_run(st);
}

int store_waitlist_join(struct db_conn *conn, const char *id, const char *block_id, const char *student_id,
                        int64_t now)
{
    /* serves: waitlist_by_block for the next position (the block is locked: positions never clash) */
    struct db_stmt *st = db_prepare(conn, "INSERT INTO waitlist (id, block_id, student_id, position, status,"
                                          " created_at, updated_at) SELECT $1, $2, $3,"
                                          " COALESCE(MAX(position), 0) + 1, 'waiting', $4, $4"
                                          " FROM waitlist WHERE block_id = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, block_id);
    db_bind_text(st, 3, student_id);
    db_bind_int(st, 4, now);
    return store_run(st);
}

#define ENTRY_SELECT                                                                                           \
    "SELECT w.id, w.block_id, w.student_id, w.status, w.application_id, w.position, w.created_at,"             \
    " w.updated_at, u.name, u.email, o.id, o.title, b.start_date, b.end_date, a.status,"                       \
    " (SELECT COUNT(*) FROM waitlist x WHERE x.block_id = w.block_id AND x.status = 'waiting'"                 \
    " AND x.position < w.position)"                                                                            \
    " FROM waitlist w JOIN users u ON u.id = w.student_id JOIN blocks b ON b.id = w.block_id"                  \
    " JOIN offerings o ON o.id = b.offering_id LEFT JOIN applications a ON a.id = w.application_id "

static void read_entry(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_waitlist_entry *e = item;
    memset(e, 0, sizeof(*e));
    e->id = store_column_dup(arena, st, 0);
    e->block_id = store_column_dup(arena, st, 1);
    e->student_id = store_column_dup(arena, st, 2);
    e->status = store_column_dup(arena, st, 3);
    e->application_id = store_column_dup(arena, st, 4);
    e->position = db_column_int(st, 5);
    e->created_at = db_column_int(st, 6);
    e->updated_at = db_column_int(st, 7);
    e->student_name = store_column_dup(arena, st, 8);
    e->student_email = store_column_dup(arena, st, 9);
    e->offering_id = store_column_dup(arena, st, 10);
    e->offering_title = store_column_dup(arena, st, 11);
    e->block_start = store_column_dup(arena, st, 12);
    e->block_end = store_column_dup(arena, st, 13);
    e->application_status = store_column_dup(arena, st, 14);
    e->ahead = db_column_int(st, 15);
}

static int read_one(struct arena *arena, struct db_stmt *st, struct store_waitlist_entry *out)
{
    return store_read_one(arena, st, read_entry, sizeof(*out), out);
}

static int read_many(struct arena *arena, struct db_stmt *st, struct store_waitlist_entry **out, size_t *count)
{
    return store_read_rows(arena, st, read_entry, sizeof(**out), (void **)out, count);
}

int store_waitlist_active(struct db_conn *conn, struct arena *arena, const char *block_id, const char *student_id,
                          struct store_waitlist_entry *out)
{
    /* serves: waitlist_one_active */
    struct db_stmt *st = db_prepare(conn, ENTRY_SELECT "WHERE w.block_id = $1 AND w.student_id = $2"
                                                       " AND w.status IN ('waiting', 'offered')");
    db_bind_text(st, 1, block_id);
    db_bind_text(st, 2, student_id);
    return read_one(arena, st, out);
}

int store_waitlist_leave(struct db_conn *conn, const char *block_id, const char *student_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE waitlist SET status = 'left', updated_at = $3"
                                          " WHERE block_id = $1 AND student_id = $2 AND status = 'waiting'");
    db_bind_text(st, 1, block_id);
    db_bind_text(st, 2, student_id);
    db_bind_int(st, 3, now);
    return store_change_any(st);
}

int store_waitlist_of_block(struct db_conn *conn, struct arena *arena, const char *block_id,
                            struct store_waitlist_entry **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, ENTRY_SELECT "WHERE w.block_id = $1 AND w.status IN ('waiting', 'offered')"
                                                       " ORDER BY w.position");
    db_bind_text(st, 1, block_id);
    return read_many(arena, st, out, count);
}

int store_waitlist_of_student(struct db_conn *conn, struct arena *arena, const char *student_id,
                              int64_t after_created_at, const char *after_id, int limit,
                              struct store_waitlist_entry **out, size_t *count)
{
    /* serves: waitlist_by_student */
    struct db_stmt *st = db_prepare(
        conn, ENTRY_SELECT "WHERE w.student_id = $1"
                           " AND (CAST($2 AS TEXT) IS NULL OR w.created_at < $3 OR (w.created_at = $3 AND w.id > $2))"
                           " ORDER BY w.created_at DESC, w.id LIMIT $4");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, after_id);
    db_bind_int(st, 3, after_created_at);
    db_bind_int(st, 4, limit);
    return read_many(arena, st, out, count);
}

int store_waitlist_next_waiting(struct db_conn *conn, struct arena *arena, const char *block_id, int64_t after,
                                struct store_waitlist_entry *out)
{
    struct db_stmt *st = db_prepare(conn, ENTRY_SELECT "WHERE w.block_id = $1 AND w.status = 'waiting'"
                                                       " AND w.position > $2 ORDER BY w.position LIMIT 1");
    db_bind_text(st, 1, block_id);
    db_bind_int(st, 2, after);
    return read_one(arena, st, out);
}

int store_waitlist_offered(struct db_conn *conn, const char *id, const char *application_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE waitlist SET status = 'offered', application_id = $2,"
                                          " updated_at = $3 WHERE id = $1 AND status = 'waiting'");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, application_id);
    db_bind_int(st, 3, now);
    return store_change_one(st);
}

int store_waitlist_offer_ended(struct db_conn *conn, const char *application_id, int64_t now)
{
    /* serves: waitlist_by_application */
    struct db_stmt *st = db_prepare(conn, "UPDATE waitlist SET status = 'left', updated_at = $2"
                                          " WHERE application_id = $1 AND status = 'offered'");
    db_bind_text(st, 1, application_id);
    db_bind_int(st, 2, now);
    return store_change_any(st);
}

int store_waitlist_open_offers(struct db_conn *conn, const char *block_id, const char *except_application_id,
                               int64_t *count)
{
    /* serves: waitlist_by_block */
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM waitlist w JOIN applications a ON a.id = w.application_id"
                                          " WHERE w.block_id = $1 AND w.status = 'offered' AND a.status = 'offered'"
                                          " AND a.id <> $2");
    db_bind_text(st, 1, block_id);
    db_bind_text(st, 2, except_application_id != NULL ? except_application_id : "");
    return store_one_int(st, count);
}
