/* alerts.c — saved searches, their unsubscribe tokens, favourites and the
 * catalog events; see alerts.h. */
#include "store/alerts.h"

#include <string.h>

#include "store/util.h"

/* ---- catalog events ---- */

int store_catalog_event_add(struct db_conn *conn, const char *kind, const char *offering_id, const char *block_id,
                            int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO catalog_events (kind, offering_id, block_id, at)"
                                          " VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, offering_id);
    db_bind_text(st, 3, block_id);
    db_bind_int(st, 4, now);
    return store_run(st);
}

static void read_catalog_event(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_catalog_event *e = item;
    e->seq = db_column_int(st, 0);
    e->kind = store_column_dup(arena, st, 1);
    e->offering_id = store_column_dup(arena, st, 2);
    e->block_id = store_column_dup(arena, st, 3);
    e->at = db_column_int(st, 4);
}

int store_catalog_events_after(struct db_conn *conn, struct arena *arena, int64_t after_seq, int64_t until_at,
                               int limit, struct store_catalog_event **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT seq, kind, offering_id, block_id, at FROM catalog_events"
                                          " WHERE seq > $1 AND at <= $2 ORDER BY seq LIMIT $3");
    db_bind_int(st, 1, after_seq);
    db_bind_int(st, 2, until_at);
    db_bind_int(st, 3, limit);
    return store_read_rows(arena, st, read_catalog_event, sizeof(**out), (void **)out, count);
}

int store_event_cursor_get(struct db_conn *conn, const char *name, int64_t *seq)
{
    struct db_stmt *st = db_prepare(conn, "SELECT seq FROM event_cursors WHERE name = $1");
    db_bind_text(st, 1, name);
    return store_one_int_required(st, seq);
}

int store_event_cursor_move(struct db_conn *conn, const char *name, int64_t from, int64_t to)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE event_cursors SET seq = $3 WHERE name = $1 AND seq = $2");
    db_bind_text(st, 1, name);
    db_bind_int(st, 2, from);
    db_bind_int(st, 3, to);
    return store_change_one(st);
}

/* ---- saved searches ---- */

int store_saved_search_insert(struct db_conn *conn, const struct store_saved_search *s)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO saved_searches (id, student_id, name, q, specialty, state,"
                                          " kind, start_from, start_to, max_tuition, include_full, eligible_me,"
                                          " email_alerts, pending, created_at, position)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', $14,"
                                          " (SELECT COALESCE(MAX(position), 0) + 1 FROM saved_searches"
                                          " WHERE student_id = $2))");
    db_bind_text(st, 1, s->id);
    db_bind_text(st, 2, s->student_id);
    db_bind_text(st, 3, s->name);
    db_bind_text(st, 4, s->q);
    db_bind_text(st, 5, s->specialty);
    db_bind_text(st, 6, s->state);
    db_bind_text(st, 7, s->kind);
    db_bind_text(st, 8, s->start_from);
    db_bind_text(st, 9, s->start_to);
    if (s->max_tuition >= 0)
        db_bind_int(st, 10, s->max_tuition);
    else
        db_bind_null(st, 10);
    db_bind_int(st, 11, s->include_full);
    db_bind_int(st, 12, s->eligible_me);
    db_bind_int(st, 13, s->email_alerts);
    db_bind_int(st, 14, s->created_at);
    return store_run(st);
}

int store_saved_search_count(struct db_conn *conn, const char *student_id, int64_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM saved_searches WHERE student_id = $1");
    db_bind_text(st, 1, student_id);
    return store_one_int(st, count);
}

#define SAVED_SEARCH_SELECT                                                                                     \
    "SELECT s.id, s.student_id, s.name, s.q, s.specialty, s.state, s.kind, s.start_from, s.start_to,"          \
    " COALESCE(s.max_tuition, -1), s.include_full, s.eligible_me, s.email_alerts, s.pending,"                  \
    " COALESCE(s.last_email_at, 0), s.created_at, u.email, s.position"                                         \
    " FROM saved_searches s JOIN users u ON u.id = s.student_id "

