/* evaluations.c — the preceptor's evaluation and its addenda, its
 * reminders, and the student's confidential feedback; see evaluations.h
 * (reviews are in reviews.c). */
#include "domain/evaluations.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/certificates.h"
#include "store/rotation.h"

const char *const evaluation_score_names[STORE_EVALUATION_SCORES + 1] = {
    "medical_interviewing", "physical_examination", "professionalism", "clinical_judgement",
    "counselling", "organisation", "overall", NULL};
const char *const evaluation_score_labels[STORE_EVALUATION_SCORES + 1] = {
    "Medical interviewing", "Physical examination", "Humanistic qualities and professionalism",
    "Clinical judgement", "Counselling", "Organisation and efficiency", "Overall clinical competence", NULL};
const char *const feedback_score_names[STORE_FEEDBACK_SCORES + 1] = {"teaching", "supervision", "feedback",
                                                                     "environment", "overall", NULL};
const char *const feedback_score_labels[STORE_FEEDBACK_SCORES + 1] = {
    "The preceptor's teaching", "Supervision", "Feedback on your work", "Learning environment", "Overall", NULL};

/* The rotation's preceptor, or staff. */
static bool evaluates(const struct store_application *a, const struct store_user *user)
{
    return account_has_role(user, ROLE_STAFF) ||
           (a->preceptor_user_id != NULL && strcmp(a->preceptor_user_id, user->id) == 0);
}

static bool is_student(const struct store_application *a, const struct store_user *user)
{
    return strcmp(a->student_id, user->id) == 0;
}

static void tell_student(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                         const char *title, int64_t now)
{
    char link[128];
    snprintf(link, sizeof(link), "/applications/%s/evaluation", a->id);
    struct recipient to = {a->student_id, a->student_email};
    notify(conn, arena, &to, "evaluation", title, link, now);
}

/* ---- the evaluation ---- */

static int check_evaluation(const struct evaluation_input *in, struct error *err)
{
    int observed = 0;
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++) {
        if (in->scores[i] == EVALUATION_NOT_OBSERVED)
            continue;
        if (in->scores[i] < 1 || in->scores[i] > 9)
            return error_set(err, ERR_UNPROCESSABLE, evaluation_score_names[i],
                             "must be from 1 to 9, or not observed");
        observed++;
    }
    if (observed == 0)
        return error_set(err, ERR_UNPROCESSABLE, "overall", "score at least one competence you observed");
    if (validate_text(in->strengths, "strengths", 1, EVALUATION_TEXT_MAX_CHARS, true, err) != 0 ||
        validate_text(in->improvements, "improvements", 1, EVALUATION_TEXT_MAX_CHARS, true, err) != 0)
        return -1;
    return 0;
}

struct submit_ctx {
    struct arena *arena;
    const struct store_application *a;
    const struct store_user *user;
    struct store_evaluation *e;
};

static int submit_tx(struct db_conn *conn, void *p)
{
    struct submit_ctx *c = p;
    int rc = store_evaluation_insert(conn, c->e);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_EVALUATE, AUDIT_ON_APPLICATION, c->a->id, "", c->e->submitted_at);
    if (rc == DB_OK)
        tell_student(conn, c->arena, c->a, "Your preceptor's evaluation of your rotation is ready",
                     c->e->submitted_at);
    return rc;
}

