/* agreements.c — affiliation agreements between hosts and schools; see agreements.h. */
#include "store/agreements.h"
#include "store/util.h"

#include <string.h>

#define AGREEMENT_COLUMNS                                                                                     \
    "a.id, a.host_id, a.school_id, a.start_date, a.end_date, a.status, a.proposed_side, a.proposed_by,"      \
    " a.activated_by, a.terminated_by, a.termination_reason, a.file_address, a.file_bytes,"                   \
    " COALESCE(a.activated_at, 0), COALESCE(a.terminated_at, 0), a.reminders, a.created_at, a.updated_at,"    \
    " h.name, s.name, u.name"
#define AGREEMENT_FROM                                                                                        \
    " FROM affiliation_agreements a JOIN organizations h ON h.id = a.host_id"                                 \
    " JOIN organizations s ON s.id = a.school_id JOIN users u ON u.id = a.proposed_by "

static void read_agreement(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_agreement *a = item;
    memset(a, 0, sizeof(*a));
    a->id = store_column_dup(arena, st, 0);
    a->host_id = store_column_dup(arena, st, 1);
    a->school_id = store_column_dup(arena, st, 2);
    a->start_date = store_column_dup(arena, st, 3);
    a->end_date = store_column_dup(arena, st, 4);
    a->status = store_column_dup(arena, st, 5);
    a->proposed_side = store_column_dup(arena, st, 6);
    a->proposed_by = store_column_dup(arena, st, 7);
    a->activated_by = store_column_dup(arena, st, 8);
    a->terminated_by = store_column_dup(arena, st, 9);
    a->termination_reason = store_column_dup(arena, st, 10);
    a->file_address = store_column_dup(arena, st, 11);
    a->file_bytes = db_column_int(st, 12);
    a->activated_at = db_column_int(st, 13);
    a->terminated_at = db_column_int(st, 14);
    a->reminders = db_column_int(st, 15);
    a->created_at = db_column_int(st, 16);
    a->updated_at = db_column_int(st, 17);
    a->host_name = store_column_dup(arena, st, 18);
    a->school_name = store_column_dup(arena, st, 19);
    a->proposed_by_name = store_column_dup(arena, st, 20);
}

static int read_agreements(struct arena *arena, struct db_stmt *st, struct store_agreement **out, size_t *count)
{
    return store_read_rows(arena, st, read_agreement, sizeof(**out), (void **)out, count);
}

/* Steps an UPDATE: DB_OK when it changed a row, DB_DONE when none matched. */
static int run_changed(struct db_stmt *st)
{
    return store_change_any(st);
}

int store_agreement_insert(struct db_conn *conn, const struct store_agreement *a)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO affiliation_agreements (id, host_id, school_id, start_date,"
                                          " end_date, status, proposed_side, proposed_by, created_at, updated_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)");
    db_bind_text(st, 1, a->id);
    db_bind_text(st, 2, a->host_id);
    db_bind_text(st, 3, a->school_id);
    db_bind_text(st, 4, a->start_date);
    db_bind_text(st, 5, a->end_date);
    db_bind_text(st, 6, a->status);
    db_bind_text(st, 7, a->proposed_side);
    db_bind_text(st, 8, a->proposed_by);
    db_bind_int(st, 9, a->created_at);
    return store_run(st);
}

int store_agreement_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_agreement *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM "WHERE a.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_agreement, sizeof(*out), out);
}

/* serves: affiliation_agreements_by_host and _by_school (an OR of both) */
int store_agreements_list(struct db_conn *conn, struct arena *arena, const char *organization_id, int limit,
                          struct store_agreement **out, size_t *count)
{
    struct db_stmt *st;
    if (organization_id != NULL) {
        st = db_prepare(conn, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM
                              "WHERE a.host_id = $1 OR a.school_id = $1 ORDER BY a.created_at DESC, a.id LIMIT $2");
        db_bind_text(st, 1, organization_id);
        db_bind_int(st, 2, limit);
    } else {
        st = db_prepare(conn, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM "ORDER BY a.created_at DESC, a.id LIMIT $1");
        db_bind_int(st, 1, limit);
    }
    return read_agreements(arena, st, out, count);
}

