/* match_rounds.c — match rounds, their seats, lists and results; see match_rounds.h. */
#include "lib/limits.h"
#include "store/match_rounds.h"
#include "store/util.h"

#include <string.h>

#define ROUND_COLUMNS                                                                                         \
    "r.id, r.school_id, r.name, r.mode, r.seed, r.status, r.created_by, r.order_sha256, r.verification,"      \
    " r.max_placements, r.deadline, r.created_at, r.updated_at, COALESCE(r.matched_at, 0),"                  \
    " COALESCE(r.published_at, 0), r.proposals, o.name,"                                                     \
    " (SELECT COUNT(*) FROM match_round_students s WHERE s.round_id = r.id),"                                \
    " (SELECT COUNT(*) FROM match_round_blocks b WHERE b.round_id = r.id),"                                  \
    " (SELECT COALESCE(SUM(b.seats), 0) FROM match_round_blocks b WHERE b.round_id = r.id)"
#define ROUND_FROM " FROM match_rounds r JOIN organizations o ON o.id = r.school_id "
/* The rounds a list may show: of a school ($1), with a student ($2), with a
 * block of one of the hosts in the comma-separated $3 (each '' for any). */
#define ROUND_SCOPE                                                                                                   \
    "WHERE (CAST($1 AS TEXT) = '' OR r.school_id = $1)"                                                               \
    " AND (CAST($2 AS TEXT) = '' OR EXISTS (SELECT 1 FROM match_round_students s WHERE s.round_id = r.id"            \
    " AND s.student_id = $2))"                                                                                        \
    " AND (CAST($3 AS TEXT) = '' OR EXISTS (SELECT 1 FROM match_round_blocks mb JOIN blocks bl ON bl.id = mb.block_id" \
    " JOIN offerings f ON f.id = bl.offering_id WHERE mb.round_id = r.id"                                             \
    " AND (',' || $3 || ',') LIKE ('%,' || f.organization_id || ',%')))"

static void read_round(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_match_round *r = item;
    memset(r, 0, sizeof(*r));
    r->id = store_column_dup(arena, st, 0);
    r->school_id = store_column_dup(arena, st, 1);
    r->name = store_column_dup(arena, st, 2);
    r->mode = store_column_dup(arena, st, 3);
    r->seed = store_column_dup(arena, st, 4);
    r->status = store_column_dup(arena, st, 5);
    r->created_by = store_column_dup(arena, st, 6);
    r->order_sha256 = store_column_dup(arena, st, 7);
    r->verification = store_column_dup(arena, st, 8);
    r->max_placements = db_column_int(st, 9);
    r->deadline = db_column_int(st, 10);
    r->created_at = db_column_int(st, 11);
    r->updated_at = db_column_int(st, 12);
    r->matched_at = db_column_int(st, 13);
    r->published_at = db_column_int(st, 14);
    r->proposals = db_column_int(st, 15);
    r->school_name = store_column_dup(arena, st, 16);
    r->students = db_column_int(st, 17);
    r->blocks = db_column_int(st, 18);
    r->seats = db_column_int(st, 19);
}

/* Steps an UPDATE or DELETE: DB_OK when it changed a row, DB_DONE when none matched. */
static int run_changed(struct db_stmt *st)
{
    return store_change_any(st);
}

int store_match_round_insert(struct db_conn *conn, const struct store_match_round *r)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO match_rounds (id, school_id, name, mode, max_placements, seed,"
                                          " deadline, status, created_by, created_at, updated_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)");
    db_bind_text(st, 1, r->id);
    db_bind_text(st, 2, r->school_id);
    db_bind_text(st, 3, r->name);
    db_bind_text(st, 4, r->mode);
    db_bind_int(st, 5, r->max_placements);
    db_bind_text(st, 6, r->seed);
    db_bind_int(st, 7, r->deadline);
    db_bind_text(st, 8, r->status);
    db_bind_text(st, 9, r->created_by);
    db_bind_int(st, 10, r->created_at);
    return store_run(st);
}

int store_match_round_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_match_round *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " ROUND_COLUMNS ROUND_FROM "WHERE r.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_round, sizeof(*out), out);
}

/* Reads the rows of a query selecting ROUND_COLUMNS. */
static int read_rounds(struct arena *arena, struct db_stmt *st, struct store_match_round **out, size_t *count)
{
    return store_read_rows(arena, st, read_round, sizeof(**out), (void **)out, count);
}

