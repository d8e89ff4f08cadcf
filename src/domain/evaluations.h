/* evaluations.h — after the rotation (issue 15):
 *
 * - the preceptor's evaluation of the student, in the style of the mini-CEX:
 *   seven competences scored 1–9 or "not observed", strengths, areas to
 *   improve, and whether the preceptor would write a letter. Submitted once
 *   the rotation is completed; it never changes afterwards, only gains dated
 *   addenda. The student sees it once submitted (with the host side and
 *   staff); the preceptor is reminded 3, 7 and 14 days after the last day.
 * - the student's confidential evaluation of the rotation and its preceptor
 *   (1–5): hosts see only aggregates over FEEDBACK_MIN_STUDENTS students.
 * - verified reviews: only the student of a completed rotation, once, within
 *   REVIEW_WINDOW_DAYS of its last day; shown on the offering page newest
 *   first with the average; the host answers each once; staff hide one with
 *   a reason (audited, the author told). */
#ifndef ROUNDS_DOMAIN_EVALUATIONS_H
#define ROUNDS_DOMAIN_EVALUATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/applications.h"
#include "store/evaluations.h"

/* The mini-CEX competences: stored names (the JSON fields) and labels, in
 * the store's order; NULL-terminated. */
extern const char *const evaluation_score_names[STORE_EVALUATION_SCORES + 1];
extern const char *const evaluation_score_labels[STORE_EVALUATION_SCORES + 1];
/* The student's ratings of the rotation, and a review's; NULL-terminated. */
extern const char *const feedback_score_names[STORE_FEEDBACK_SCORES + 1];
extern const char *const feedback_score_labels[STORE_FEEDBACK_SCORES + 1];
extern const char *const review_score_names[STORE_REVIEW_SCORES + 1];
extern const char *const review_score_labels[STORE_REVIEW_SCORES + 1];

#define EVALUATION_NOT_OBSERVED (-1)

struct evaluation_input {
    int64_t scores[STORE_EVALUATION_SCORES]; /* 1–9, or EVALUATION_NOT_OBSERVED */
    const char *strengths, *improvements;
    bool would_write_letter;
};

/* The preceptor of the rotation (or staff) evaluates its student: 404 when
 * the application is not theirs to see, 403 for other viewers, 409
 * rotation_not_completed, 409 already_submitted, 422 naming a score outside
 * 1–9 (or "overall" when nothing was observed), 400/413 naming a text.
 * Audited; the student is told. */
int evaluation_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      const char *application_id, const struct evaluation_input *in, struct store_evaluation *out,
                      struct error *err);
/* The evaluator (or staff) adds a dated addendum: the same access, 409
 * conflict before the evaluation is submitted. The student is told. */
int evaluation_amend(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                     const char *application_id, const char *body, struct store_addendum *out, struct error *err);

/* What the evaluation page shows its viewer. */
struct evaluation_view {
    struct store_application application;
    bool submitted;
    struct store_evaluation evaluation;
    struct store_addendum *addenda;
    size_t addendum_count;
    bool viewer_evaluates; /* the preceptor or staff: may submit and amend */
    bool viewer_is_student;
    bool completed;
};
/* Loads it for whoever may see the application (404 otherwise). */
int evaluation_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *application_id, struct evaluation_view *out, struct error *err);

/* The jobs: reminders to preceptors 3, 7 and 14 days after the last day of a
 * completed rotation not yet evaluated, each once across instances. */
int evaluations_send_reminders(struct db_conn *conn, struct arena *arena, int *sent);

struct feedback_input {
    int64_t scores[STORE_FEEDBACK_SCORES]; /* 1–5 */
    const char *comments;                  /* may be NULL */
};
/* The student evaluates the rotation and its preceptor, in confidence:
 * 404/403 as above, 409 rotation_not_completed, 409 already_submitted, 422
 * naming a rating outside 1–5. */
int feedback_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *application_id, const struct feedback_input *in, struct error *err);
/* A form of 1–5 ratings and one text (the student's feedback, a review). */
struct rating_form {
    const int64_t *scores;
    size_t score_count;
    const char *const *score_names;
    const char *text, *text_field;
    size_t text_min, text_max; /* characters */
};
/* Its problems in form order (the ratings, then the text), up to capacity
 * into errors; returns how many. */
size_t rating_form_problems(const struct rating_form *form, struct error *errors, size_t capacity);

/* Every problem of the feedback's fields (ratings, then comments), up to
 * capacity into errors, the first being the one feedback_submit reports;
 * returns how many. */
enum { FEEDBACK_INPUT_FIELDS = STORE_FEEDBACK_SCORES + 1 };
size_t feedback_input_problems(const struct feedback_input *in, struct error *errors, size_t capacity);
/* Whether the student has given it. */
int feedback_given(struct db_conn *conn, struct arena *arena, const char *application_id, bool *given);
/* A host's aggregates (offering_id NULL: all its offerings): its
 * coordinators and staff, 404 for anyone else. *shown is false under
 * FEEDBACK_MIN_STUDENTS students, and then nothing else is filled. */
int feedback_summary(struct db_conn *conn, const struct store_user *user, const char *organization_id,
                     const char *offering_id, bool *shown, struct store_feedback_totals *out, struct error *err);

struct review_input {
    int64_t scores[STORE_REVIEW_SCORES]; /* 1–5 */
    const char *body;
    bool first_name_and_country; /* publish as "Amara (Nigeria)" instead of the full name */
};
/* The student of a completed rotation reviews it: 404 unseen, 403 for
 * another viewer or a rotation not completed, 409 already_submitted, 422
 * naming a rating outside 1–5, 422 after REVIEW_WINDOW_DAYS. */
int review_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                  const char *application_id, const struct review_input *in, struct store_review *out,
                  struct error *err);
/* Every problem of the review's fields (ratings, then body), up to capacity
 * into errors, the first being the one review_submit reports; returns how many. */
enum { REVIEW_INPUT_FIELDS = STORE_REVIEW_SCORES + 1 };
size_t review_input_problems(const struct review_input *in, struct error *errors, size_t capacity);
/* The host's coordinators (or staff) answer a review once: 404 unknown or
 * hidden, 403 for others, 409 already_submitted. */
int review_reply(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *review_id,
                 const char *reply, struct store_review *out, struct error *err);
/* Staff hide a review with a reason: 403 others, 404 unknown, 409 conflict
 * when hidden already. Audited; its author is told. */
int review_hide(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *review_id,
                const char *reason, struct store_review *out, struct error *err);

/* An offering's reviews as a visitor sees them (staff also see hidden ones). */
struct review_list {
    struct store_review *items;
    size_t count;
    int64_t shown_count;    /* reviews shown */
    int64_t average_tenths; /* their overall average ×10 (43 for 4.3); 0 when none */
};
int reviews_of_offering(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *offering_id, struct review_list *out, struct error *err);
/* Whether user may answer reviews of the host organisation. */
bool review_may_reply(const struct store_user *user, const char *organization_id);

#endif
