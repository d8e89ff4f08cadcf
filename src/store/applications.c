/* applications.c — applications and their history, seats, idempotency keys,
 * notifications, the outbox and the audit trail; see applications.h. */
#include "store/applications.h"
#include "lib/log.h"
#include "store/util.h"

#include <string.h>

int store_application_insert(struct db_conn *conn, const struct store_application *a)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO applications (id, student_id, block_id, offering_id,"
                                          " organization_id, status, statement, created_at, updated_at,"
                                          " offer_expires_at, seat_reserved, match_round_id, home_school_id)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12)");
    db_bind_text(st, 1, a->id);
    db_bind_text(st, 2, a->student_id);
    db_bind_text(st, 3, a->block_id);
    db_bind_text(st, 4, a->offering_id);
    db_bind_text(st, 5, a->organization_id);
    db_bind_text(st, 6, a->status);
    db_bind_text(st, 7, a->statement != NULL ? a->statement : "");
    db_bind_int(st, 8, a->created_at);
    if (a->offer_expires_at > 0)
        db_bind_int(st, 9, a->offer_expires_at);
    else
        db_bind_null(st, 9);
    db_bind_int(st, 10, a->seat_reserved ? 1 : 0);
    db_bind_text(st, 11, a->match_round_id);
    db_bind_text(st, 12, a->home_school_id);
    return store_run(st);
}

#define APPLICATION_SELECT                                                                                     \
    "SELECT a.id, a.student_id, a.block_id, a.offering_id, a.organization_id, a.status, a.statement,"         \
    " COALESCE(a.offer_expires_at, 0), COALESCE(a.hold_expires_at, 0), a.created_at, a.updated_at,"          \
    " u.name, u.email, o.title, org.name, p.user_id, p.name, b.start_date, b.end_date, o.offer_expiry_days,"  \
    " o.hold_expiry_days, ca.coach_id, cu.name, a.seat_reserved, a.match_round_id, a.home_school_id"        \
    " FROM applications a JOIN users u ON u.id = a.student_id JOIN offerings o ON o.id = a.offering_id"       \
    " JOIN organizations org ON org.id = a.organization_id JOIN preceptors p ON p.id = o.preceptor_id"        \
    " JOIN blocks b ON b.id = a.block_id LEFT JOIN coach_assignments ca ON ca.student_id = a.student_id"      \
    " LEFT JOIN users cu ON cu.id = ca.coach_id "

static void read_application(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_application *a = item;
    a->id = store_column_dup(arena, st, 0);
    a->student_id = store_column_dup(arena, st, 1);
    a->block_id = store_column_dup(arena, st, 2);
    a->offering_id = store_column_dup(arena, st, 3);
    a->organization_id = store_column_dup(arena, st, 4);
    a->status = store_column_dup(arena, st, 5);
    a->statement = store_column_dup(arena, st, 6);
    a->offer_expires_at = db_column_int(st, 7);
    a->hold_expires_at = db_column_int(st, 8);
    a->created_at = db_column_int(st, 9);
    a->updated_at = db_column_int(st, 10);
    a->student_name = store_column_dup(arena, st, 11);
    a->student_email = store_column_dup(arena, st, 12);
    a->offering_title = store_column_dup(arena, st, 13);
    a->host_name = store_column_dup(arena, st, 14);
    a->preceptor_user_id = store_column_dup(arena, st, 15);
    a->preceptor_name = store_column_dup(arena, st, 16);
    a->block_start = store_column_dup(arena, st, 17);
    a->block_end = store_column_dup(arena, st, 18);
    a->offer_expiry_days = db_column_int(st, 19);
    a->hold_expiry_days = db_column_int(st, 20);
    a->coach_id = store_column_dup(arena, st, 21);
    a->coach_name = store_column_dup(arena, st, 22);
    a->seat_reserved = db_column_int(st, 23) != 0;
    a->match_round_id = store_column_dup(arena, st, 24);
    a->home_school_id = store_column_dup(arena, st, 25);
}

