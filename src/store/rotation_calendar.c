/* rotation_calendar.c — notices sent once per rotation and the applications
 * the calendar moves; see rotation.h. */
#include "store/rotation.h"
#include "store/util.h"

int store_notice_claim(struct db_conn *conn, const char *application_id, const char *kind, int64_t now)
{
    /* The primary key decides, whichever instance gets there first. */
    struct db_stmt *st = db_prepare(conn, "INSERT INTO rotation_notices (application_id, kind, sent_at)"
                                          " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, kind);
    db_bind_int(st, 3, now);
    return store_change_one(st);
}

int store_notice_sent(struct db_conn *conn, const char *application_id, const char *kind, bool *sent)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM rotation_notices WHERE application_id = $1"
                                          " AND kind = $2");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, kind);
    return store_count_any(st, sent);
}

static const char *const due_sql[] = {
    [CALENDAR_TO_START] = "SELECT a.id FROM applications a JOIN blocks b ON b.id = a.block_id"
                          " WHERE a.status = 'cleared' AND b.start_date <= $1 ORDER BY a.id LIMIT $2",
    [CALENDAR_NOT_CLEARED_AT_START] = "SELECT a.id FROM applications a JOIN blocks b ON b.id = a.block_id"
                                      " WHERE a.status = 'booked' AND b.start_date <= $1 AND NOT EXISTS"
                                      " (SELECT 1 FROM rotation_notices n WHERE n.application_id = a.id"
                                      " AND n.kind = 'not_cleared_at_start') ORDER BY a.id LIMIT $2",
    [CALENDAR_TO_COMPLETE] = "SELECT a.id FROM applications a JOIN blocks b ON b.id = a.block_id"
                             " WHERE a.status = 'in_progress' AND b.end_date < $1"
                             " AND EXISTS (SELECT 1 FROM hours_entries h WHERE h.application_id = a.id"
                             " AND h.state = 'confirmed') AND NOT EXISTS (SELECT 1 FROM hours_entries h"
                             " WHERE h.application_id = a.id AND h.state = 'logged') ORDER BY a.id LIMIT $2",
    [CALENDAR_HOURS_TO_CONFIRM] = "SELECT a.id FROM applications a JOIN blocks b ON b.id = a.block_id"
                                  " WHERE a.status = 'in_progress' AND b.end_date < $1 AND NOT EXISTS"
                                  " (SELECT 1 FROM rotation_notices n WHERE n.application_id = a.id"
                                  " AND n.kind = 'hours_to_confirm') ORDER BY a.id LIMIT $2",
    [CALENDAR_UNDER_WAY] = "SELECT a.id FROM applications a JOIN blocks b ON b.id = a.block_id"
                           " WHERE a.status = 'in_progress' AND b.start_date <= $1 AND b.end_date >= $1"
                           " ORDER BY a.id LIMIT $2",
    [CALENDAR_FIRST_DAY_AHEAD] = "SELECT a.id FROM applications a JOIN blocks b ON b.id = a.block_id"
                                 " WHERE a.status IN ('booked', 'cleared') AND b.start_date <= $1"
                                 " AND b.start_date >= $3 AND NOT EXISTS"
                                 " (SELECT 1 FROM rotation_notices n WHERE n.application_id = a.id"
                                 " AND n.kind = 'first_day') ORDER BY a.id LIMIT $2",
};

int store_calendar_due(struct db_conn *conn, struct arena *arena, enum store_calendar_due which, const char *today,
                       const char *from, int limit, const char ***ids, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, due_sql[which]);
    db_bind_text(st, 1, today);
    db_bind_int(st, 2, limit);
    if (which == CALENDAR_FIRST_DAY_AHEAD)
        db_bind_text(st, 3, from);
    return store_read_ids(arena, st, ids, count);
}
