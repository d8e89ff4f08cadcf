/* page_evaluation.c — the preceptor's evaluation of the student as a page.
 *
 *   GET  /applications/{id}/evaluation          the evaluation once submitted, with its
 *                                               addenda; for the preceptor (and staff) of a
 *                                               completed rotation the form until then
 *   POST /applications/{id}/evaluation          submit it (once)
 *   POST /applications/{id}/evaluation/addenda  add a dated addendum
 *
 * A refused POST shows the page again with the error summary at the top, the
 * form keeping what was typed. Anyone who may not see the rotation gets 404. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "domain/evaluations.h"
#include "domain/validate.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "lib/whole_number.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_evaluation_params[] = {"done", NULL};

/* The score choices: "not_observed", then 1–9. */
static const char *const score_values[] = {"not_observed", "1", "2", "3", "4", "5", "6", "7", "8", "9", NULL};
static const char *const score_labels[] = {"Not observed",    "1 (unsatisfactory)", "2", "3 (unsatisfactory)",
                                           "4 (satisfactory)", "5",                 "6 (satisfactory)",
                                           "7 (superior)",     "8",                 "9 (superior)",
                                           NULL};

/* What the form shows again after a refusal. */
struct evaluation_form {
    const char *scores[STORE_EVALUATION_SCORES];
    const char *strengths, *improvements, *addendum;
    bool would_write_letter;
    struct error err;
    struct web_form_errors fields; /* every problem of a refused evaluation (err is the first) */
};

static void write_date_of(struct buf *b, int64_t instant)
{
    char date[11];
    clock_date_from_days((int32_t)(instant / 86400), date);
    view_date(b, date);
}

static void render_submitted(struct buf *b, const struct evaluation_view *v)
{
    const struct store_evaluation *e = &v->evaluation;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"evaluation-h\"><h2 id=\"evaluation-h\">"
                      "Evaluation</h2>\n<p>By ");
    buf_append_html(b, e->evaluator_name);
    buf_append_str(b, ", submitted ");
    write_date_of(b, e->submitted_at);
    buf_append_str(b, ". Scores run from 1 to 9 (1–3 unsatisfactory, 4–6 satisfactory, 7–9 superior).</p>\n"
                      "<div class=\"table-wrap\"><table class=\"records\"><thead><tr><th scope=\"col\">Competence"
                      "</th><th scope=\"col\">Score</th></tr></thead><tbody>\n");
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++) {
        buf_append_str(b, "<tr><th scope=\"row\">");
        buf_append_html(b, evaluation_score_labels[i]);
        buf_append_str(b, "</th><td>");
        if (e->scores[i] > 0)
            buf_append_int(b, e->scores[i]);
        else
            buf_append_str(b, "Not observed");
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n<h3>Strengths</h3>\n<p class=\"prewrap\">");
    buf_append_html(b, e->strengths);
    buf_append_str(b, "</p>\n<h3>Areas to improve</h3>\n<p class=\"prewrap\">");
    buf_append_html(b, e->improvements);
    buf_append_str(b, "</p>\n<p><strong>Would write a letter of recommendation:</strong> ");
    buf_append_str(b, e->would_write_letter ? "Yes" : "No");
    buf_append_str(b, "</p>\n");
    if (v->addendum_count > 0)
        buf_append_str(b, "<h3>Addenda</h3>\n<ul class=\"addenda\">\n");
    for (size_t i = 0; i < v->addendum_count; i++) {
        buf_append_str(b, "<li><p><strong>");
        write_date_of(b, v->addenda[i].created_at);
        buf_append_str(b, "</strong>, ");
        buf_append_html(b, v->addenda[i].author_name);
        buf_append_str(b, "</p><p class=\"prewrap\">");
        buf_append_html(b, v->addenda[i].body);
        buf_append_str(b, "</p></li>\n");
    }
    if (v->addendum_count > 0)
        buf_append_str(b, "</ul>\n");
    buf_append_str(b, "</section>\n");
}

static const char *field_error(const struct evaluation_form *f, const char *field)
{
    if (f->fields.count > 0)
        return web_form_error_for(&f->fields, field);
    return f->err.field != NULL && strcmp(f->err.field, field) == 0 ? f->err.detail : NULL;
}

