/* messages.c — messages per rotation, unread rows and digests; see messages.h. */
#include "store/messages.h"

#include <string.h>

#include "store/util.h"

int store_message_insert(struct db_conn *conn, const struct store_message *m)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO messages (id, application_id, sender_id, body, document_id,"
                                          " created_at) VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_text(st, 1, m->id);
    db_bind_text(st, 2, m->application_id);
    db_bind_text(st, 3, m->sender_id);
    db_bind_text(st, 4, m->body);
    db_bind_text(st, 5, m->document_id);
    db_bind_int(st, 6, m->created_at);
    return store_run(st);
}

int store_message_unread_add(struct db_conn *conn, const char *user_id, const struct store_message *m)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO message_unread (user_id, message_id, application_id, created_at)"
                                          " VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, m->id);
    db_bind_text(st, 3, m->application_id);
    db_bind_int(st, 4, m->created_at);
    return store_run(st);
}

static void read_message(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_message *m = item;
    const char **text[] = {&m->id,          &m->application_id, &m->sender_id,     &m->sender_name,
                           &m->body,        &m->document_id,    &m->document_kind, &m->document_name};
    for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
        *text[i] = store_column_dup(arena, st, (int)i);
    m->created_at = db_column_int(st, 8);
}

int store_messages_of_thread(struct db_conn *conn, struct arena *arena, const char *application_id, int limit,
                             struct store_message **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT id, application_id, sender_id, sender_name, body, document_id, kind, file_name, created_at"
              " FROM (SELECT m.id, m.application_id, m.sender_id, u.name AS sender_name, m.body, m.document_id,"
              " d.kind, d.file_name, m.created_at FROM messages m JOIN users u ON u.id = m.sender_id"
              " LEFT JOIN documents d ON d.id = m.document_id WHERE m.application_id = $1"
              " ORDER BY m.created_at DESC, m.id DESC LIMIT $2) newest ORDER BY created_at, id");
    db_bind_text(st, 1, application_id);
    db_bind_int(st, 2, limit);
    return store_read_rows(arena, st, read_message, sizeof(**out), (void **)out, count);
}

int store_message_attachment(struct db_conn *conn, struct arena *arena, const char *application_id,
                             const char *message_id, const char **document_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT document_id FROM messages WHERE id = $1 AND application_id = $2"
                                          " AND document_id IS NOT NULL");
    db_bind_text(st, 1, message_id);
    db_bind_text(st, 2, application_id);
    int rc = db_step(st);
    *document_id = rc == DB_ROW ? store_column_dup(arena, st, 0) : NULL;
    db_reset(st);
    return rc;
}

int store_messages_sent_since(struct db_conn *conn, const char *sender_id, int64_t since, int64_t *count)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT COUNT(*) FROM messages WHERE sender_id = $1 AND created_at >= $2");
    db_bind_text(st, 1, sender_id);
    db_bind_int(st, 2, since);
    return store_one_int(st, count);
}

int store_message_unread_count(struct db_conn *conn, const char *user_id, const char *application_id,
                               int64_t *count)
{
    struct db_stmt *st;
    if (application_id != NULL) {
        st = db_prepare(conn, "SELECT COUNT(*) FROM message_unread WHERE user_id = $1 AND application_id = $2");
        db_bind_text(st, 2, application_id);
    } else {
        st = db_prepare(conn, "SELECT COUNT(*) FROM message_unread WHERE user_id = $1");
    }
    db_bind_text(st, 1, user_id);
    return store_one_int(st, count);
}

int store_message_unread_summary(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t *count,
                                 const char **newest_application_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT (SELECT COUNT(*) FROM message_unread WHERE user_id = $1),"
                                          " (SELECT application_id FROM message_unread WHERE user_id = $1"
                                          " ORDER BY created_at DESC, message_id DESC LIMIT 1)");
    db_bind_text(st, 1, user_id);
    int rc = db_step(st);
    *count = rc == DB_ROW ? db_column_int(st, 0) : 0;
    *newest_application_id = rc == DB_ROW ? store_column_dup(arena, st, 1) : NULL;
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_message_mark_read(struct db_conn *conn, const char *user_id, const char *application_id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM message_unread WHERE user_id = $1 AND application_id = $2");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, application_id);
    return store_run(st);
}

int store_message_digest_users(struct db_conn *conn, struct arena *arena, int limit, const char ***ids,
                               size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT DISTINCT user_id FROM message_unread WHERE emailed_at IS NULL"
                                          " ORDER BY user_id LIMIT $1");
    db_bind_int(st, 1, limit);
    return store_read_ids(arena, st, ids, count);
}

int store_message_digest_claim(struct db_conn *conn, const char *user_id, int64_t now, int64_t not_after)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO message_digests (user_id, sent_at) VALUES ($1, $2)"
                                          " ON CONFLICT (user_id) DO UPDATE SET sent_at = excluded.sent_at"
                                          " WHERE message_digests.sent_at <= $3");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, not_after);
    return store_change_one(st);
}

static void read_digest_thread(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_digest_thread *t = item;
    t->application_id = store_column_dup(arena, st, 0);
    t->offering_title = store_column_dup(arena, st, 1);
    t->unread = db_column_int(st, 2);
}

int store_message_digest_threads(struct db_conn *conn, struct arena *arena, const char *user_id,
                                 struct store_digest_thread **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT r.application_id, o.title, COUNT(*) FROM message_unread r"
                                          " JOIN applications a ON a.id = r.application_id"
                                          " JOIN offerings o ON o.id = a.offering_id"
                                          " WHERE r.user_id = $1 AND r.emailed_at IS NULL"
                                          " GROUP BY r.application_id, o.title ORDER BY r.application_id");
    db_bind_text(st, 1, user_id);
    return store_read_rows(arena, st, read_digest_thread, sizeof(**out), (void **)out, count);
}

int store_message_unread_emailed(struct db_conn *conn, const char *user_id, int64_t now)
{
    struct db_stmt *st =
        db_prepare(conn, "UPDATE message_unread SET emailed_at = $2 WHERE user_id = $1 AND emailed_at IS NULL");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    return store_run(st);
}