/* Steps st to the end, appending each row as an application. */
static int read_applications(struct arena *arena, struct db_stmt *st, struct store_application **out, size_t *count)
{
    return store_read_rows(arena, st, read_application, sizeof(**out), (void **)out, count);
}

int store_application_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_application *out)
{
    struct db_stmt *st = db_prepare(conn, APPLICATION_SELECT "WHERE a.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_application, sizeof(*out), out);
}

int store_applications_list(struct db_conn *conn, struct arena *arena, const struct store_application_filter *f,
                            struct store_application **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, APPLICATION_SELECT
        "WHERE ($1 = 1 OR a.student_id = $2 OR a.home_school_id = $11 OR ca.coach_id = $10"
        " OR (((',' || $3 || ',') LIKE ('%,' || a.organization_id || ',%') OR p.user_id = $4)"
        " AND a.status NOT IN ('home_review', 'refused_by_school')))"
        " AND (CAST($5 AS TEXT) IS NULL OR a.status = $5) AND (CAST($6 AS TEXT) IS NULL OR a.offering_id = $6)"
        " AND (CAST($7 AS TEXT) IS NULL OR a.block_id = $7) AND (CAST($8 AS TEXT) IS NULL OR a.id < $8)"
        " ORDER BY a.id DESC LIMIT $9");
    db_bind_int(st, 1, f->all ? 1 : 0);
    db_bind_text(st, 2, f->student_id);
    db_bind_text(st, 3, f->organization_ids);
    db_bind_text(st, 4, f->preceptor_user_id);
    db_bind_text(st, 5, f->status);
    db_bind_text(st, 6, f->offering_id);
    db_bind_text(st, 7, f->block_id);
    db_bind_text(st, 8, f->after_id);
    db_bind_int(st, 9, f->limit);
    db_bind_text(st, 10, f->coach_user_id);
    db_bind_text(st, 11, f->home_school_id);
    return read_applications(arena, st, out, count);
}

enum { STUDENT_APPLICATIONS_LIMIT = 200 };

int store_student_applications(struct db_conn *conn, struct arena *arena, const char *student_id,
                               const char *statuses, const char *ending_from, struct store_application **out,
                               size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, APPLICATION_SELECT "WHERE a.student_id = $1 AND (',' || $2 || ',') LIKE ('%,' || a.status || ',%')"
                                 " AND (CAST($3 AS TEXT) IS NULL OR b.end_date >= $3) ORDER BY a.id DESC LIMIT $4");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, statuses);
    db_bind_text(st, 3, ending_from);
    db_bind_int(st, 4, STUDENT_APPLICATIONS_LIMIT);
    return read_applications(arena, st, out, count);
}

static void bind_optional_int(struct db_stmt *st, int index, int64_t v)
{
    if (v > 0)
        db_bind_int(st, index, v);
    else
        db_bind_null(st, index);
}

int store_application_move(struct db_conn *conn, const char *id, const char *from, const char *to,
                           int64_t offer_expires_at, int64_t hold_expires_at, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE applications SET status = $3, offer_expires_at = $4,"
                                          " hold_expires_at = $5, updated_at = $6 WHERE id = $1 AND status = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    bind_optional_int(st, 4, offer_expires_at);
    bind_optional_int(st, 5, hold_expires_at);
    db_bind_int(st, 6, now);
    return store_change_one(st);
}