static void render_form(struct buf *b, const struct evaluation_view *v, const struct evaluation_form *f,
                        const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"evaluate-h\"><h2 id=\"evaluate-h\">Evaluate ");
    buf_append_html(b, v->application.student_name);
    buf_append_str(b, "</h2>\n<p>Score what you observed from 1 to 9 (1–3 unsatisfactory, 4–6 satisfactory, 7–9 "
                      "superior), or choose \"Not observed\". Once submitted, the evaluation cannot be changed: you "
                      "can only add a dated addendum. The student sees it.</p>\n");
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/evaluation", v->application.id);
    view_form_begin(b, action, csrf_token);
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++)
        view_select(b, evaluation_score_labels[i], evaluation_score_names[i], score_values, score_labels,
                    f->scores[i] != NULL ? f->scores[i] : "not_observed", field_error(f, evaluation_score_names[i]));
    view_textarea(b, "Strengths", "strengths", f->strengths, 4, EVALUATION_TEXT_MAX_CHARS, NULL,
                  field_error(f, "strengths"));
    view_textarea(b, "Areas to improve", "improvements", f->improvements, 4, EVALUATION_TEXT_MAX_CHARS, NULL,
                  field_error(f, "improvements"));
    view_checkbox(b, "I would write this student a letter of recommendation", "would_write_letter",
                  f->would_write_letter, NULL);
    view_form_end(b, "Submit the evaluation");
    buf_append_str(b, "</section>\n");
}

static void render_addendum_form(struct buf *b, const struct evaluation_view *v, const struct evaluation_form *f,
                                 const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"addendum-h\"><h2 id=\"addendum-h\">Add an "
                      "addendum</h2>\n<p>It is dated and shown under the evaluation, which stays as it was.</p>\n");
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/evaluation/addenda", v->application.id);
    view_form_begin(b, action, csrf_token);
    view_textarea(b, "Addendum", "body", f->addendum, 4, EVALUATION_TEXT_MAX_CHARS, NULL, field_error(f, "body"));
    view_form_end(b, "Add the addendum");
    buf_append_str(b, "</section>\n");
}

static void render_body(struct buf *b, const struct evaluation_view *v, const struct evaluation_form *f,
                        const char *csrf_token)
{
    if (v->submitted) {
        render_submitted(b, v);
        if (v->viewer_evaluates)
            render_addendum_form(b, v, f, csrf_token);
    } else if (v->viewer_evaluates && v->completed) {
        render_form(b, v, f, csrf_token);
    } else if (!v->completed) {
        buf_append_str(b, "<p class=\"notice\">The preceptor evaluates the student once the rotation is "
                          "completed.</p>\n");
    } else {
        buf_append_str(b, "<p class=\"notice\">The preceptor has not submitted the evaluation yet. It shows here "
                          "as soon as they do.</p>\n");
    }
}

static const char *done_message(const char *done)
{
    if (done == NULL)
        return NULL;
    if (strcmp(done, "submitted") == 0)
        return "The evaluation is submitted. The student can read it now.";
    if (strcmp(done, "amended") == 0)
        return "The addendum is added.";
    return NULL;
}

/* The page; f NULL: an empty form; a problem in f->err shows the error summary. */
static void render(struct http_request *req, int status, const char *application_id, const char *notice,
                   const struct evaluation_form *f)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Evaluation", &user))
        return;
    struct evaluation_view v;
    struct error err = {0};
    if (evaluation_load(req->db, &req->arena, &user, application_id, &v, &err) != 0) {
        http_reply_error(req, err.code, NULL,
                         err.code == ERR_NOT_FOUND ? "This rotation does not exist, or it is not yours to see" : NULL);
        return;
    }
    struct evaluation_form blank = {0};
    if (f == NULL)
        f = &blank;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    if (f->fields.count > 0)
        web_form_error_summary(&b, &req->arena, "The evaluation was not submitted. Everything you typed is still "
                                                "in the form.", &f->fields);
    else if (f->err.code != ERR_NONE)
        web_error_summary(&b, f->err.field, f->err.detail != NULL ? f->err.detail : error_title(f->err.code));
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p><a href=\"/applications/");
    buf_append_url(&b, v.application.id);
    buf_append_str(&b, "\">← The application</a></p>\n<h1>Evaluation: ");
    buf_append_html(&b, v.application.offering_title);
    buf_append_str(&b, "</h1>\n<p class=\"lead\">");
    buf_append_html(&b, v.application.student_name);
    buf_append_str(&b, ", ");
    view_date(&b, v.application.block_start);
    buf_append_str(&b, " to ");
    view_date(&b, v.application.block_end);
    buf_append_str(&b, "</p>\n");
    render_body(&b, &v, f, page.csrf_token);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_evaluation(struct http_request *req)
{
    render(req, 200, http_param(req, "id"), done_message(http_kv_get(req->query_params, "done")), NULL);
}