int store_match_rounds_page(struct db_conn *conn, struct arena *arena, const struct store_match_rounds_filter *f,
                            struct store_match_round **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT " ROUND_COLUMNS ROUND_FROM ROUND_SCOPE
              " AND (CAST($4 AS TEXT) IS NULL OR r.created_at < $5 OR (r.created_at = $5 AND r.id > $4))"
              " ORDER BY r.created_at DESC, r.id LIMIT $6");
    db_bind_text(st, 1, f->school_id != NULL ? f->school_id : "");
    db_bind_text(st, 2, f->student_id != NULL ? f->student_id : "");
    db_bind_text(st, 3, f->host_ids != NULL ? f->host_ids : "");
    db_bind_text(st, 4, f->after_id);
    db_bind_int(st, 5, f->after_created_at);
    db_bind_int(st, 6, f->limit);
    return read_rounds(arena, st, out, count);
}

int store_match_round_move(struct db_conn *conn, const char *id, const char *from, const char *to, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE match_rounds SET status = $3, updated_at = $4,"
                                          " published_at = CASE WHEN CAST($3 AS TEXT) = 'published' THEN $4 ELSE published_at END"
                                          " WHERE id = $1 AND status = $2");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_int(st, 4, now);
    return run_changed(st);
}

int store_match_round_set_result(struct db_conn *conn, const char *id, const char *order_sha256, int64_t proposals,
                                 const char *verification, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE match_rounds SET order_sha256 = $2, proposals = $3,"
                                          " verification = $4, matched_at = $5, updated_at = $5 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, order_sha256);
    db_bind_int(st, 3, proposals);
    db_bind_text(st, 4, verification);
    db_bind_int(st, 5, now);
    return run_changed(st);
}

/* ---- the cohort ---- */

int store_match_round_student_add(struct db_conn *conn, const char *round_id, const char *student_id)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO match_round_students (round_id, student_id) VALUES ($1, $2)"
                                          " ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id);
    return store_run(st);
}

static void read_match_member(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_match_member *m = item;
    m->student_id = store_column_dup(arena, st, 0);
    m->name = store_column_dup(arena, st, 1);
    m->email = store_column_dup(arena, st, 2);
    m->ranked = db_column_int(st, 3);
    m->explanation = store_column_dup(arena, st, 4);
}

int store_match_round_students(struct db_conn *conn, struct arena *arena, const char *round_id,
                               struct store_match_member **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT u.id, u.name, u.email,"
                                          " (SELECT COUNT(*) FROM match_student_ranks k WHERE k.round_id = s.round_id"
                                          " AND k.student_id = s.student_id), oc.explanation"
                                          " FROM match_round_students s JOIN users u ON u.id = s.student_id"
                                          " LEFT JOIN match_outcomes oc ON oc.round_id = s.round_id"
                                          " AND oc.student_id = s.student_id"
                                          " WHERE s.round_id = $1 ORDER BY u.name, u.id");
    db_bind_text(st, 1, round_id);
    return store_read_rows(arena, st, read_match_member, sizeof(**out), (void **)out, count);
}

int store_match_round_has_student(struct db_conn *conn, const char *round_id, const char *student_id, bool *in)
{
    struct db_stmt *st = db_prepare(conn, "SELECT 1 FROM match_round_students WHERE round_id = $1 AND student_id = $2");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id);
    int rc = db_step(st);
    *in = rc == DB_ROW;
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- blocks and seats ---- */

int store_match_round_block_add(struct db_conn *conn, const char *round_id, const char *block_id, int64_t seats)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE blocks SET seats_reserved = seats_reserved + $2"
                                          " WHERE id = $1 AND seats - seats_taken - seats_reserved >= $2");
    db_bind_text(st, 1, block_id);
    db_bind_int(st, 2, seats);
    int rc = run_changed(st);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "INSERT INTO match_round_blocks (round_id, block_id, seats) VALUES ($1, $2, $3)");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, block_id);
    db_bind_int(st, 3, seats);
    return store_run(st);
}

int store_match_round_block_remove(struct db_conn *conn, const char *round_id, const char *block_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT seats FROM match_round_blocks WHERE round_id = $1 AND block_id = $2");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, block_id);
    int64_t seats;
    int rc = store_one_int(st, &seats);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "DELETE FROM match_round_blocks WHERE round_id = $1 AND block_id = $2");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, block_id);
    rc = run_changed(st);
    if (rc == DB_OK) {
        st = db_prepare(conn, "DELETE FROM match_student_ranks WHERE round_id = $1 AND block_id = $2");
        db_bind_text(st, 1, round_id);
        db_bind_text(st, 2, block_id);
        rc = store_run(st);
    }
    if (rc == DB_OK) {
        st = db_prepare(conn, "DELETE FROM match_host_ranks WHERE round_id = $1 AND block_id = $2");
        db_bind_text(st, 1, round_id);
        db_bind_text(st, 2, block_id);
        rc = store_run(st);
    }
    return rc == DB_OK ? store_block_release_reserved(conn, block_id, seats) : rc;
}