int store_application_event_add(struct db_conn *conn, const char *application_id, const char *action,
                                const char *from, const char *to, const char *actor_id, const char *actor_role,
                                const char *note, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO application_events (application_id, action, from_status,"
                                          " to_status, actor_id, actor_role, note, at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, action);
    db_bind_text(st, 3, from);
    db_bind_text(st, 4, to);
    db_bind_text(st, 5, actor_id);
    db_bind_text(st, 6, actor_role);
    db_bind_text(st, 7, note != NULL ? note : "");
    db_bind_int(st, 8, now);
    return store_run(st);
}

static void read_application_event(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_application_event *e = item;
    e->action = store_column_dup(arena, st, 0);
    e->from_status = store_column_dup(arena, st, 1);
    e->to_status = store_column_dup(arena, st, 2);
    e->actor_id = store_column_dup(arena, st, 3);
    e->actor_role = store_column_dup(arena, st, 4);
    e->note = store_column_dup(arena, st, 5);
    e->at = db_column_int(st, 6);
    e->actor_name = store_column_dup(arena, st, 7);
}

int store_application_events(struct db_conn *conn, struct arena *arena, const char *application_id,
                             struct store_application_event **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT e.action, e.from_status, e.to_status, e.actor_id, e.actor_role,"
                                          " e.note, e.at, u.name FROM application_events e"
                                          " LEFT JOIN users u ON u.id = e.actor_id"
                                          " WHERE e.application_id = $1 ORDER BY e.id");
    db_bind_text(st, 1, application_id);
    return store_read_rows(arena, st, read_application_event, sizeof(**out), (void **)out, count);
}

int store_student_booked_overlap(struct db_conn *conn, const char *student_id, const char *start, const char *end,
                                 bool *overlaps)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM applications a JOIN blocks b ON b.id = a.block_id"
                                          " WHERE a.student_id = $1"
                                          " AND a.status IN ('held', 'booked', 'cleared', 'in_progress')"
                                          " AND b.start_date <= $3 AND b.end_date >= $2");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, start);
    db_bind_text(st, 3, end);
    return store_count_any(st, overlaps);
}

int store_student_active_on_block(struct db_conn *conn, const char *student_id, const char *block_id, bool *active)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM applications WHERE student_id = $1 AND block_id = $2"
                                          " AND status IN ('home_review', 'submitted', 'under_review', 'offered', 'held', 'booked',"
                                          " 'cleared', 'in_progress')");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, block_id);
    return store_count_any(st, active);
}

int store_applications_expired(struct db_conn *conn, struct arena *arena, int64_t now, int limit, const char ***ids,
                               size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id FROM applications WHERE status = 'offered' AND offer_expires_at <= $1"
                                          " UNION ALL SELECT id FROM applications"
                                          " WHERE status = 'held' AND hold_expires_at <= $1 LIMIT $2");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, limit);
    return store_read_ids(arena, st, ids, count);
}

static void read_member(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_member *m = item;
    m->user_id = store_column_dup(arena, st, 0);
    m->email = store_column_dup(arena, st, 1);
    m->name = store_column_dup(arena, st, 2);
}

int store_organization_members(struct db_conn *conn, struct arena *arena, const char *organization_id,
                               const char *role, struct store_member **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT u.id, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id"
                                          " WHERE m.organization_id = $1 AND m.role = $2 ORDER BY u.id");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, role);
    return store_read_rows(arena, st, read_member, sizeof(**out), (void **)out, count);
}

int store_block_take_seat(struct db_conn *conn, const char *block_id)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE blocks SET seats_taken = seats_taken + 1"
                                          " WHERE id = $1 AND seats_taken + seats_reserved < seats");
    db_bind_text(st, 1, block_id);
    return store_change_one(st);
}

int store_block_free_seat(struct db_conn *conn, const char *block_id)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE blocks SET seats_taken = seats_taken - 1"
                                          " WHERE id = $1 AND seats_taken > 0");
    db_bind_text(st, 1, block_id);
    return store_run(st);
}

int store_application_release_reservation(struct db_conn *conn, const char *id)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE applications SET seat_reserved = 0 WHERE id = $1"
                                          " AND seat_reserved = 1");
    db_bind_text(st, 1, id);
    return store_change_one(st);
}