int evaluation_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      const char *application_id, const struct evaluation_input *in, struct store_evaluation *out,
                      struct error *err)
{
    struct store_application a;
    if (application_get_visible(conn, arena, application_id, user, "evaluation", &a, err) != 0)
        return -1;
    if (!evaluates(&a, user))
        return error_set(err, ERR_FORBIDDEN, NULL, "only the rotation's preceptor evaluates its student");
    if (application_status_of(&a) != APPLICATION_COMPLETED)
        return error_set(err, ERR_ROTATION_NOT_COMPLETED, NULL, "the evaluation comes once the rotation is completed");
    if (check_evaluation(in, err) != 0)
        return -1;
    memset(out, 0, sizeof(*out));
    out->application_id = a.id;
    out->evaluator_id = user->id;
    out->evaluator_name = user->name;
    memcpy(out->scores, in->scores, sizeof(out->scores));
    out->strengths = in->strengths;
    out->improvements = in->improvements;
    out->would_write_letter = in->would_write_letter;
    out->submitted_at = clock_now();
    struct submit_ctx c = {arena, &a, user, out};
    int rc = db_run_tx(conn, true, submit_tx, &c);
    if (rc == DB_CONSTRAINT)
        return error_set(err, ERR_ALREADY_SUBMITTED, NULL,
                         "the evaluation was submitted already: it cannot change, add an addendum instead");
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int evaluation_amend(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                     const char *application_id, const char *body, struct store_addendum *out, struct error *err)
{
    struct store_application a;
    struct store_evaluation e;
    if (application_get_visible(conn, arena, application_id, user, "evaluation", &a, err) != 0)
        return -1;
    if (!evaluates(&a, user))
        return error_set(err, ERR_FORBIDDEN, NULL, "only the rotation's preceptor amends its evaluation");
    if (validate_text(body, "body", 1, EVALUATION_TEXT_MAX_CHARS, true, err) != 0)
        return -1;
    int rc = store_evaluation_get(conn, arena, a.id, &e);
    if (rc == DB_DONE)
        return error_set(err, ERR_CONFLICT, NULL, "there is no evaluation to amend yet");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    char *id = arena_alloc(arena, 40);
    if (id == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    crypto_random_id("add_", id, 40);
    int64_t now = clock_now();
    *out = (struct store_addendum){.id = id, .application_id = a.id, .author_id = user->id,
                                   .author_name = user->name, .body = body, .created_at = now};
    if (store_addendum_insert(conn, out) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_audit_add(conn, user->id, AUDIT_AMEND, AUDIT_ON_EVALUATION, a.id, id, now);
    tell_student(conn, arena, &a, "Your preceptor added an addendum to your evaluation", now);
    return 0;
}

int evaluation_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *application_id, struct evaluation_view *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (application_get_visible(conn, arena, application_id, user, "evaluation", &out->application, err) != 0)
        return -1;
    out->viewer_evaluates = evaluates(&out->application, user);
    out->viewer_is_student = is_student(&out->application, user);
    out->completed = application_status_of(&out->application) == APPLICATION_COMPLETED;
    int rc = store_evaluation_get(conn, arena, out->application.id, &out->evaluation);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    out->submitted = rc == DB_ROW;
    if (out->submitted &&
        store_addenda(conn, arena, out->application.id, &out->addenda, &out->addendum_count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* ---- reminders ---- */

static const int reminder_days[] = {14, 7, 3}; /* after the last day; the latest due is sent */

struct remind_ctx {
    struct arena *arena;
    const char *application_id;
    char kind[40];
    bool sent;
};

static int remind_tx(struct db_conn *conn, void *p)
{
    struct remind_ctx *c = p;
    struct store_application a;
    c->sent = false;
    int rc = store_application_get(conn, c->arena, c->application_id, &a);
    if (rc != DB_ROW || a.preceptor_user_id == NULL)
        return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
    int64_t now = clock_now();
    rc = store_notice_claim(conn, a.id, c->kind, now);
    if (rc != DB_OK)
        return rc == DB_DONE ? DB_OK : rc; /* sent already, by this instance or another */
    struct store_user preceptor;
    if (store_user_by_id(conn, c->arena, a.preceptor_user_id, &preceptor) == DB_ROW) {
        char title[512], link[128];
        snprintf(title, sizeof(title), "%s is waiting for your evaluation of their rotation \xe2\x80\x9c%s\xe2\x80\x9d",
                 a.student_name, a.offering_title);
        snprintf(link, sizeof(link), "/applications/%s/evaluation", a.id);
        struct recipient to = {preceptor.id, preceptor.email};
        notify(conn, c->arena, &to, "evaluation_reminder", title, link, now);
    }
    c->sent = true;
    return DB_OK;
}

int evaluations_send_reminders(struct db_conn *conn, struct arena *arena, int *sent)
{
    int32_t today = clock_today_days();
    char from[11], to[11];
    clock_date_from_days(today - 30, from); /* a month after the last day, reminders stop */
    clock_date_from_days(today - reminder_days[2], to);
    const char **ids;
    size_t count = 0;
    int rc = store_evaluations_missing(conn, arena, from, to, 500, &ids, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        struct store_rotation_facts r;
        if (store_rotation_facts(conn, arena, ids[i], &r) != DB_ROW)
            continue;
        int32_t after = today - clock_days_from_date(r.block_end);
        struct remind_ctx c = {.arena = arena, .application_id = ids[i]};
        for (size_t k = 0; k < sizeof(reminder_days) / sizeof(reminder_days[0]); k++) {
            if (after < reminder_days[k])
                continue;
            snprintf(c.kind, sizeof(c.kind), "evaluation_reminder:%d", reminder_days[k]);
            rc = db_run_tx(conn, true, remind_tx, &c);
            *sent += c.sent ? 1 : 0;
            break;
        }
    }
    return rc;
}

/* ---- the student's confidential feedback ---- */

size_t rating_form_problems(const struct rating_form *form, struct error *errors, size_t capacity)
{
    size_t count = 0;
    for (size_t i = 0; i < form->score_count && count < capacity; i++)
        if (form->scores[i] < 1 || form->scores[i] > 5) {
            errors[count] = (struct error){0};
            (void)error_set(&errors[count++], ERR_UNPROCESSABLE, form->score_names[i], "must be from 1 to 5");
        }
    struct error text = {0};
    (void)validate_text(form->text, form->text_field, form->text_min, form->text_max, true, &text);
    if (text.code != ERR_NONE && count < capacity)
        errors[count++] = text;
    return count;
}

size_t feedback_input_problems(const struct feedback_input *in, struct error *errors, size_t capacity)
{
    const struct rating_form form = {in->scores, STORE_FEEDBACK_SCORES, feedback_score_names,
                                     in->comments, "comments", 0, FEEDBACK_TEXT_MAX_CHARS};
    return rating_form_problems(&form, errors, capacity);
}

int feedback_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *application_id, const struct feedback_input *in, struct error *err)
{
    struct store_application a;
    if (application_get_visible(conn, arena, application_id, user, "feedback", &a, err) != 0)
        return -1;
    if (!is_student(&a, user))
        return error_set(err, ERR_FORBIDDEN, NULL, "only the rotation's student evaluates it");
    if (application_status_of(&a) != APPLICATION_COMPLETED)
        return error_set(err, ERR_ROTATION_NOT_COMPLETED, NULL, "the rotation is evaluated once it is completed");
    struct error first;
    if (feedback_input_problems(in, &first, 1) != 0) {
        *err = first;
        return -1;
    }
    struct store_feedback f = {.application_id = a.id, .offering_id = a.offering_id,
                               .organization_id = a.organization_id, .comments = in->comments,
                               .submitted_at = clock_now()};
    /* The preceptor record, not the account: a record may have none. */
    struct store_offering o;
    if (store_offering_get(conn, arena, a.offering_id, &o) != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    f.preceptor_id = o.preceptor_id;
    memcpy(f.scores, in->scores, sizeof(f.scores));
    int rc = store_feedback_insert(conn, &f);
    if (rc == DB_CONSTRAINT)
        return error_set(err, ERR_ALREADY_SUBMITTED, NULL, "you evaluated this rotation already");
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int feedback_given(struct db_conn *conn, struct arena *arena, const char *application_id, bool *given)
{
    struct store_feedback f;
    int rc = store_feedback_get(conn, arena, application_id, &f);
    *given = rc == DB_ROW;
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int feedback_summary(struct db_conn *conn, const struct store_user *user, const char *organization_id,
                     const char *offering_id, bool *shown, struct store_feedback_totals *out, struct error *err)
{
    *shown = false;
    memset(out, 0, sizeof(*out));
    if (organization_id == NULL || !catalog_may_manage(user, organization_id))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such organisation");
    /* Staff may manage any id: one that names no organisation is still 404, not an empty summary. */
    int found = store_organization_kind(conn, NULL, organization_id, NULL);
    if (found == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such organisation");
    if (found != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    struct store_feedback_totals t;
    if (store_feedback_totals(conn, organization_id, offering_id, &t) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (t.students >= FEEDBACK_MIN_STUDENTS) {
        *out = t;
        *shown = true;
    }
    return 0;
}
