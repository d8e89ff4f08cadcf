/* letters.c — letters of recommendation, their invitation tokens and file
 * versions, the readiness targets and the counts readiness needs; see
 * letters.h. */
#include "store/letters.h"
#include "store/util.h"

#include <string.h>

/* Whether letter l comes from a U.S. physician: the preceptor it was asked
 * of (only through their own account or verified address), or the one staff
 * confirmed as the author of a request by name and email, is verified. An
 * author's address or account alone never counts. */
#define LETTER_FROM_US(l)                                                                                     \
    "EXISTS (SELECT 1 FROM preceptors vp WHERE vp.verified = 1"                                               \
    " AND vp.id = COALESCE(" l ".preceptor_id, " l ".confirmed_preceptor_id))"

#define LETTER_COLUMNS                                                                                        \
    "l.id, l.student_id, l.author_name, l.author_email, l.author_user_id, l.preceptor_id, l.application_id,"  \
    " l.waived, COALESCE(l.waived_at, 0), l.eras_letter_id, l.state, l.decline_reason,"                       \
    " COALESCE(l.token_used_at, 0), l.requested_at, COALESCE(l.accepted_at, 0), COALESCE(l.declined_at, 0),"  \
    " COALESCE(l.uploaded_at, 0), COALESCE(l.delivered_at, 0), COALESCE(l.reminded_7_at, 0),"                \
    " COALESCE(l.reminded_14_at, 0), l.updated_at, u.name, u.email, p.user_id,"                              \
    " CASE WHEN " LETTER_FROM_US("l") " THEN 1 ELSE 0 END,"                                                   \
    " (SELECT COUNT(*) FROM letter_files f WHERE f.letter_id = l.id), l.confirmed_preceptor_id,"             \
    " COALESCE(l.confirmed_at, 0)"

/* The number of columns LETTER_COLUMNS selects (what a query adds comes after). */
enum { LETTER_COLUMN_COUNT = 28 };

#define LETTER_FROM                                                                                           \
    " FROM letters l JOIN users u ON u.id = l.student_id LEFT JOIN preceptors p ON p.id = l.preceptor_id "

static void read_letter(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_letter *l = item;
    memset(l, 0, sizeof(*l));
    l->id = store_column_dup(arena, st, 0);
    l->student_id = store_column_dup(arena, st, 1);
    l->author_name = store_column_dup(arena, st, 2);
    l->author_email = store_column_dup(arena, st, 3);
    l->author_user_id = store_column_dup(arena, st, 4);
    l->preceptor_id = store_column_dup(arena, st, 5);
    l->application_id = store_column_dup(arena, st, 6);
    l->waived = db_column_int(st, 7) != 0;
    l->waived_at = db_column_int(st, 8);
    l->eras_letter_id = store_column_dup(arena, st, 9);
    l->state = store_column_dup(arena, st, 10);
    l->decline_reason = store_column_dup(arena, st, 11);
    l->token_used_at = db_column_int(st, 12);
    l->requested_at = db_column_int(st, 13);
    l->accepted_at = db_column_int(st, 14);
    l->declined_at = db_column_int(st, 15);
    l->uploaded_at = db_column_int(st, 16);
    l->delivered_at = db_column_int(st, 17);
    l->reminded_7_at = db_column_int(st, 18);
    l->reminded_14_at = db_column_int(st, 19);
    l->updated_at = db_column_int(st, 20);
    l->student_name = store_column_dup(arena, st, 21);
    l->student_email = store_column_dup(arena, st, 22);
    l->preceptor_user_id = store_column_dup(arena, st, 23);
    l->from_us_physician = db_column_int(st, 24) != 0;
    l->version_count = db_column_int(st, 25);
    l->confirmed_preceptor_id = store_column_dup(arena, st, 26);
    l->confirmed_at = db_column_int(st, 27);
}

/* Steps an UPDATE: DB_OK when it changed a row, DB_DONE when none matched. */
static int run_changed(struct db_stmt *st)
{
    return store_change_any(st);
}

