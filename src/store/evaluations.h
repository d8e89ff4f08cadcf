/* evaluations.h — the store's side of what follows a rotation: the
 * preceptor's evaluation of the student and its addenda, the student's
 * confidential evaluation of the rotation, and the public reviews. */
#ifndef ROUNDS_STORE_EVALUATIONS_H
#define ROUNDS_STORE_EVALUATIONS_H

#include <stdbool.h>

#include "store/store.h"

/* The mini-CEX scores, in the order of domain/evaluations.h's table. */
#define STORE_EVALUATION_SCORES 7

struct store_evaluation {
    const char *application_id, *evaluator_id, *evaluator_name, *strengths, *improvements;
    int64_t scores[STORE_EVALUATION_SCORES]; /* 1–9; -1: not observed */
    bool would_write_letter;
    int64_t submitted_at;
};
/* DB_OK, or DB_CONSTRAINT when the rotation has its evaluation already. */
int store_evaluation_insert(struct db_conn *conn, const struct store_evaluation *e);
/* DB_ROW (with the evaluator's name) / DB_DONE. */
int store_evaluation_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                         struct store_evaluation *out);

struct store_addendum {
    const char *id, *application_id, *author_id, *author_name, *body;
    int64_t created_at;
};
int store_addendum_insert(struct db_conn *conn, const struct store_addendum *a);
/* An evaluation's addenda, oldest first (at most 100). */
int store_addenda(struct db_conn *conn, struct arena *arena, const char *application_id, struct store_addendum **out,
                  size_t *count);

/* Completed rotations whose last day lies in [from, to] with no evaluation yet (at most limit). */
int store_evaluations_missing(struct db_conn *conn, struct arena *arena, const char *from, const char *to, int limit,
                              const char ***ids, size_t *count);

#define STORE_FEEDBACK_SCORES 5
struct store_feedback {
    const char *application_id, *offering_id, *organization_id, *preceptor_id, *comments;
    int64_t scores[STORE_FEEDBACK_SCORES]; /* teaching, supervision, feedback, environment, overall: 1–5 */
    int64_t submitted_at;
};
/* DB_OK, or DB_CONSTRAINT when the rotation has its feedback already. */
int store_feedback_insert(struct db_conn *conn, const struct store_feedback *f);
/* DB_ROW / DB_DONE. */
int store_feedback_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                       struct store_feedback *out);
/* Sums of each score and the number of students, over a host's rotations
 * (offering_id NULL: all its offerings). */
struct store_feedback_totals {
    int64_t students;
    int64_t sums[STORE_FEEDBACK_SCORES];
};
int store_feedback_totals(struct db_conn *conn, const char *organization_id, const char *offering_id,
                          struct store_feedback_totals *out);

#define STORE_REVIEW_SCORES 5
struct store_review {
    const char *id, *application_id, *offering_id, *student_id, *body, *author_label;
    int64_t scores[STORE_REVIEW_SCORES]; /* teaching, hands_on, organisation, value_for_money, overall: 1–5 */
    int64_t created_at;
    const char *reply, *reply_by; /* NULL: no answer yet */
    int64_t reply_at;
    int64_t hidden_at; /* 0: shown */
    const char *hidden_by, *hidden_reason;
    const char *organization_id, *offering_title; /* joined */
};
/* DB_OK, or DB_CONSTRAINT when the rotation has its review already. */
int store_review_insert(struct db_conn *conn, const struct store_review *r);
/* DB_ROW / DB_DONE. */
int store_review_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_review *out);
int store_review_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                struct store_review *out);
/* An offering's reviews, newest first (hidden ones only when with_hidden), at most limit. */
int store_reviews_of_offering(struct db_conn *conn, struct arena *arena, const char *offering_id, bool with_hidden,
                              int limit, struct store_review **out, size_t *count);
/* The shown reviews' number and the sum of their overall ratings. */
int store_review_summary(struct db_conn *conn, const char *offering_id, int64_t *count, int64_t *overall_sum);
/* The host's answer, once: DB_OK, or DB_DONE when it has one already. */
int store_review_reply(struct db_conn *conn, const char *id, const char *reply, const char *by, int64_t now);
/* Staff hide it, once: DB_OK, or DB_DONE when hidden already. */
int store_review_hide(struct db_conn *conn, const char *id, const char *by, const char *reason, int64_t now);

/* A preceptor's teaching over the completed rotations whose last day is in [from, to]. */
struct store_teaching_record {
    const char *preceptor_name, *preceptor_npi, *specialty; /* the user's first preceptor record; NULL: none */
    int64_t rotations, students, weeks, confirmed_minutes, evaluations;
    int64_t reviews, review_overall_sum; /* shown reviews of those rotations */
};
int store_teaching_record(struct db_conn *conn, struct arena *arena, const char *user_id, const char *from,
                          const char *to, struct store_teaching_record *out);

#endif
