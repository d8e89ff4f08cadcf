/* support.c — check-ins, tickets, their events and escalations; see support.h. */
#include "store/support.h"

#include <string.h>

#include "store/util.h"

/* ---- check-ins ---- */

int store_check_in_insert(struct db_conn *conn, const struct store_check_in *c)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO check_ins (id, application_id, student_id, week_start, score,"
                                          " activities, needs_help, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->application_id);
    db_bind_text(st, 3, c->student_id);
    db_bind_text(st, 4, c->week_start);
    db_bind_int(st, 5, c->score);
    db_bind_text(st, 6, c->activities != NULL ? c->activities : "");
    db_bind_int(st, 7, c->needs_help ? 1 : 0);
    db_bind_int(st, 8, c->created_at);
    return store_run(st);
}

int store_check_in_set_ticket(struct db_conn *conn, const char *id, const char *ticket_id)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE check_ins SET ticket_id = $2 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, ticket_id);
    return store_run(st);
}

static void read_check_in(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_check_in *c = item;
    c->id = store_column_dup(arena, st, 0);
    c->application_id = store_column_dup(arena, st, 1);
    c->student_id = store_column_dup(arena, st, 2);
    c->week_start = store_column_dup(arena, st, 3);
    c->score = db_column_int(st, 4);
    c->activities = store_column_dup(arena, st, 5);
    c->needs_help = db_column_int(st, 6) != 0;
    c->ticket_id = store_column_dup(arena, st, 7);
    c->created_at = db_column_int(st, 8);
}

int store_check_ins_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                   struct store_check_in **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id, application_id, student_id, week_start, score, activities,"
                                          " needs_help, ticket_id, created_at FROM check_ins"
                                          " WHERE application_id = $1 ORDER BY week_start DESC");
    db_bind_text(st, 1, application_id);
    return store_read_rows(arena, st, read_check_in, sizeof(**out), (void **)out, count);
}

/* ---- tickets ---- */

int store_ticket_insert(struct db_conn *conn, const struct store_ticket *t)
{
    struct db_stmt *st = db_prepare(
        conn, "INSERT INTO tickets (id, requester_id, student_id, application_id, category, urgency, subject, body,"
              " status, assignee_id, response_due_at, resolve_due_at, created_at, updated_at)"
              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)");
    db_bind_text(st, 1, t->id);
    db_bind_text(st, 2, t->requester_id);
    db_bind_text(st, 3, t->student_id);
    db_bind_text(st, 4, t->application_id);
    db_bind_text(st, 5, t->category);
    db_bind_text(st, 6, t->urgency);
    db_bind_text(st, 7, t->subject);
    db_bind_text(st, 8, t->body);
    db_bind_text(st, 9, t->status);
    db_bind_text(st, 10, t->assignee_id);
    db_bind_int(st, 11, t->response_due_at);
    db_bind_int(st, 12, t->resolve_due_at);
    db_bind_int(st, 13, t->created_at);
    return store_run(st);
}

#define TICKET_SELECT                                                                                               \
    "SELECT t.id, t.requester_id, r.name, t.student_id, t.application_id, t.category, t.urgency, t.subject,"      \
    " t.body, t.status, t.assignee_id, s.name, t.response_due_at, t.resolve_due_at,"                              \
    " COALESCE(t.first_response_at, 0), COALESCE(t.resolved_at, 0), COALESCE(t.response_escalated_at, 0),"         \
    " COALESCE(t.resolve_escalated_at, 0), t.created_at, t.updated_at"                                            \
    " FROM tickets t JOIN users r ON r.id = t.requester_id LEFT JOIN users s ON s.id = t.assignee_id "

static void read_ticket(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_ticket *t = item;
    const char **text[] = {&t->id,      &t->requester_id, &t->requester_name, &t->student_id,
                           &t->application_id, &t->category, &t->urgency, &t->subject,
                           &t->body,    &t->status,       &t->assignee_id,    &t->assignee_name};
    for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
        *text[i] = store_column_dup(arena, st, (int)i);
    int64_t *ints[] = {&t->response_due_at,       &t->resolve_due_at,       &t->first_response_at, &t->resolved_at,
                       &t->response_escalated_at, &t->resolve_escalated_at, &t->created_at,        &t->updated_at};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
        *ints[i] = db_column_int(st, (int)(12 + i));
}