static void redirect_done(struct http_request *req, const char *application_id, const char *done)
{
    web_redirect_done_at(req, "/applications/", application_id, "/evaluation", done);
}

/* A refused POST: 404 and 503 as pages, anything else on the page with the form as typed. */
static void refused(struct http_request *req, const char *application_id, struct evaluation_form *f)
{
    if (web_rotation_refused_as_page(req, f->err.code))
        return;
    render(req, error_status(f->err.code), application_id, NULL, f);
}

/* "not_observed" or a whole number; anything else becomes 0, which the domain refuses by name. */
static int64_t parse_score(const char *text)
{
    if (text == NULL || strcmp(text, "not_observed") == 0)
        return EVALUATION_NOT_OBSERVED;
    int64_t v = whole_number_parse(text, FORM_SCORE_MAX);
    return v < 0 ? 0 : v;
}

/* The domain stops at the first problem (a score before the texts): with it,
 * the texts' own problems, so that one submission shows every one. */
static void add_text_problems(struct evaluation_form *f)
{
    static const char *const texts[][2] = {
        {"strengths", "Write the student's strengths (at most " LIMIT_TEXT(EVALUATION_TEXT_MAX_CHARS) " characters)."},
        {"improvements",
         "Write what the student could improve (at most " LIMIT_TEXT(EVALUATION_TEXT_MAX_CHARS) " characters)."},
    };
    web_form_error_add(&f->fields, f->err.field, f->err.detail);
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const char *value = i == 0 ? f->strengths : f->improvements;
        struct error e = {0};
        if (validate_text(value, texts[i][0], 1, EVALUATION_TEXT_MAX_CHARS, true, &e) != 0)
            web_form_error_add(&f->fields, texts[i][0], texts[i][1]);
    }
}

void web_page_evaluation_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct evaluation_form f = {.strengths = http_form(req, "strengths"),
                                .improvements = http_form(req, "improvements"),
                                .would_write_letter = http_form(req, "would_write_letter") != NULL};
    struct evaluation_input in = {.strengths = f.strengths, .improvements = f.improvements,
                                  .would_write_letter = f.would_write_letter};
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++) {
        f.scores[i] = http_form(req, evaluation_score_names[i]);
        in.scores[i] = parse_score(f.scores[i]);
    }
    struct store_evaluation e;
    if (evaluation_submit(req->db, &req->arena, &user, id, &in, &e, &f.err) != 0) {
        if (f.err.field != NULL && f.err.detail != NULL) {
            for (int i = 0; i < STORE_EVALUATION_SCORES; i++)
                if (strcmp(f.err.field, evaluation_score_names[i]) == 0)
                    f.err.detail = i == STORE_EVALUATION_SCORES - 1 && in.scores[i] == EVALUATION_NOT_OBSERVED
                                       ? "Score at least one competence you observed."
                                       : "Choose a score from 1 to 9, or Not observed.";
            if (strcmp(f.err.field, "strengths") == 0)
                f.err.detail = "Write the student's strengths (at most " LIMIT_TEXT(EVALUATION_TEXT_MAX_CHARS)
                               " characters).";
            if (strcmp(f.err.field, "improvements") == 0)
                f.err.detail = "Write what the student could improve (at most " LIMIT_TEXT(EVALUATION_TEXT_MAX_CHARS)
                               " characters).";
            add_text_problems(&f);
        }
        refused(req, id, &f);
        return;
    }
    redirect_done(req, id, "submitted");
}

void web_page_evaluation_addendum_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct evaluation_form f = {.addendum = http_form(req, "body")};
    struct store_addendum a;
    if (evaluation_amend(req->db, &req->arena, &user, id, f.addendum, &a, &f.err) != 0) {
        if (f.err.field != NULL && strcmp(f.err.field, "body") == 0)
            f.err.detail = "Write the addendum (at most " LIMIT_TEXT(EVALUATION_TEXT_MAX_CHARS) " characters).";
        refused(req, id, &f);
        return;
    }
    redirect_done(req, id, "amended");
}