int store_offering_expiry_days(struct db_conn *conn, const char *offering_id, int64_t *offer_days,
                               int64_t *hold_days)
{
    struct db_stmt *st = db_prepare(conn, "SELECT offer_expiry_days, hold_expiry_days FROM offerings WHERE id = $1");
    db_bind_text(st, 1, offering_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *offer_days = db_column_int(st, 0);
        *hold_days = db_column_int(st, 1);
    }
    db_reset(st);
    return rc;
}

/* ---- idempotency keys ---- */

int store_idempotency_claim(struct db_conn *conn, struct arena *arena, const char *user_id, const char *key,
                            const char *request_hash, int64_t now, struct store_idempotent_reply *stored)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body,"
                                          " created_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, key);
    db_bind_text(st, 3, request_hash);
    db_bind_int(st, 4, now);
    int rc = db_step(st);
    int changed = db_changes(st);
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    if (changed == 1)
        return DB_OK;
    st = db_prepare(conn, "SELECT request_hash, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, key);
    rc = db_step(st);
    if (rc == DB_ROW) {
        stored->request_hash = store_column_dup(arena, st, 0);
        stored->status = db_column_int(st, 1);
        stored->body = store_column_dup(arena, st, 2);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_CONSTRAINT : rc == DB_DONE ? DB_RETRY : rc;
}

int store_idempotency_finish(struct db_conn *conn, const char *user_id, const char *key, int status,
                             const char *body)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE idempotency_keys SET status = $3, body = $4"
                                          " WHERE user_id = $1 AND key = $2");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, key);
    db_bind_int(st, 3, status);
    db_bind_text(st, 4, body);
    return store_run(st);
}

int store_idempotency_forget(struct db_conn *conn, const char *user_id, const char *key)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, key);
    return store_run(st);
}

int store_idempotency_prune(struct db_conn *conn, int64_t before)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM idempotency_keys WHERE created_at < $1");
    db_bind_int(st, 1, before);
    return store_run(st);
}

/* ---- notifications ---- */

int store_notification_add(struct db_conn *conn, const char *id, const char *user_id, const char *kind,
                           const char *title, const char *link, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO notifications (id, user_id, kind, title, link, created_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, user_id);
    db_bind_text(st, 3, kind);
    db_bind_text(st, 4, title);
    db_bind_text(st, 5, link != NULL ? link : "");
    db_bind_int(st, 6, now);
    return store_run(st);
}

static void read_notification(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_notification *n = item;
    n->id = store_column_dup(arena, st, 0);
    n->kind = store_column_dup(arena, st, 1);
    n->title = store_column_dup(arena, st, 2);
    n->link = store_column_dup(arena, st, 3);
    n->created_at = db_column_int(st, 4);
    n->read_at = db_column_int(st, 5);
    n->notice_count = db_column_int(st, 6);
}

/* Reads the rows of a notifications query (id, kind, title, link, created_at, read_at, notice_count). */
static int read_notifications(struct arena *arena, struct db_stmt *st, struct store_notification **out,
                              size_t *count)
{
    return store_read_rows(arena, st, read_notification, sizeof(**out), (void **)out, count);
}

int store_notifications_list(struct db_conn *conn, struct arena *arena, const char *user_id, int limit,
                             struct store_notification **out, size_t *count, int64_t *unread)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL");
    db_bind_text(st, 1, user_id);
    int rc = store_one_int(st, unread);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "SELECT id, kind, title, link, created_at, COALESCE(read_at, 0), notice_count"
                          " FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, limit);
    return read_notifications(arena, st, out, count);
}

int store_notifications_page(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t before_created,
                             const char *before_id, int limit, struct store_notification **out, size_t *count)
{
    /* serves: notifications_by_user */
    struct db_stmt *st = db_prepare(conn, "SELECT id, kind, title, link, created_at, COALESCE(read_at, 0), notice_count"
                                          " FROM notifications WHERE user_id = $1"
                                          " AND (CAST($2 AS TEXT) IS NULL OR created_at < $3"
                                          " OR (created_at = $3 AND id < $2))"
                                          " ORDER BY created_at DESC, id DESC LIMIT $4");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, before_id);
    db_bind_int(st, 3, before_created);
    db_bind_int(st, 4, limit);
    return read_notifications(arena, st, out, count);
}

