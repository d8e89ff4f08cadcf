/* hours.c — the hours log of a rotation and the student's confirmed totals;
 * see rotation.h. */
#include <string.h>

#include "store/rotation.h"
#include "store/util.h"

int store_hours_insert(struct db_conn *conn, const struct store_hours_entry *e)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO hours_entries (id, application_id, student_id, day, minutes,"
                                          " setting, activities, patients_seen, state, created_at, updated_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)");
    db_bind_text(st, 1, e->id);
    db_bind_text(st, 2, e->application_id);
    db_bind_text(st, 3, e->student_id);
    db_bind_text(st, 4, e->day);
    db_bind_int(st, 5, e->minutes);
    db_bind_text(st, 6, e->setting);
    db_bind_text(st, 7, e->activities != NULL ? e->activities : "");
    db_bind_int(st, 8, e->patients_seen);
    db_bind_text(st, 9, e->state);
    db_bind_int(st, 10, e->created_at);
    return store_run(st);
}

#define HOURS_SELECT                                                                                               \
    "SELECT id, application_id, student_id, day, minutes, setting, activities, patients_seen, state, review_note," \
    " reviewed_by, COALESCE(reviewed_at, 0), created_at, updated_at FROM hours_entries "

static void read_entry(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_hours_entry *e = item;
    e->id = store_column_dup(arena, st, 0);
    e->application_id = store_column_dup(arena, st, 1);
    e->student_id = store_column_dup(arena, st, 2);
    e->day = store_column_dup(arena, st, 3);
    e->minutes = db_column_int(st, 4);
    e->setting = store_column_dup(arena, st, 5);
    e->activities = store_column_dup(arena, st, 6);
    e->patients_seen = db_column_int(st, 7);
    e->state = store_column_dup(arena, st, 8);
    e->review_note = store_column_dup(arena, st, 9);
    e->reviewed_by = store_column_dup(arena, st, 10);
    e->reviewed_at = db_column_int(st, 11);
    e->created_at = db_column_int(st, 12);
    e->updated_at = db_column_int(st, 13);
}

int store_hours_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_hours_entry *out)
{
    struct db_stmt *st = db_prepare(conn, HOURS_SELECT "WHERE id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_entry, sizeof(*out), out);
}

/* DB_OK when exactly one row changed, DB_DONE when none did. */
static int changed_one(struct db_stmt *st)
{
    return store_change_one(st);
}

int store_hours_update(struct db_conn *conn, const struct store_hours_entry *e, const char *from)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE hours_entries SET day = $3, minutes = $4, setting = $5,"
                                          " activities = $6, patients_seen = $7, state = $8, updated_at = $9"
                                          " WHERE id = $1 AND state = $2");
    db_bind_text(st, 1, e->id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, e->day);
    db_bind_int(st, 4, e->minutes);
    db_bind_text(st, 5, e->setting);
    db_bind_text(st, 6, e->activities != NULL ? e->activities : "");
    db_bind_int(st, 7, e->patients_seen);
    db_bind_text(st, 8, e->state);
    db_bind_int(st, 9, e->updated_at);
    return changed_one(st);
}

int store_hours_review(struct db_conn *conn, const char *id, const char *from, const char *to, const char *note,
                       const char *reviewer_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE hours_entries SET state = $3, review_note = $4, reviewed_by = $5,"
                                          " reviewed_at = $6, updated_at = $6 WHERE id = $1 AND state = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, note != NULL ? note : "");
    db_bind_text(st, 5, reviewer_id);
    db_bind_int(st, 6, now);
    return changed_one(st);
}

int store_hours_confirm_range(struct db_conn *conn, const char *application_id, const char *from, const char *to,
                              const char *reviewer_id, int64_t now, int *changed)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE hours_entries SET state = 'confirmed', review_note = '',"
                                          " reviewed_by = $4, reviewed_at = $5, updated_at = $5"
                                          " WHERE application_id = $1 AND day >= $2 AND day <= $3 AND state = 'logged'");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, reviewer_id);
    db_bind_int(st, 5, now);
    int rc = db_step(st);
    *changed = db_changes(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_hours_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                               struct store_hours_entry **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, HOURS_SELECT "WHERE application_id = $1 ORDER BY day");
    db_bind_text(st, 1, application_id);
    return store_read_rows(arena, st, read_entry, sizeof(**out), (void **)out, count);
}

int store_hours_on_day_elsewhere(struct db_conn *conn, const char *student_id, const char *day,
                                 const char *application_id, int64_t *minutes, bool *any)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*), COALESCE(SUM(minutes), 0) FROM hours_entries"
                                          " WHERE student_id = $1 AND day = $2 AND application_id <> $3"
                                          " AND state <> 'refused'");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, day);
    db_bind_text(st, 3, application_id);
    int64_t entries;
    int rc = store_two_ints(st, &entries, minutes);
    *any = entries > 0;
    return rc;
}

int store_hours_counts(struct db_conn *conn, const char *application_id, struct store_hours_counts *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(SUM(CASE WHEN state = 'confirmed' THEN 1 ELSE 0 END), 0),"
                                          " COALESCE(SUM(CASE WHEN state = 'logged' THEN 1 ELSE 0 END), 0),"
                                          " COALESCE(SUM(CASE WHEN state = 'change_requested' THEN 1 ELSE 0 END), 0),"
                                          " COALESCE(SUM(CASE WHEN state = 'refused' THEN 1 ELSE 0 END), 0)"
                                          " FROM hours_entries WHERE application_id = $1");
    db_bind_text(st, 1, application_id);
    memset(out, 0, sizeof(*out));
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->confirmed = db_column_int(st, 0);
        out->logged = db_column_int(st, 1);
        out->change_requested = db_column_int(st, 2);
        out->refused = db_column_int(st, 3);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

static void read_usce_rotation(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_usce_rotation *r = item;
    r->status = store_column_dup(arena, st, 0);
    r->kind = store_column_dup(arena, st, 1);
    r->weeks = db_column_int(st, 2);
    r->hours_per_week = db_column_int(st, 3);
    r->confirmed_minutes = db_column_int(st, 4);
}

int store_student_usce_rotations(struct db_conn *conn, struct arena *arena, const char *student_id,
                                 struct store_usce_rotation **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT a.status, o.kind, o.weeks, o.hours_per_week,"
              " COALESCE((SELECT SUM(h.minutes) FROM hours_entries h WHERE h.application_id = a.id"
              " AND h.state = 'confirmed'), 0)"
              " FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE a.student_id = $1"
              " AND a.status IN ('booked', 'cleared', 'in_progress', 'completed') ORDER BY a.id");
    db_bind_text(st, 1, student_id);
    return store_read_rows(arena, st, read_usce_rotation, sizeof(**out), (void **)out, count);
}