static void read_round_block(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_match_round_block *b = item;
    b->round_id = store_column_dup(arena, st, 0);
    b->block_id = store_column_dup(arena, st, 1);
    b->ranking = store_column_dup(arena, st, 2);
    b->seats = db_column_int(st, 3);
    b->offering_id = store_column_dup(arena, st, 4);
    b->offering_title = store_column_dup(arena, st, 5);
    b->host_id = store_column_dup(arena, st, 6);
    b->host_name = store_column_dup(arena, st, 7);
    b->specialty = store_column_dup(arena, st, 8);
    b->start_date = store_column_dup(arena, st, 9);
    b->end_date = store_column_dup(arena, st, 10);
    b->applicants = db_column_int(st, 11);
    b->placed = db_column_int(st, 12);
}

int store_match_round_blocks(struct db_conn *conn, struct arena *arena, const char *round_id,
                             struct store_match_round_block **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT mb.round_id, mb.block_id, mb.ranking, mb.seats, f.id, f.title, f.organization_id, o.name,"
              " f.specialty, bl.start_date, bl.end_date,"
              " (SELECT COUNT(*) FROM match_student_ranks k WHERE k.round_id = mb.round_id"
              " AND k.block_id = mb.block_id),"
              " (SELECT COUNT(*) FROM match_placements p WHERE p.round_id = mb.round_id AND p.block_id = mb.block_id)"
              " FROM match_round_blocks mb JOIN blocks bl ON bl.id = mb.block_id"
              " JOIN offerings f ON f.id = bl.offering_id JOIN organizations o ON o.id = f.organization_id"
              " WHERE mb.round_id = $1 ORDER BY bl.start_date, f.title, mb.block_id");
    db_bind_text(st, 1, round_id);
    return store_read_rows(arena, st, read_round_block, sizeof(**out), (void **)out, count);
}

int store_match_round_block_set_ranking(struct db_conn *conn, const char *round_id, const char *block_id,
                                        const char *ranking)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE match_round_blocks SET ranking = $3 WHERE round_id = $1"
                                          " AND block_id = $2");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, block_id);
    db_bind_text(st, 3, ranking);
    return run_changed(st);
}

/* ---- lists ---- */

int store_match_student_ranks_set(struct db_conn *conn, const char *round_id, const char *student_id,
                                  const char *const *block_ids, size_t count)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM match_student_ranks WHERE round_id = $1 AND student_id = $2");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id);
    int rc = store_run(st);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        st = db_prepare(conn, "INSERT INTO match_student_ranks (round_id, student_id, block_id, position)"
                              " VALUES ($1, $2, $3, $4)");
        db_bind_text(st, 1, round_id);
        db_bind_text(st, 2, student_id);
        db_bind_text(st, 3, block_ids[i]);
        db_bind_int(st, 4, (int64_t)i + 1);
        rc = store_run(st);
    }
    return rc;
}

int store_match_host_ranks_set(struct db_conn *conn, const char *round_id, const char *block_id,
                               const char *const *student_ids, const int64_t *tiers, size_t count)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM match_host_ranks WHERE round_id = $1 AND block_id = $2");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, block_id);
    int rc = store_run(st);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        st = db_prepare(conn, "INSERT INTO match_host_ranks (round_id, block_id, student_id, tier)"
                              " VALUES ($1, $2, $3, $4)");
        db_bind_text(st, 1, round_id);
        db_bind_text(st, 2, block_id);
        db_bind_text(st, 3, student_ids[i]);
        db_bind_int(st, 4, tiers[i]);
        rc = store_run(st);
    }
    return rc;
}

static void read_match_entry(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_match_entry *e = item;
    e->student_id = store_column_dup(arena, st, 0);
    e->block_id = store_column_dup(arena, st, 1);
    e->position = db_column_int(st, 2);
}

static int read_entries(struct arena *arena, struct db_stmt *st, struct store_match_entry **out, size_t *count)
{
    return store_read_rows(arena, st, read_match_entry, sizeof(**out), (void **)out, count);
}

int store_match_student_ranks(struct db_conn *conn, struct arena *arena, const char *round_id, const char *student_id,
                              struct store_match_entry **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT student_id, block_id, position FROM match_student_ranks"
                                          " WHERE round_id = $1 AND (CAST($2 AS TEXT) = '' OR student_id = $2)"
                                          " ORDER BY student_id, position");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id != NULL ? student_id : "");
    return read_entries(arena, st, out, count);
}

int store_match_host_ranks(struct db_conn *conn, struct arena *arena, const char *round_id, const char *block_id,
                           struct store_match_entry **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT student_id, block_id, tier FROM match_host_ranks"
                                          " WHERE round_id = $1 AND (CAST($2 AS TEXT) = '' OR block_id = $2)"
                                          " ORDER BY block_id, tier, student_id");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, block_id != NULL ? block_id : "");
    return read_entries(arena, st, out, count);
}