static void read_saved_search(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_saved_search *s = item;
    memset(s, 0, sizeof(*s));
    s->id = store_column_dup(arena, st, 0);
    s->student_id = store_column_dup(arena, st, 1);
    s->name = store_column_dup(arena, st, 2);
    s->q = store_column_dup(arena, st, 3);
    s->specialty = store_column_dup(arena, st, 4);
    s->state = store_column_dup(arena, st, 5);
    s->kind = store_column_dup(arena, st, 6);
    s->start_from = store_column_dup(arena, st, 7);
    s->start_to = store_column_dup(arena, st, 8);
    s->max_tuition = db_column_int(st, 9);
    s->include_full = db_column_int(st, 10) != 0;
    s->eligible_me = db_column_int(st, 11) != 0;
    s->email_alerts = db_column_int(st, 12) != 0;
    s->pending = store_column_dup(arena, st, 13);
    s->last_email_at = db_column_int(st, 14);
    s->created_at = db_column_int(st, 15);
    s->student_email = store_column_dup(arena, st, 16);
    s->position = db_column_int(st, 17);
}

static int read_saved_searches(struct arena *arena, struct db_stmt *st, struct store_saved_search **out,
                               size_t *count)
{
    return store_read_rows(arena, st, read_saved_search, sizeof(**out), (void **)out, count);
}

int store_saved_searches_of(struct db_conn *conn, struct arena *arena, const char *student_id,
                            struct store_saved_search **out, size_t *count)
{
    /* serves: saved_searches_by_student. In the order they were saved (the
     * position taken at insert, under the student's row lock). */
    struct db_stmt *st = db_prepare(conn, SAVED_SEARCH_SELECT "WHERE s.student_id = $1"
                                                              " ORDER BY s.position, s.created_at, s.id");
    db_bind_text(st, 1, student_id);
    return read_saved_searches(arena, st, out, count);
}

int store_saved_searches_page(struct db_conn *conn, struct arena *arena, const char *after_id, int limit,
                              struct store_saved_search **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, SAVED_SEARCH_SELECT "WHERE s.id > $1 ORDER BY s.id LIMIT $2");
    db_bind_text(st, 1, after_id != NULL ? after_id : "");
    db_bind_int(st, 2, limit);
    return read_saved_searches(arena, st, out, count);
}

int store_saved_search_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_saved_search *out)
{
    struct db_stmt *st = db_prepare(conn, SAVED_SEARCH_SELECT "WHERE s.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_saved_search, sizeof(*out), out);
}

int store_saved_search_delete(struct db_conn *conn, const char *id, const char *student_id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM alert_unsubscribes WHERE saved_search_id IN"
                                          " (SELECT id FROM saved_searches WHERE id = $1 AND student_id = $2)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, student_id);
    int rc = store_run(st);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "DELETE FROM saved_searches WHERE id = $1 AND student_id = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, student_id);
    return store_change_one(st);
}

int store_saved_search_set_pending(struct db_conn *conn, const char *id, const char *from, const char *to)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE saved_searches SET pending = $3 WHERE id = $1 AND pending = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    return store_change_one(st);
}

int store_saved_search_set_email(struct db_conn *conn, const char *id, bool email_alerts)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE saved_searches SET email_alerts = $2 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, email_alerts ? 1 : 0);
    return store_run(st);
}

int store_saved_searches_due(struct db_conn *conn, struct arena *arena, int64_t before, int limit,
                             struct store_saved_search **out, size_t *count)
{
    /* serves: saved_searches_pending */
    struct db_stmt *st = db_prepare(conn, SAVED_SEARCH_SELECT "WHERE s.pending <> '' AND s.email_alerts = 1"
                                                              " AND (s.last_email_at IS NULL OR s.last_email_at < $1)"
                                                              " ORDER BY s.id LIMIT $2");
    db_bind_int(st, 1, before);
    db_bind_int(st, 2, limit);
    return read_saved_searches(arena, st, out, count);
}

