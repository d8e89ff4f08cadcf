/* evaluations.c — evaluations, their addenda, the student's confidential
 * feedback and the public reviews; see evaluations.h. */
#include "store/evaluations.h"
#include "store/util.h"

#include <string.h>

/* ---- the preceptor's evaluation ---- */

int store_evaluation_insert(struct db_conn *conn, const struct store_evaluation *e)
{
    struct db_stmt *st = db_prepare(
        conn, "INSERT INTO evaluations (application_id, evaluator_id, medical_interviewing, physical_examination,"
              " professionalism, clinical_judgement, counselling, organisation, overall, strengths, improvements,"
              " would_write_letter, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
    db_bind_text(st, 1, e->application_id);
    db_bind_text(st, 2, e->evaluator_id);
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++) {
        if (e->scores[i] > 0)
            db_bind_int(st, 3 + i, e->scores[i]);
        else
            db_bind_null(st, 3 + i);
    }
    db_bind_text(st, 10, e->strengths);
    db_bind_text(st, 11, e->improvements);
    db_bind_int(st, 12, e->would_write_letter ? 1 : 0);
    db_bind_int(st, 13, e->submitted_at);
    return store_run(st);
}

int store_evaluation_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                         struct store_evaluation *out)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT e.application_id, e.evaluator_id, u.name, e.strengths, e.improvements, e.would_write_letter,"
              " e.submitted_at, COALESCE(e.medical_interviewing, -1), COALESCE(e.physical_examination, -1),"
              " COALESCE(e.professionalism, -1), COALESCE(e.clinical_judgement, -1), COALESCE(e.counselling, -1),"
              " COALESCE(e.organisation, -1), COALESCE(e.overall, -1)"
              " FROM evaluations e JOIN users u ON u.id = e.evaluator_id WHERE e.application_id = $1");
    db_bind_text(st, 1, application_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof(*out));
        out->application_id = store_column_dup(arena, st, 0);
        out->evaluator_id = store_column_dup(arena, st, 1);
        out->evaluator_name = store_column_dup(arena, st, 2);
        out->strengths = store_column_dup(arena, st, 3);
        out->improvements = store_column_dup(arena, st, 4);
        out->would_write_letter = db_column_int(st, 5) != 0;
        out->submitted_at = db_column_int(st, 6);
        for (int i = 0; i < STORE_EVALUATION_SCORES; i++)
            out->scores[i] = db_column_int(st, 7 + i);
    }
    db_reset(st);
    return rc;
}

int store_addendum_insert(struct db_conn *conn, const struct store_addendum *a)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO evaluation_addenda (id, application_id, author_id, body,"
                                          " created_at) VALUES ($1, $2, $3, $4, $5)");
    db_bind_text(st, 1, a->id);
    db_bind_text(st, 2, a->application_id);
    db_bind_text(st, 3, a->author_id);
    db_bind_text(st, 4, a->body);
    db_bind_int(st, 5, a->created_at);
    return store_run(st);
}

static void read_addendum(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_addendum *a = item;
    a->id = store_column_dup(arena, st, 0);
    a->application_id = store_column_dup(arena, st, 1);
    a->author_id = store_column_dup(arena, st, 2);
    a->author_name = store_column_dup(arena, st, 3);
    a->body = store_column_dup(arena, st, 4);
    a->created_at = db_column_int(st, 5);
}

int store_addenda(struct db_conn *conn, struct arena *arena, const char *application_id, struct store_addendum **out,
                  size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT a.id, a.application_id, a.author_id, u.name, a.body, a.created_at"
                                          " FROM evaluation_addenda a JOIN users u ON u.id = a.author_id"
                                          " WHERE a.application_id = $1 ORDER BY a.created_at, a.id LIMIT 100");
    db_bind_text(st, 1, application_id);
    return store_read_rows(arena, st, read_addendum, sizeof(**out), (void **)out, count);
}

int store_evaluations_missing(struct db_conn *conn, struct arena *arena, const char *from, const char *to, int limit,
                              const char ***ids, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT a.id FROM applications a JOIN blocks b ON b.id = a.block_id"
                                          " WHERE a.status = 'completed' AND b.end_date >= $1 AND b.end_date <= $2"
                                          " AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = a.id)"
                                          " ORDER BY a.id LIMIT $3");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    db_bind_int(st, 3, limit);
    return store_read_ids(arena, st, ids, count);
}

/* ---- the student's confidential feedback ---- */