int store_ticket_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_ticket *out)
{
    struct db_stmt *st = db_prepare(conn, TICKET_SELECT "WHERE t.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_ticket, sizeof(*out), out);
}

int store_ticket_event_add(struct db_conn *conn, const char *id, const char *ticket_id, const char *actor_id,
                           const char *kind, const char *body, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO ticket_events (id, ticket_id, actor_id, kind, body, created_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, ticket_id);
    db_bind_text(st, 3, actor_id);
    db_bind_text(st, 4, kind);
    db_bind_text(st, 5, body != NULL ? body : "");
    db_bind_int(st, 6, now);
    return store_run(st);
}

static void read_ticket_event(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_ticket_event *e = item;
    e->id = store_column_dup(arena, st, 0);
    e->ticket_id = store_column_dup(arena, st, 1);
    e->actor_id = store_column_dup(arena, st, 2);
    e->actor_name = store_column_dup(arena, st, 3);
    e->kind = store_column_dup(arena, st, 4);
    e->body = store_column_dup(arena, st, 5);
    e->created_at = db_column_int(st, 6);
}

int store_ticket_events(struct db_conn *conn, struct arena *arena, const char *ticket_id,
                        struct store_ticket_event **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT e.id, e.ticket_id, e.actor_id, u.name, e.kind, e.body, e.created_at"
                                          " FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id"
                                          " WHERE e.ticket_id = $1 ORDER BY e.created_at, e.id");
    db_bind_text(st, 1, ticket_id);
    return store_read_rows(arena, st, read_ticket_event, sizeof(**out), (void **)out, count);
}

int store_ticket_first_response(struct db_conn *conn, const char *id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE tickets SET first_response_at = $2, updated_at = $2"
                                          " WHERE id = $1 AND first_response_at IS NULL");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return store_run(st);
}

int store_ticket_set_status(struct db_conn *conn, const char *id, const char *from, const char *to, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE tickets SET status = $3, updated_at = $4, resolved_at = $5"
                                          " WHERE id = $1 AND status = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_int(st, 4, now);
    if (strcmp(to, "resolved") == 0)
        db_bind_int(st, 5, now);
    else
        db_bind_null(st, 5);
    return store_change_one(st);
}

int store_ticket_assign(struct db_conn *conn, const char *id, const char *assignee_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE tickets SET assignee_id = $2, updated_at = $3 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, assignee_id);
    db_bind_int(st, 3, now);
    return store_run(st);
}

#define QUEUE_ORDER                                                                                          \
    " AND ($2 = 1 OR t.status <> 'resolved')"                                                              \
    " ORDER BY CASE WHEN t.status = 'resolved' THEN 1 ELSE 0 END,"                                         \
    " CASE WHEN t.first_response_at IS NULL THEN t.response_due_at ELSE t.resolve_due_at END, t.id LIMIT $3"

/* One literal per scope: statements are cached per connection by the address
 * of their SQL text (store/db.h), so SQL written into a buffer on the stack
 * served the first scope prepared on a connection to every caller after it (a
 * student saw the whole queue after staff or a coach had read it there). */
static const char *const queue_sql[] = {
    [TICKETS_ALL] = TICKET_SELECT "WHERE ($1 = '' OR $1 <> '')" QUEUE_ORDER,
    [TICKETS_COACH] = TICKET_SELECT "WHERE (t.assignee_id = $1 OR t.student_id IN"
                                    " (SELECT student_id FROM coach_assignments WHERE coach_id = $1))" QUEUE_ORDER,
    [TICKETS_REQUESTER] = TICKET_SELECT "WHERE t.requester_id = $1" QUEUE_ORDER,
};