int store_saved_search_emailed(struct db_conn *conn, const char *id, const char *pending, int64_t before,
                               int64_t now)
{
    /* The whole of the due test again, not pending alone: the caller's row may
     * be stale, and pending may hold the same offerings again after another
     * instance emailed them (a new match since). On PostgreSQL an update that
     * waited for another instance's claim re-checks this on the row it left. */
    struct db_stmt *st = db_prepare(conn, "UPDATE saved_searches SET pending = '', last_email_at = $4"
                                          " WHERE id = $1 AND pending = $2 AND email_alerts = 1"
                                          " AND (last_email_at IS NULL OR last_email_at < $3)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, pending);
    db_bind_int(st, 3, before);
    db_bind_int(st, 4, now);
    return store_change_one(st);
}

int store_alert_unsubscribe_add(struct db_conn *conn, const char *token_hash, const char *saved_search_id,
                                int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO alert_unsubscribes (token_hash, saved_search_id, created_at)"
                                          " VALUES ($1, $2, $3)");
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, saved_search_id);
    db_bind_int(st, 3, now);
    return store_run(st);
}

int store_alert_unsubscribe_find(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                 struct store_saved_search *out)
{
    struct db_stmt *st = db_prepare(conn, SAVED_SEARCH_SELECT "JOIN alert_unsubscribes t ON t.saved_search_id = s.id"
                                                              " WHERE t.token_hash = $1");
    db_bind_text(st, 1, token_hash);
    return store_read_one(arena, st, read_saved_search, sizeof(*out), out);
}

/* ---- favourites ---- */

int store_favourite_add(struct db_conn *conn, const char *student_id, const char *offering_id, int64_t now)
{
    bool has = false;
    int rc = store_favourite_has(conn, student_id, offering_id, &has);
    if (rc != DB_OK || has)
        return rc;
    struct db_stmt *st = db_prepare(conn, "INSERT INTO favourites (student_id, offering_id, created_at, position)"
                                          " VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1"
                                          " FROM favourites WHERE student_id = $1))");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, offering_id);
    db_bind_int(st, 3, now);
    rc = store_run(st);
    return rc == DB_CONSTRAINT ? DB_OK : rc; /* a double click raced us */
}

int store_favourite_remove(struct db_conn *conn, const char *student_id, const char *offering_id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM favourites WHERE student_id = $1 AND offering_id = $2");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, offering_id);
    return store_change_one(st);
}

int store_favourite_has(struct db_conn *conn, const char *student_id, const char *offering_id, bool *has)
{
    struct db_stmt *st = db_prepare(conn, "SELECT 1 FROM favourites WHERE student_id = $1 AND offering_id = $2");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, offering_id);
    int rc = db_step(st);
    *has = rc == DB_ROW;
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int store_favourites_of(struct db_conn *conn, struct arena *arena, const char *student_id, const char ***ids,
                        size_t *count)
{
    /* serves: favourites_by_student. The newest star first (the position taken
     * at insert, under the student's row lock). */
    struct db_stmt *st = db_prepare(conn, "SELECT offering_id FROM favourites WHERE student_id = $1"
                                          " ORDER BY position DESC, created_at DESC, offering_id");
    db_bind_text(st, 1, student_id);
    return store_read_ids(arena, st, ids, count);
}

static void read_favourite(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_favourite *f = item;
    f->offering_id = store_column_dup(arena, st, 0);
    f->position = db_column_int(st, 1);
    f->created_at = db_column_int(st, 2);
}

int store_favourites_keyed(struct db_conn *conn, struct arena *arena, const char *student_id,
                          struct store_favourite **out, size_t *count)
{
    /* serves: favourites_by_student */
    struct db_stmt *st = db_prepare(conn, "SELECT offering_id, position, created_at FROM favourites"
                                          " WHERE student_id = $1 ORDER BY position DESC, created_at DESC, offering_id");
    db_bind_text(st, 1, student_id);
    return store_read_rows(arena, st, read_favourite, sizeof(**out), (void **)out, count);
}

int store_favourite_students(struct db_conn *conn, struct arena *arena, const char *offering_id, const char ***ids,
                             size_t *count)
{
    /* serves: favourites_by_offering */
    struct db_stmt *st = db_prepare(conn, "SELECT student_id FROM favourites WHERE offering_id = $1 ORDER BY student_id");
    db_bind_text(st, 1, offering_id);
    return store_read_ids(arena, st, ids, count);
}