int store_feedback_insert(struct db_conn *conn, const struct store_feedback *f)
{
    struct db_stmt *st = db_prepare(
        conn, "INSERT INTO rotation_feedback (application_id, offering_id, organization_id, preceptor_id, teaching,"
              " supervision, feedback, environment, overall, comments, submitted_at)"
              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
    db_bind_text(st, 1, f->application_id);
    db_bind_text(st, 2, f->offering_id);
    db_bind_text(st, 3, f->organization_id);
    db_bind_text(st, 4, f->preceptor_id);
    for (int i = 0; i < STORE_FEEDBACK_SCORES; i++)
        db_bind_int(st, 5 + i, f->scores[i]);
    db_bind_text(st, 10, f->comments != NULL ? f->comments : "");
    db_bind_int(st, 11, f->submitted_at);
    return store_run(st);
}

int store_feedback_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                       struct store_feedback *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT application_id, offering_id, organization_id, preceptor_id,"
                                          " comments, submitted_at, teaching, supervision, feedback, environment,"
                                          " overall FROM rotation_feedback WHERE application_id = $1");
    db_bind_text(st, 1, application_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof(*out));
        out->application_id = store_column_dup(arena, st, 0);
        out->offering_id = store_column_dup(arena, st, 1);
        out->organization_id = store_column_dup(arena, st, 2);
        out->preceptor_id = store_column_dup(arena, st, 3);
        out->comments = store_column_dup(arena, st, 4);
        out->submitted_at = db_column_int(st, 5);
        for (int i = 0; i < STORE_FEEDBACK_SCORES; i++)
            out->scores[i] = db_column_int(st, 6 + i);
    }
    db_reset(st);
    return rc;
}

int store_feedback_totals(struct db_conn *conn, const char *organization_id, const char *offering_id,
                          struct store_feedback_totals *out)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT COUNT(*), COALESCE(SUM(teaching), 0), COALESCE(SUM(supervision), 0),"
              " COALESCE(SUM(feedback), 0), COALESCE(SUM(environment), 0), COALESCE(SUM(overall), 0)"
              " FROM rotation_feedback WHERE organization_id = $1"
              " AND (CAST($2 AS TEXT) IS NULL OR offering_id = $2)");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, offering_id);
    memset(out, 0, sizeof(*out));
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->students = db_column_int(st, 0);
        for (int i = 0; i < STORE_FEEDBACK_SCORES; i++)
            out->sums[i] = db_column_int(st, 1 + i);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

/* ---- reviews ---- */

#define REVIEW_SELECT                                                                                         \
    "SELECT r.id, r.application_id, r.offering_id, r.student_id, r.body, r.author_label, r.created_at,"       \
    " r.reply, r.reply_by, COALESCE(r.reply_at, 0), COALESCE(r.hidden_at, 0), r.hidden_by, r.hidden_reason,"  \
    " o.organization_id, o.title, r.teaching, r.hands_on, r.organisation, r.value_for_money, r.overall"       \
    " FROM reviews r JOIN offerings o ON o.id = r.offering_id "

static void read_review(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_review *r = item;
    memset(r, 0, sizeof(*r));
    const char **texts[] = {&r->id, &r->application_id, &r->offering_id, &r->student_id, &r->body, &r->author_label};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        *texts[i] = store_column_dup(arena, st, (int)i);
    r->created_at = db_column_int(st, 6);
    r->reply = store_column_dup(arena, st, 7);
    r->reply_by = store_column_dup(arena, st, 8);
    r->reply_at = db_column_int(st, 9);
    r->hidden_at = db_column_int(st, 10);
    r->hidden_by = store_column_dup(arena, st, 11);
    r->hidden_reason = store_column_dup(arena, st, 12);
    r->organization_id = store_column_dup(arena, st, 13);
    r->offering_title = store_column_dup(arena, st, 14);
    for (int i = 0; i < STORE_REVIEW_SCORES; i++)
        r->scores[i] = db_column_int(st, 15 + i);
}

int store_review_insert(struct db_conn *conn, const struct store_review *r)
{
    struct db_stmt *st = db_prepare(
        conn, "INSERT INTO reviews (id, application_id, offering_id, student_id, teaching, hands_on, organisation,"
              " value_for_money, overall, body, author_label, created_at)"
              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
    db_bind_text(st, 1, r->id);
    db_bind_text(st, 2, r->application_id);
    db_bind_text(st, 3, r->offering_id);
    db_bind_text(st, 4, r->student_id);
    for (int i = 0; i < STORE_REVIEW_SCORES; i++)
        db_bind_int(st, 5 + i, r->scores[i]);
    db_bind_text(st, 10, r->body);
    db_bind_text(st, 11, r->author_label);
    db_bind_int(st, 12, r->created_at);
    return store_run(st);
}

static int review_one(struct db_conn *conn, struct arena *arena, const char *sql, const char *key,
                      struct store_review *out)
{
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, key);
    return store_read_one(arena, st, read_review, sizeof(*out), out);
}

int store_review_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_review *out)
{
    return review_one(conn, arena, REVIEW_SELECT "WHERE r.id = $1", id, out);
}