int store_tickets_queue(struct db_conn *conn, struct arena *arena, enum store_ticket_scope scope, const char *user_id,
                        bool include_resolved, int limit, struct store_ticket **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, queue_sql[scope]);
    db_bind_text(st, 1, user_id != NULL ? user_id : "");
    db_bind_int(st, 2, include_resolved ? 1 : 0);
    db_bind_int(st, 3, limit);
    return store_read_rows(arena, st, read_ticket, sizeof(**out), (void **)out, count);
}

int store_tickets_overdue(struct db_conn *conn, struct arena *arena, enum store_ticket_due which, int64_t now,
                          int limit, const char ***ids, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, which == TICKET_DUE_RESPONSE
                  ? "SELECT id FROM tickets WHERE status <> 'resolved' AND first_response_at IS NULL"
                    " AND response_due_at <= $1 AND response_escalated_at IS NULL ORDER BY response_due_at, id LIMIT $2"
                  : "SELECT id FROM tickets WHERE status <> 'resolved' AND resolve_due_at <= $1"
                    " AND resolve_escalated_at IS NULL ORDER BY resolve_due_at, id LIMIT $2");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, limit);
    return store_read_ids(arena, st, ids, count);
}

int store_ticket_claim_escalation(struct db_conn *conn, const char *id, enum store_ticket_due which, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, which == TICKET_DUE_RESPONSE
                                              ? "UPDATE tickets SET response_escalated_at = $2 WHERE id = $1"
                                                " AND response_escalated_at IS NULL"
                                              : "UPDATE tickets SET resolve_escalated_at = $2 WHERE id = $1"
                                                " AND resolve_escalated_at IS NULL");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return store_change_one(st);
}

static void read_ticket_timing(struct arena *arena, struct db_stmt *st, void *item)
{
    (void)arena; /* integers only */
    struct store_ticket_timing *t = item;
    t->created_at = db_column_int(st, 0);
    t->first_response_at = db_column_int(st, 1);
    t->response_due_at = db_column_int(st, 2);
}

int store_ticket_timings(struct db_conn *conn, struct arena *arena, int64_t since, struct store_ticket_timing **out,
                         size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT created_at, COALESCE(first_response_at, 0), response_due_at"
                                          " FROM tickets WHERE created_at >= $1");
    db_bind_int(st, 1, since);
    return store_read_rows(arena, st, read_ticket_timing, sizeof(**out), (void **)out, count);
}

static void read_person(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_person *p = item;
    p->id = store_column_dup(arena, st, 0);
    p->name = store_column_dup(arena, st, 1);
    p->email = store_column_dup(arena, st, 2);
}

int store_users_with_role(struct db_conn *conn, struct arena *arena, const char *role, struct store_person **out,
                          size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT u.id, u.name, u.email FROM user_roles r JOIN users u"
                                          " ON u.id = r.user_id WHERE r.role = $1 ORDER BY u.id");
    db_bind_text(st, 1, role);
    return store_read_rows(arena, st, read_person, sizeof(**out), (void **)out, count);
}

static void read_student_support(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_student_support *s = item;
    s->student_id = store_column_dup(arena, st, 0);
    s->open_tickets = db_column_int(st, 1);
    s->last_check_in_at = db_column_int(st, 2);
    s->last_score = db_column_int(st, 3);
    s->last_help = db_column_int(st, 4) != 0;
}

int store_coach_support(struct db_conn *conn, struct arena *arena, const char *coach_id,
                        struct store_student_support **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT ca.student_id,"
              " (SELECT COUNT(*) FROM tickets t WHERE t.student_id = ca.student_id AND t.status <> 'resolved'),"
              " COALESCE(c.created_at, 0), COALESCE(c.score, 0), COALESCE(c.needs_help, 0)"
              " FROM coach_assignments ca LEFT JOIN check_ins c ON c.id = (SELECT c2.id FROM check_ins c2"
              " WHERE c2.student_id = ca.student_id ORDER BY c2.created_at DESC, c2.id DESC LIMIT 1)"
              " WHERE ca.coach_id = $1");
    db_bind_text(st, 1, coach_id);
    return store_read_rows(arena, st, read_student_support, sizeof(**out), (void **)out, count);
}