/* Reads every row of a listing statement into an arena array. */
static int read_letters(struct arena *arena, struct db_stmt *st, struct store_letter **out, size_t *count)
{
    return store_read_rows(arena, st, read_letter, sizeof(**out), (void **)out, count);
}

int store_letter_insert(struct db_conn *conn, const struct store_letter *l)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO letters (id, student_id, author_name, author_email,"
                                          " author_user_id, preceptor_id, application_id, waived, waived_at,"
                                          " eras_letter_id, state, decline_reason, requested_at, updated_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', $12, $12)");
    db_bind_text(st, 1, l->id);
    db_bind_text(st, 2, l->student_id);
    db_bind_text(st, 3, l->author_name);
    db_bind_text(st, 4, l->author_email);
    db_bind_text(st, 5, l->author_user_id);
    db_bind_text(st, 6, l->preceptor_id);
    db_bind_text(st, 7, l->application_id);
    db_bind_int(st, 8, l->waived ? 1 : 0);
    if (l->waived)
        db_bind_int(st, 9, l->waived_at > 0 ? l->waived_at : l->requested_at);
    else
        db_bind_null(st, 9);
    db_bind_text(st, 10, l->eras_letter_id != NULL ? l->eras_letter_id : "");
    db_bind_text(st, 11, l->state != NULL ? l->state : "requested");
    db_bind_int(st, 12, l->requested_at);
    return store_run(st);
}

int store_letter_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_letter *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " LETTER_COLUMNS LETTER_FROM "WHERE l.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_letter, sizeof(*out), out);
}

int store_letter_token_add(struct db_conn *conn, const char *letter_id, const char *token_hash, int64_t expires_at,
                           int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO letter_tokens (token_hash, letter_id, expires_at, created_at)"
                                          " VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, letter_id);
    db_bind_int(st, 3, expires_at);
    db_bind_int(st, 4, now);
    return store_run(st);
}

int store_letter_by_token(struct db_conn *conn, struct arena *arena, const char *token_hash, struct store_letter *out,
                          int64_t *token_expires_at)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " LETTER_COLUMNS ", t.expires_at" LETTER_FROM
                                          "JOIN letter_tokens t ON t.letter_id = l.id WHERE t.token_hash = $1");
    db_bind_text(st, 1, token_hash);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        read_letter(arena, st, out);
        if (token_expires_at != NULL)
            *token_expires_at = db_column_int(st, LETTER_COLUMN_COUNT);
    }
    db_reset(st);
    return rc;
}

int store_letter_move(struct db_conn *conn, const char *id, const char *from, const char *to, const char *reason,
                      int64_t now)
{
    /* One statement for every move: the column of the new state gets now; an
     * upload straight from requested counts as accepted too. */
    struct db_stmt *st = db_prepare(
        conn, "UPDATE letters SET state = $3,"
              " accepted_at = CASE WHEN $3 = 'accepted' THEN $5"
              " WHEN $3 = 'uploaded' THEN COALESCE(accepted_at, $5) ELSE accepted_at END,"
              " declined_at = CASE WHEN $3 = 'declined' THEN $5 ELSE declined_at END,"
              " uploaded_at = CASE WHEN $3 = 'uploaded' THEN $5 ELSE uploaded_at END,"
              " delivered_at = CASE WHEN $3 = 'delivered' THEN $5 ELSE delivered_at END,"
              " decline_reason = CASE WHEN $3 = 'declined' THEN $4 ELSE decline_reason END,"
              " updated_at = $5 WHERE id = $1 AND state = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, reason != NULL ? reason : "");
    db_bind_int(st, 5, now);
    return run_changed(st);
}

int store_letter_set_eras_id(struct db_conn *conn, const char *id, const char *eras_letter_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE letters SET eras_letter_id = $2, updated_at = $3 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, eras_letter_id != NULL ? eras_letter_id : "");
    db_bind_int(st, 3, now);
    return store_run(st);
}

int store_letter_waive(struct db_conn *conn, const char *id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE letters SET waived = 1, waived_at = $2, updated_at = $2"
                                          " WHERE id = $1 AND waived = 0");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return run_changed(st);
}