int store_match_placements(struct db_conn *conn, struct arena *arena, const char *round_id, const char *student_id,
                           struct store_match_entry **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT student_id, block_id, 0 FROM match_placements"
                                          " WHERE round_id = $1 AND (CAST($2 AS TEXT) = '' OR student_id = $2)"
                                          " ORDER BY student_id, block_id");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id != NULL ? student_id : "");
    return read_entries(arena, st, out, count);
}

/* ---- results ---- */

int store_match_results_clear(struct db_conn *conn, const char *round_id)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM match_placements WHERE round_id = $1");
    db_bind_text(st, 1, round_id);
    int rc = store_run(st);
    if (rc == DB_OK) {
        st = db_prepare(conn, "DELETE FROM match_outcomes WHERE round_id = $1");
        db_bind_text(st, 1, round_id);
        rc = store_run(st);
    }
    return rc;
}

int store_match_outcome_add(struct db_conn *conn, const char *round_id, const char *student_id,
                            const char *explanation)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO match_outcomes (round_id, student_id, explanation)"
                                          " VALUES ($1, $2, $3)");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id);
    db_bind_text(st, 3, explanation);
    return store_run(st);
}

int store_match_placement_add(struct db_conn *conn, const char *round_id, const char *student_id,
                              const char *block_id)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO match_placements (round_id, student_id, block_id)"
                                          " VALUES ($1, $2, $3)");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id);
    db_bind_text(st, 3, block_id);
    return store_run(st);
}

int store_match_outcome_of(struct db_conn *conn, struct arena *arena, const char *round_id, const char *student_id,
                           const char **explanation)
{
    struct db_stmt *st = db_prepare(conn, "SELECT explanation FROM match_outcomes WHERE round_id = $1"
                                          " AND student_id = $2");
    db_bind_text(st, 1, round_id);
    db_bind_text(st, 2, student_id);
    int rc = db_step(st);
    *explanation = rc == DB_ROW ? store_column_dup(arena, st, 0) : NULL;
    db_reset(st);
    return rc;
}

static void read_block_candidate(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_match_round_block *b = item;
    b->block_id = store_column_dup(arena, st, 0);
    b->offering_id = store_column_dup(arena, st, 1);
    b->offering_title = store_column_dup(arena, st, 2);
    b->host_id = store_column_dup(arena, st, 3);
    b->host_name = store_column_dup(arena, st, 4);
    b->specialty = store_column_dup(arena, st, 5);
    b->start_date = store_column_dup(arena, st, 6);
    b->end_date = store_column_dup(arena, st, 7);
    b->seats = db_column_int(st, 8);
}

int store_match_block_candidates(struct db_conn *conn, struct arena *arena, const char *round_id, const char *host_id,
                                 const char *after, int limit, struct store_match_round_block **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT bl.id, f.id, f.title, f.organization_id, o.name, f.specialty, bl.start_date, bl.end_date,"
              " bl.seats - bl.seats_taken - bl.seats_reserved FROM blocks bl JOIN offerings f ON f.id = bl.offering_id"
              " JOIN organizations o ON o.id = f.organization_id WHERE f.status = 'published' AND bl.start_date > $1"
              " AND bl.seats - bl.seats_taken - bl.seats_reserved > 0 AND ($4 = '' OR f.organization_id = $4)"
              " AND NOT EXISTS (SELECT 1 FROM match_round_blocks rb WHERE rb.round_id = $3 AND rb.block_id = bl.id)"
              " ORDER BY bl.start_date, f.title, bl.id LIMIT $2");
    db_bind_text(st, 1, after);
    db_bind_int(st, 2, limit);
    db_bind_text(st, 3, round_id != NULL ? round_id : "");
    db_bind_text(st, 4, host_id != NULL ? host_id : "");
    return store_read_rows(arena, st, read_block_candidate, sizeof(**out), (void **)out, count);
}

/* ---- seats ---- */

int store_block_release_reserved(struct db_conn *conn, const char *block_id, int64_t n)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE blocks SET seats_reserved = seats_reserved - $2"
                                          " WHERE id = $1 AND seats_reserved >= $2");
    db_bind_text(st, 1, block_id);
    db_bind_int(st, 2, n);
    return run_changed(st);
}

int store_block_take_reserved_seat(struct db_conn *conn, const char *block_id)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE blocks SET seats_taken = seats_taken + 1,"
                                          " seats_reserved = seats_reserved - 1 WHERE id = $1 AND seats_reserved > 0");
    db_bind_text(st, 1, block_id);
    return run_changed(st);
}