int store_notification_group(struct db_conn *conn, const char *user_id, const char *kind, const char *title,
                             const char *link, int64_t since, int64_t now)
{
    struct db_stmt *st = db_prepare(
        conn, "UPDATE notifications SET notice_count = notice_count + 1, title = $3, link = $4, created_at = $6"
              " WHERE id = (SELECT id FROM notifications WHERE user_id = $1 AND kind = $2 AND read_at IS NULL"
              " AND created_at > $5 ORDER BY created_at DESC, id DESC LIMIT 1)");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, title);
    db_bind_text(st, 4, link != NULL ? link : "");
    db_bind_int(st, 5, since);
    db_bind_int(st, 6, now);
    return store_change_any(st);
}

int store_notification_get(struct db_conn *conn, struct arena *arena, const char *user_id, const char *id,
                           struct store_notification *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id, kind, title, link, created_at, COALESCE(read_at, 0), notice_count"
                                          " FROM notifications WHERE id = $1 AND user_id = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, user_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = store_column_dup(arena, st, 0);
        out->kind = store_column_dup(arena, st, 1);
        out->title = store_column_dup(arena, st, 2);
        out->link = store_column_dup(arena, st, 3);
        out->created_at = db_column_int(st, 4);
        out->read_at = db_column_int(st, 5);
        out->notice_count = db_column_int(st, 6);
    }
    db_reset(st);
    return rc;
}

int store_notifications_read_all(struct db_conn *conn, const char *user_id, int64_t now, int64_t *marked)
{
    struct db_stmt *st =
        db_prepare(conn, "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    int rc = db_step(st);
    *marked = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_notifications_unread(struct db_conn *conn, const char *user_id, int64_t *unread)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL");
    db_bind_text(st, 1, user_id);
    return store_one_int(st, unread);
}

int store_notification_read(struct db_conn *conn, const char *user_id, const char *id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE notifications SET read_at = COALESCE(read_at, $3)"
                                          " WHERE id = $1 AND user_id = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    return store_change_one(st);
}

/* ---- outbox ---- */

int store_outbox_add(struct db_conn *conn, const char *id, const char *to, const char *kind, const char *subject,
                     const char *body, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO outbox (id, to_address, kind, subject, body, created_at,"
                                          " next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, to);
    db_bind_text(st, 3, kind != NULL ? kind : "");
    db_bind_text(st, 4, subject);
    db_bind_text(st, 5, body);
    db_bind_int(st, 6, now);
    return store_run(st);
}

int store_outbox_claim(struct db_conn *conn, struct arena *arena, int64_t now, int64_t lease_seconds,
                       struct store_mail *out)
{
    /* The outer conditions are checked again after a concurrent claimer's
     * row lock is released, so two senders never both claim one mail. */
    struct db_stmt *st = db_prepare(conn, "UPDATE outbox SET claimed_until = $2, attempts = attempts + 1"
                                          " WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
                                          " AND next_attempt_at <= $1 AND claimed_until < $1"
                                          " ORDER BY next_attempt_at LIMIT 1)"
                                          " AND sent_at IS NULL AND failed_at IS NULL AND claimed_until < $1"
                                          " RETURNING id, to_address, subject, body, attempts");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, now + lease_seconds);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = store_column_dup(arena, st, 0);
        out->to_address = store_column_dup(arena, st, 1);
        out->subject = store_column_dup(arena, st, 2);
        out->body = store_column_dup(arena, st, 3);
        out->attempts = db_column_int(st, 4);
    }
    db_reset(st);
    return rc;
}

int store_outbox_sent(struct db_conn *conn, const char *id, const char *to_hash, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE outbox SET sent_at = $2, last_error = NULL, body = '',"
                                          " to_address = '', to_hash = $3 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, to_hash);
    return store_run(st);
}