int store_letter_use_token(struct db_conn *conn, const char *id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE letters SET token_used_at = COALESCE(token_used_at, $2),"
                                          " updated_at = $2 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return store_run(st);
}

int store_letter_set_reminded(struct db_conn *conn, const char *id, int days, int64_t now)
{
    const char *sql;
    if (days == 7)
        sql = "UPDATE letters SET reminded_7_at = $2 WHERE id = $1 AND reminded_7_at IS NULL"
              " AND state IN ('requested', 'accepted')";
    else if (days == 14)
        sql = "UPDATE letters SET reminded_14_at = $2 WHERE id = $1 AND reminded_14_at IS NULL"
              " AND state IN ('requested', 'accepted')";
    else
        return DB_ERROR;
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return run_changed(st);
}

int store_letters_list(struct db_conn *conn, struct arena *arena, const struct store_letter_filter *f,
                       struct store_letter **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT " LETTER_COLUMNS LETTER_FROM
              "WHERE ($1 = 1 OR l.student_id = $2 OR l.author_user_id = $3 OR p.user_id = $3)"
              " AND ($4 = 0 OR (l.state IN ('requested', 'accepted') AND l.requested_at < $5))"
              " AND (CAST($6 AS TEXT) IS NULL OR l.id < $6) ORDER BY l.id DESC LIMIT $7");
    bool everyone = f->all || (f->overdue && f->student_id == NULL && f->author_user_id == NULL);
    db_bind_int(st, 1, everyone ? 1 : 0);
    db_bind_text(st, 2, f->student_id);
    db_bind_text(st, 3, f->author_user_id);
    db_bind_int(st, 4, f->overdue ? 1 : 0);
    db_bind_int(st, 5, f->overdue_before);
    db_bind_text(st, 6, f->after_id);
    db_bind_int(st, 7, f->limit > 0 ? f->limit : 100);
    return read_letters(arena, st, out, count);
}

int store_letters_open_before(struct db_conn *conn, struct arena *arena, int64_t before, struct store_letter **out,
                              size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " LETTER_COLUMNS LETTER_FROM
                                          "WHERE l.state IN ('requested', 'accepted') AND l.requested_at < $1"
                                          " ORDER BY l.requested_at, l.id LIMIT 1000");
    db_bind_int(st, 1, before);
    return read_letters(arena, st, out, count);
}

int store_letters_reminders_due(struct db_conn *conn, struct arena *arena, int64_t week_before,
                                int64_t two_weeks_before, int limit, struct store_letter **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT " LETTER_COLUMNS LETTER_FROM
              "WHERE l.state IN ('requested', 'accepted') AND l.requested_at <= $1"
              " AND ((l.reminded_7_at IS NULL AND l.reminded_14_at IS NULL)"
              " OR (l.reminded_14_at IS NULL AND l.requested_at <= $2))"
              " ORDER BY l.requested_at, l.id LIMIT $3");
    db_bind_int(st, 1, week_before);
    db_bind_int(st, 2, two_weeks_before);
    db_bind_int(st, 3, limit);
    return read_letters(arena, st, out, count);
}

int store_letter_file_insert(struct db_conn *conn, const struct store_letter_file *f)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO letter_files (id, letter_id, version, blob, size, uploaded_by,"
                                          " uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    db_bind_text(st, 1, f->id);
    db_bind_text(st, 2, f->letter_id);
    db_bind_int(st, 3, f->version);
    db_bind_text(st, 4, f->blob);
    db_bind_int(st, 5, f->size);
    db_bind_text(st, 6, f->uploaded_by);
    db_bind_int(st, 7, f->uploaded_at);
    return store_run(st);
}

static void read_letter_file(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_letter_file *f = item;
    f->id = store_column_dup(arena, st, 0);
    f->letter_id = store_column_dup(arena, st, 1);
    f->blob = store_column_dup(arena, st, 2);
    f->uploaded_by = store_column_dup(arena, st, 3);
    f->version = db_column_int(st, 4);
    f->size = db_column_int(st, 5);
    f->uploaded_at = db_column_int(st, 6);
}

