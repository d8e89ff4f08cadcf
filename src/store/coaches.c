/* coaches.c — coaches, the students they support and their dashboard's
 * rows; see rotation.h. */
#include <string.h>

#include "store/rotation.h"
#include "store/util.h"

/* A coach's active students: assigned to them with a rotation booked, cleared or under way. */
#define COACH_SELECT                                                                                               \
    "SELECT u.id, u.name, u.email, (SELECT COUNT(*) FROM coach_assignments ca WHERE ca.coach_id = u.id"           \
    " AND EXISTS (SELECT 1 FROM applications a WHERE a.student_id = ca.student_id"                                \
    " AND a.status IN ('booked', 'cleared', 'in_progress')))"                                                    \
    " FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = 'coach' "

static void read_coach(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_coach *c = item;
    c->id = store_column_dup(arena, st, 0);
    c->name = store_column_dup(arena, st, 1);
    c->email = store_column_dup(arena, st, 2);
    c->active_students = db_column_int(st, 3);
}

static int one_coach(struct arena *arena, struct db_stmt *st, struct store_coach *out)
{
    return store_read_one(arena, st, read_coach, sizeof(*out), out);
}

int store_coach_least_busy(struct db_conn *conn, struct arena *arena, struct store_coach *out)
{
    struct db_stmt *st = db_prepare(conn, COACH_SELECT "ORDER BY 4, u.id LIMIT 1");
    return one_coach(arena, st, out);
}

int store_coach_get(struct db_conn *conn, struct arena *arena, const char *user_id, struct store_coach *out)
{
    struct db_stmt *st = db_prepare(conn, COACH_SELECT "AND u.id = $1");
    db_bind_text(st, 1, user_id);
    return one_coach(arena, st, out);
}

int store_coaches_list(struct db_conn *conn, struct arena *arena, struct store_coach **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, COACH_SELECT "ORDER BY u.name COLLATE \"C\", u.id COLLATE \"C\"");
    return store_read_rows(arena, st, read_coach, sizeof(**out), (void **)out, count);
}

int store_coach_of_student(struct db_conn *conn, struct arena *arena, const char *student_id, struct store_coach *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT u.id, u.name, u.email, 0 FROM coach_assignments ca"
                                          " JOIN users u ON u.id = ca.coach_id WHERE ca.student_id = $1");
    db_bind_text(st, 1, student_id);
    return one_coach(arena, st, out);
}

int store_coach_assign(struct db_conn *conn, const char *student_id, const char *coach_id, const char *assigned_by,
                       int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO coach_assignments (student_id, coach_id, assigned_by,"
                                          " assigned_at) VALUES ($1, $2, $3, $4) ON CONFLICT (student_id) DO UPDATE"
                                          " SET coach_id = excluded.coach_id, assigned_by = excluded.assigned_by,"
                                          " assigned_at = excluded.assigned_at");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, coach_id);
    db_bind_text(st, 3, assigned_by);
    db_bind_int(st, 4, now);
    return store_run(st);
}

static void read_coach_student(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_coach_student *s = item;
    s->student_id = store_column_dup(arena, st, 0);
    s->student_name = store_column_dup(arena, st, 1);
    s->student_email = store_column_dup(arena, st, 2);
    s->assigned_at = db_column_int(st, 3);
    s->application_id = store_column_dup(arena, st, 4);
    s->status = store_column_dup(arena, st, 5);
    s->offering_id = store_column_dup(arena, st, 6);
    s->offering_title = store_column_dup(arena, st, 7);
    s->organization_id = store_column_dup(arena, st, 8);
    s->host_name = store_column_dup(arena, st, 9);
    s->block_start = store_column_dup(arena, st, 10);
    s->block_end = store_column_dup(arena, st, 11);
    s->offering_requirements = store_column_dup(arena, st, 12);
    s->price_cents = db_column_int(st, 13);
    s->paid_cents = db_column_int(st, 14);
    s->balance_due_on = store_column_dup(arena, st, 15);
}

int store_coach_students(struct db_conn *conn, struct arena *arena, const char *coach_id,
                         struct store_coach_student **out, size_t *count)
{
    /* The rotation that matters most now: under way, then the next to start
     * (cleared, booked, held), then the latest completed. */
    struct db_stmt *st = db_prepare(
        conn, "SELECT u.id, u.name, u.email, ca.assigned_at, a.id, a.status, a.offering_id, o.title,"
              " a.organization_id, org.name, b.start_date, b.end_date, o.requirements, a.price_cents, a.paid_cents,"
              " a.balance_due_on"
              " FROM coach_assignments ca JOIN users u ON u.id = ca.student_id"
              " LEFT JOIN applications a ON a.id = (SELECT a2.id FROM applications a2"
              " JOIN blocks b2 ON b2.id = a2.block_id WHERE a2.student_id = ca.student_id"
              " AND a2.status IN ('held', 'booked', 'cleared', 'in_progress', 'completed')"
              " ORDER BY CASE a2.status WHEN 'in_progress' THEN 0 WHEN 'completed' THEN 2 ELSE 1 END,"
              " CASE WHEN a2.status = 'completed' THEN '' ELSE b2.start_date END, b2.start_date DESC, a2.id"
              " LIMIT 1)"
              " LEFT JOIN offerings o ON o.id = a.offering_id LEFT JOIN organizations org ON org.id = a.organization_id"
              " LEFT JOIN blocks b ON b.id = a.block_id"
              " WHERE ca.coach_id = $1 ORDER BY CASE WHEN b.start_date IS NULL THEN 1 ELSE 0 END, b.start_date,"
              " u.name, u.id");
    db_bind_text(st, 1, coach_id);
    return store_read_rows(arena, st, read_coach_student, sizeof(**out), (void **)out, count);
}