int store_review_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                struct store_review *out)
{
    return review_one(conn, arena, REVIEW_SELECT "WHERE r.application_id = $1", application_id, out);
}

int store_reviews_of_offering(struct db_conn *conn, struct arena *arena, const char *offering_id, bool with_hidden,
                              int limit, struct store_review **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, REVIEW_SELECT "WHERE r.offering_id = $1 AND ($2 = 1 OR r.hidden_at IS NULL)"
                                                        " ORDER BY r.created_at DESC, r.id DESC LIMIT $3");
    db_bind_text(st, 1, offering_id);
    db_bind_int(st, 2, with_hidden ? 1 : 0);
    db_bind_int(st, 3, limit);
    return store_read_rows(arena, st, read_review, sizeof(**out), (void **)out, count);
}

int store_review_summary(struct db_conn *conn, const char *offering_id, int64_t *count, int64_t *overall_sum)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*), COALESCE(SUM(overall), 0) FROM reviews"
                                          " WHERE offering_id = $1 AND hidden_at IS NULL");
    db_bind_text(st, 1, offering_id);
    return store_two_ints(st, count, overall_sum);
}

int store_review_reply(struct db_conn *conn, const char *id, const char *reply, const char *by, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE reviews SET reply = $2, reply_by = $3, reply_at = $4"
                                          " WHERE id = $1 AND reply IS NULL");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, reply);
    db_bind_text(st, 3, by);
    db_bind_int(st, 4, now);
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    return rc != DB_DONE ? rc : changed > 0 ? DB_OK : DB_DONE;
}

int store_review_hide(struct db_conn *conn, const char *id, const char *by, const char *reason, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE reviews SET hidden_at = $4, hidden_by = $2, hidden_reason = $3"
                                          " WHERE id = $1 AND hidden_at IS NULL");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, by);
    db_bind_text(st, 3, reason);
    db_bind_int(st, 4, now);
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    return rc != DB_DONE ? rc : changed > 0 ? DB_OK : DB_DONE;
}

/* ---- the preceptor's teaching record ---- */

#define TEACHING_ROTATIONS                                                                                    \
    " FROM applications a JOIN blocks b ON b.id = a.block_id JOIN offerings o ON o.id = a.offering_id"       \
    " JOIN preceptors p ON p.id = o.preceptor_id WHERE p.user_id = $1 AND a.status = 'completed'"           \
    " AND b.end_date >= $2 AND b.end_date <= $3"

static int teaching_counts(struct db_conn *conn, const char *sql, const char *user_id, const char *from,
                           const char *to, int64_t *out, int columns)
{
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    int rc = db_step(st);
    for (int i = 0; i < columns; i++)
        out[i] = rc == DB_ROW ? db_column_int(st, i) : 0;
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_teaching_record(struct db_conn *conn, struct arena *arena, const char *user_id, const char *from,
                          const char *to, struct store_teaching_record *out)
{
    memset(out, 0, sizeof(*out));
    struct db_stmt *st = db_prepare(conn, "SELECT p.name, p.npi, sp.name FROM preceptors p JOIN specialties sp"
                                          " ON sp.slug = p.specialty WHERE p.user_id = $1 ORDER BY p.created_at, p.id"
                                          " LIMIT 1");
    db_bind_text(st, 1, user_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->preceptor_name = store_column_dup(arena, st, 0);
        out->preceptor_npi = store_column_dup(arena, st, 1);
        out->specialty = store_column_dup(arena, st, 2);
    }
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return rc;
    int64_t counts[5], reviews[2];
    rc = teaching_counts(conn,
                         "SELECT COUNT(*), COUNT(DISTINCT a.student_id), COALESCE(SUM(o.weeks), 0),"
                         " COALESCE(SUM((SELECT COALESCE(SUM(h.minutes), 0) FROM hours_entries h"
                         " WHERE h.application_id = a.id AND h.state = 'confirmed')), 0),"
                         " COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = a.id)"
                         " THEN 1 ELSE 0 END), 0)" TEACHING_ROTATIONS,
                         user_id, from, to, counts, 5);
    if (rc != DB_OK)
        return rc;
    out->rotations = counts[0];
    out->students = counts[1];
    out->weeks = counts[2];
    out->confirmed_minutes = counts[3];
    out->evaluations = counts[4];
    rc = teaching_counts(conn,
                         "SELECT COUNT(*), COALESCE(SUM(r.overall), 0) FROM reviews r"
                         " WHERE r.hidden_at IS NULL AND r.application_id IN (SELECT a.id" TEACHING_ROTATIONS ")",
                         user_id, from, to, reviews, 2);
    out->reviews = reviews[0];
    out->review_overall_sum = reviews[1];
    return rc;
}