int store_letter_files(struct db_conn *conn, struct arena *arena, const char *letter_id, struct store_letter_file **out,
                       size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id, letter_id, blob, uploaded_by, version, size, uploaded_at"
                                          " FROM letter_files WHERE letter_id = $1 ORDER BY version DESC");
    db_bind_text(st, 1, letter_id);
    return store_read_rows(arena, st, read_letter_file, sizeof(**out), (void **)out, count);
}

/* ---- readiness ---- */

int store_readiness_targets(struct db_conn *conn, int64_t *letters, int64_t *letters_us, int64_t *usce_weeks)
{
    /* The migration's defaults, should a row be missing. */
    *letters = 3;
    *letters_us = 1;
    *usce_weeks = 12;
    struct db_stmt *st = db_prepare(conn, "SELECT name, value FROM readiness_targets");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *name = db_column_text(st, 0);
        int64_t value = db_column_int(st, 1);
        if (name == NULL)
            continue;
        if (strcmp(name, "letters") == 0)
            *letters = value;
        else if (strcmp(name, "letters_us") == 0)
            *letters_us = value;
        else if (strcmp(name, "usce_weeks") == 0)
            *usce_weeks = value;
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_readiness_target_set(struct db_conn *conn, const char *name, int64_t value, const char *user_id,
                               int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO readiness_targets (name, value, updated_by, updated_at)"
                                          " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE"
                                          " SET value = excluded.value, updated_by = excluded.updated_by,"
                                          " updated_at = excluded.updated_at");
    db_bind_text(st, 1, name);
    db_bind_int(st, 2, value);
    db_bind_text(st, 3, user_id);
    db_bind_int(st, 4, now);
    return store_run(st);
}

int store_student_letter_counts(struct db_conn *conn, const char *student_id, int64_t *done, int64_t *done_us,
                                int64_t *open)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT COALESCE(SUM(CASE WHEN l.state IN ('uploaded', 'delivered') THEN 1 ELSE 0 END), 0),"
              " COALESCE(SUM(CASE WHEN l.state IN ('uploaded', 'delivered') AND " LETTER_FROM_US("l")
              " THEN 1 ELSE 0 END), 0),"
              " COALESCE(SUM(CASE WHEN l.state IN ('requested', 'accepted') THEN 1 ELSE 0 END), 0)"
              " FROM letters l WHERE l.student_id = $1");
    db_bind_text(st, 1, student_id);
    *done = *done_us = *open = 0;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *done = db_column_int(st, 0);
        *done_us = db_column_int(st, 1);
        *open = db_column_int(st, 2);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_student_has_preceptor(struct db_conn *conn, const char *student_id, const char *preceptor_id,
                                bool *found)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM applications a JOIN offerings o ON o.id = a.offering_id"
                                          " WHERE a.student_id = $1 AND o.preceptor_id = $2"
                                          " AND a.status IN ('held', 'booked', 'cleared', 'in_progress', 'completed')");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, preceptor_id);
    return store_count_any(st, found);
}

int store_letters_requested_since(struct db_conn *conn, const char *student_id, int64_t since, int64_t *count,
                                  int64_t *first_at)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*), COALESCE(MIN(requested_at), 0) FROM letters"
                                          " WHERE student_id = $1 AND requested_at > $2");
    db_bind_text(st, 1, student_id);
    db_bind_int(st, 2, since);
    return store_two_ints(st, count, first_at);
}

int store_letter_open_to(struct db_conn *conn, const char *student_id, const char *author_email, bool *open)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM letters WHERE student_id = $1 AND author_email = $2"
                                          " AND state IN ('requested', 'accepted')");
    db_bind_text(st, 1, student_id);
    db_bind_text(st, 2, author_email);
    return store_count_any(st, open);
}

int store_letter_confirm_author(struct db_conn *conn, const char *id, const char *preceptor_id, const char *by,
                                int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE letters SET confirmed_preceptor_id = $2, confirmed_by = $3,"
                                          " confirmed_at = $4, updated_at = $4 WHERE id = $1 AND preceptor_id IS NULL");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, preceptor_id);
    db_bind_text(st, 3, by);
    db_bind_int(st, 4, now);
    return run_changed(st);
}