/* serves: affiliation_agreements_by_host and _by_school (an OR of both) */
int store_agreements_page(struct db_conn *conn, struct arena *arena, const struct store_agreements_filter *f,
                          struct store_agreement **out, size_t *count)
{
    struct db_stmt *st;
    if (f->organization_id != NULL) {
        st = db_prepare(conn, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM "WHERE (a.host_id = $4 OR a.school_id = $4)"
                              " AND (CAST($1 AS TEXT) IS NULL OR a.created_at < $2"
                              " OR (a.created_at = $2 AND a.id > $1))"
                              " ORDER BY a.created_at DESC, a.id LIMIT $3");
        db_bind_text(st, 4, f->organization_id);
    } else {
        st = db_prepare(conn, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM
                              "WHERE CAST($1 AS TEXT) IS NULL OR a.created_at < $2 OR (a.created_at = $2 AND a.id > $1)"
                              " ORDER BY a.created_at DESC, a.id LIMIT $3");
    }
    db_bind_text(st, 1, f->after_id);
    db_bind_int(st, 2, f->after_created_at);
    db_bind_int(st, 3, f->limit);
    return read_agreements(arena, st, out, count);
}

int store_agreement_activate(struct db_conn *conn, const char *id, const char *user_id, const char *file_address,
                             int64_t file_bytes, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE affiliation_agreements SET status = 'active', activated_by = $2,"
                                          " activated_at = $5, file_address = $3, file_bytes = $4, updated_at = $5"
                                          " WHERE id = $1 AND status = 'proposed'");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, user_id);
    db_bind_text(st, 3, file_address);
    db_bind_int(st, 4, file_bytes);
    db_bind_int(st, 5, now);
    return run_changed(st);
}

int store_agreement_terminate(struct db_conn *conn, const char *id, const char *user_id, const char *reason,
                              int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE affiliation_agreements SET status = 'terminated', terminated_by = $2,"
                                          " terminated_at = $4, termination_reason = $3, updated_at = $4"
                                          " WHERE id = $1 AND status IN ('proposed', 'active')");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, user_id);
    db_bind_text(st, 3, reason);
    db_bind_int(st, 4, now);
    return run_changed(st);
}

/* serves: affiliation_agreements_by_end (status, end_date) */
int store_agreements_past_end(struct db_conn *conn, struct arena *arena, const char *today, int limit,
                              struct store_agreement **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM
                                          "WHERE a.status = 'active' AND a.end_date < $1 ORDER BY a.end_date, a.id"
                                          " LIMIT $2");
    db_bind_text(st, 1, today);
    db_bind_int(st, 2, limit);
    return read_agreements(arena, st, out, count);
}

int store_agreement_expire(struct db_conn *conn, const char *id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE affiliation_agreements SET status = 'expired', updated_at = $2"
                                          " WHERE id = $1 AND status = 'active'");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return run_changed(st);
}

/* serves: affiliation_agreements_by_end (status, end_date) */
int store_agreements_ending(struct db_conn *conn, struct arena *arena, const char *from, const char *through,
                            int limit, struct store_agreement **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM
                                          "WHERE a.status = 'active' AND a.end_date >= $1 AND a.end_date <= $2"
                                          " ORDER BY a.end_date, a.id LIMIT $3");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, through);
    db_bind_int(st, 3, limit);
    return read_agreements(arena, st, out, count);
}

int store_agreement_claim_reminder(struct db_conn *conn, const char *id, int64_t bit)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE affiliation_agreements SET reminders = reminders | $2"
                                          " WHERE id = $1 AND (reminders & $2) <> $2");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, bit);
    return run_changed(st);
}

static void read_affiliation(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_affiliation *f = item;
    f->host_id = store_column_dup(arena, st, 0);
    f->start_date = store_column_dup(arena, st, 1);
    f->end_date = store_column_dup(arena, st, 2);
}

/* serves: school_students_by_student (student_id, status), then affiliation_agreements_by_school */
int store_student_affiliations(struct db_conn *conn, struct arena *arena, const char *student_id,
                               struct store_affiliation **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT a.host_id, a.start_date, a.end_date FROM school_students ss"
                                          " JOIN affiliation_agreements a ON a.school_id = ss.organization_id"
                                          " WHERE ss.student_id = $1 AND ss.status = 'active' AND a.status = 'active'"
                                          " ORDER BY a.host_id, a.start_date");
    db_bind_text(st, 1, student_id);
    return store_read_rows(arena, st, read_affiliation, sizeof(**out), (void **)out, count);
}