int store_outbox_gave_up(struct db_conn *conn, const char *id, const char *to_hash, const char *error, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE outbox SET failed_at = $2, last_error = $4, claimed_until = 0,"
                                          " body = '', to_address = '', to_hash = $3 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, to_hash);
    db_bind_text(st, 4, error);
    return store_run(st);
}

static void read_mail_address(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_mail *m = item;
    m->id = store_column_dup(arena, st, 0);
    m->to_address = store_column_dup(arena, st, 1);
}

int store_outbox_unscrubbed(struct db_conn *conn, struct arena *arena, int limit, struct store_mail **out,
                            size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id, to_address FROM outbox WHERE to_address <> ''"
                                          " AND (sent_at IS NOT NULL OR failed_at IS NOT NULL) ORDER BY id LIMIT $1");
    db_bind_int(st, 1, limit);
    return store_read_rows(arena, st, read_mail_address, sizeof(**out), (void **)out, count);
}

int store_outbox_scrub(struct db_conn *conn, const char *id, const char *to_hash)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE outbox SET body = '', to_address = '', to_hash = $2 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, to_hash);
    return store_run(st);
}

int store_outbox_failed(struct db_conn *conn, const char *id, int64_t next_attempt_at, const char *error)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE outbox SET next_attempt_at = $2, claimed_until = 0,"
                                          " last_error = $3 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, next_attempt_at);
    db_bind_text(st, 3, error);
    return store_run(st);
}

/* ---- audit ---- */

int store_audit_add(struct db_conn *conn, const char *actor_id, enum audit_action action, enum audit_object object,
                    const char *object_id, const char *detail, int64_t now)
{
    const char *action_name = audit_action_name(action), *object_type = audit_object_name(object);
    if (action_name[0] == '\0' || object_type[0] == '\0') {
        log_error("msg=\"audit event outside the vocabulary\" action=%d object=%d", (int)action, (int)object);
        return DB_ERROR;
    }
    struct db_stmt *st = db_prepare(conn, "INSERT INTO audit_events (at, actor_id, action, object_type, object_id,"
                                          " detail) VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_int(st, 1, now);
    db_bind_text(st, 2, actor_id);
    db_bind_text(st, 3, action_name);
    db_bind_text(st, 4, object_type);
    db_bind_text(st, 5, object_id != NULL ? object_id : "");
    db_bind_text(st, 6, detail != NULL ? detail : "");
    return store_run(st);
}

static void read_audit_event(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_audit_event *e = item;
    e->id = db_column_int(st, 0);
    e->at = db_column_int(st, 1);
    e->actor_id = store_column_dup(arena, st, 2);
    e->action = store_column_dup(arena, st, 3);
    e->object_type = store_column_dup(arena, st, 4);
    e->object_id = store_column_dup(arena, st, 5);
    e->detail = store_column_dup(arena, st, 6);
}

int store_audit_read_events(struct db_stmt *st, struct arena *arena, struct store_audit_event **out, size_t *count)
{
    return store_read_rows(arena, st, read_audit_event, sizeof(**out), (void **)out, count);
}

int store_audit_list(struct db_conn *conn, struct arena *arena, const char *action, const char *actor_id,
                     int64_t before_id, int limit, struct store_audit_event **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id, at, actor_id, action, object_type, object_id, detail"
                                          " FROM audit_events WHERE (CAST($1 AS TEXT) IS NULL OR action = $1)"
                                          " AND (CAST($2 AS TEXT) IS NULL OR actor_id = $2)"
                                          " AND (CAST($3 AS BIGINT) = 0 OR id < CAST($3 AS BIGINT))"
                                          " ORDER BY id DESC LIMIT $4");
    db_bind_text(st, 1, action);
    db_bind_text(st, 2, actor_id);
    db_bind_int(st, 3, before_id);
    db_bind_int(st, 4, limit);
    return store_audit_read_events(st, arena, out, count);
}
