/* page_review.c — the student's side after a completed rotation.
 *
 *   GET  /applications/{id}/rotation-review    the public review (ratings 1–5, text, how to
 *                                     be named) and the confidential evaluation of
 *                                     the rotation and its preceptor; each a form
 *                                     until given, then what was given
 *   POST /applications/{id}/rotation-review    publish the review (once, within 180 days)
 *   POST /applications/{id}/feedback  give the confidential evaluation (once)
 *
 * Only the rotation's student uses them: others who may see it get 403, anyone
 * else 404. A refused POST shows the page again with the error summary and
 * the form as typed. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/evaluations.h"
#include "lib/limits.h"
#include "lib/whole_number.h"
#include "views/forms.h"
#include "web/web.h"

const char *const web_review_params[] = {"done", NULL};

static const char *const rating_values[] = {"5", "4", "3", "2", "1", NULL};
static const char *const rating_labels[] = {"5 (excellent)", "4 (good)", "3 (fair)", "2 (poor)", "1 (very poor)",
                                            NULL};
static const char *const publish_values[] = {"full_name", "first_name_and_country", NULL};

/* Both forms as typed (the feedback's inputs are named "fb_<score>", so the
 * two forms share no name); fields holds every problem of the form sent. */
struct review_form {
    const char *review[STORE_REVIEW_SCORES], *body, *publish_as;
    const char *feedback[STORE_FEEDBACK_SCORES], *comments;
    struct error err;              /* the refusal */
    struct web_form_errors fields; /* every field's problem */
};

static const char *form_error(const struct review_form *f, const char *field)
{
    return web_form_error_for(&f->fields, field);
}

/* "Choose a rating from 1 to 5 for Teaching." */
static const char *rating_sentence(struct arena *arena, const char *label)
{
    struct buf m;
    buf_init(&m, arena, BUF_CAP_LINE);
    buf_append_str(&m, "Choose a rating from 1 to 5 for ");
    buf_append_str(&m, label);
    buf_append_char(&m, '.');
    return buf_ok(&m) ? m.data : "Choose a rating from 1 to 5.";
}

/* Every problem of the review typed, in the form's order. */
static void collect_review_errors(struct arena *arena, struct review_form *f, const struct review_input *in,
                                  bool publish_ok)
{
    struct error problems[REVIEW_INPUT_FIELDS];
    size_t count = review_input_problems(in, problems, REVIEW_INPUT_FIELDS);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(problems[i].field, "body") == 0) {
            web_form_error_add(&f->fields, "body",
                               "Write your review (at most " LIMIT_TEXT(REVIEW_TEXT_MAX_CHARS) " characters).");
            continue;
        }
        for (int k = 0; k < STORE_REVIEW_SCORES; k++)
            if (strcmp(problems[i].field, review_score_names[k]) == 0)
                web_form_error_add(&f->fields, review_score_names[k], rating_sentence(arena, review_score_labels[k]));
    }
    if (!publish_ok)
        web_form_error_add(&f->fields, "publish_as", "Choose how your name is shown.");
}

/* Every problem of the evaluation typed, linked to its "fb_" inputs. */
static void collect_feedback_errors(struct arena *arena, struct review_form *f, const struct feedback_input *in)
{
    struct error problems[FEEDBACK_INPUT_FIELDS];
    size_t count = feedback_input_problems(in, problems, FEEDBACK_INPUT_FIELDS);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(problems[i].field, "comments") == 0) {
            web_form_error_add(&f->fields, "comments",
                               "Your comments are too long or hold characters that cannot be kept.");
            continue;
        }
        for (int k = 0; k < STORE_FEEDBACK_SCORES; k++) {
            if (strcmp(problems[i].field, feedback_score_names[k]) != 0)
                continue;
            struct buf name;
            buf_init(&name, arena, BUF_CAP_LINE);
            buf_append_str(&name, "fb_");
            buf_append_str(&name, feedback_score_names[k]);
            if (buf_ok(&name))
                web_form_error_add(&f->fields, name.data, rating_sentence(arena, feedback_score_labels[k]));
        }
    }
}

static void render_given_review(struct buf *b, const struct store_review *r)
{
    buf_append_str(b, "<p>You reviewed this rotation. It shows on the rotation's page");
    buf_append_str(b, r->hidden_at != 0 ? " no longer: staff hid it." : ".");
    buf_append_str(b, "</p>\n<ul>\n");
    for (int i = 0; i < STORE_REVIEW_SCORES; i++) {
        buf_append_str(b, "<li>");
        buf_append_html(b, review_score_labels[i]);
        buf_appendf(b, ": %lld of 5</li>\n", (long long)r->scores[i]);
    }
    buf_append_str(b, "</ul>\n<p class=\"prewrap\">");
    buf_append_html(b, r->body);
    buf_append_str(b, "</p>\n<p class=\"muted\">Published as ");
    buf_append_html(b, r->author_label);
    buf_append_str(b, ".</p>\n");
}

static void render_review(struct buf *b, const struct store_application *a, const struct store_review *given,
                          const struct review_form *f, const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"review-h\"><h2 id=\"review-h\">Review this "
                      "rotation</h2>\n");
    if (given != NULL) {
        render_given_review(b, given);
        buf_append_str(b, "</section>\n");
        return;
    }
    buf_append_str(b, "<p>Your review helps the next student choose. It is public on the rotation's page, marked "
                      "\"verified rotation\": only students who completed it can review it, once, within 180 days "
                      "of its last day.</p>\n");
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/rotation-review", a->id);
    view_form_begin(b, action, csrf_token);
    for (int i = 0; i < STORE_REVIEW_SCORES; i++)
        view_select(b, review_score_labels[i], review_score_names[i], rating_values, rating_labels, f->review[i],
                    form_error(f, review_score_names[i]));
    view_textarea(b, "Your review", "body", f->body, 6, REVIEW_TEXT_MAX_CHARS, NULL, form_error(f, "body"));
    const char *publish_labels[] = {"My full name", "My first name and country only", NULL};
    view_select(b, "Publish with", "publish_as", publish_values, publish_labels,
                f->publish_as != NULL ? f->publish_as : "full_name", form_error(f, "publish_as"));
    view_form_end(b, "Publish the review");
    buf_append_str(b, "</section>\n");
}

static void render_feedback(struct buf *b, const struct store_application *a, bool given,
                            const struct review_form *f, const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"feedback-h\"><h2 id=\"feedback-h\">Evaluate the "
                      "rotation and your preceptor (confidential)</h2>\n");
    if (given) {
        buf_append_str(b, "<p>Thank you: your evaluation is recorded.</p></section>\n");
        return;
    }
    buf_append_str(b, "<p>Only Rounds staff read your answers. The host sees averages over at least "
                      LIMIT_TEXT(FEEDBACK_MIN_STUDENTS) " students, never yours alone.</p>\n");
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/feedback", a->id);
    view_form_begin(b, action, csrf_token);
    for (int i = 0; i < STORE_FEEDBACK_SCORES; i++) {
        char name[40];
        snprintf(name, sizeof(name), "fb_%s", feedback_score_names[i]);
        view_select(b, feedback_score_labels[i], name, rating_values, rating_labels, f->feedback[i],
                    form_error(f, name));
    }
    view_textarea(b, "Comments for Rounds (optional)", "comments", f->comments, 4, FEEDBACK_TEXT_MAX_CHARS, NULL,
                  form_error(f, "comments"));
    view_form_end(b, "Send the evaluation");
    buf_append_str(b, "</section>\n");
}

static const char *done_message(const char *done)
{
    if (done != NULL && strcmp(done, "review") == 0)
        return "Your review is published on the rotation's page.";
    if (done != NULL && strcmp(done, "feedback") == 0)
        return "Thank you: your evaluation of the rotation is recorded.";
    return NULL;
}

static void render(struct http_request *req, int status, const char *application_id, const char *notice,
                   const struct review_form *f)
{
    struct view_page page;
    struct store_user user = {0};
    struct store_application a;
    if (!web_page_setup(req, &page, "Review the rotation", &user) ||
        !web_application_visible(req, &user, application_id, "review", &a))
        return;
    if (strcmp(a.student_id, user.id) != 0) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "Only the rotation's student reviews it");
        return;
    }
    struct store_review given;
    bool feedback_done = false;
    int rc = store_review_of_application(req->db, &req->arena, a.id, &given);
    if ((rc != DB_ROW && rc != DB_DONE) || feedback_given(req->db, &req->arena, a.id, &feedback_done) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct review_form blank = {0};
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    if (f != NULL && f->fields.count > 0)
        web_form_error_summary(&b, &req->arena, "Nothing was sent. Everything you typed is still in the form.",
                               &f->fields);
    else if (f != NULL && f->err.code != ERR_NONE)
        web_error_summary(&b, NULL, f->err.detail != NULL ? f->err.detail : error_title(f->err.code));
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p><a href=\"/applications/");
    buf_append_url(&b, a.id);
    buf_append_str(&b, "\">← The application</a></p>\n<h1>After your rotation: ");
    buf_append_html(&b, a.offering_title);
    buf_append_str(&b, "</h1>\n");
    if (application_status_of(&a) != APPLICATION_COMPLETED) {
        buf_append_str(&b, "<p class=\"notice\">You can review the rotation once it is completed.</p>\n");
    } else {
        render_review(&b, &a, rc == DB_ROW ? &given : NULL, f != NULL ? f : &blank, page.csrf_token);
        render_feedback(&b, &a, feedback_done, f != NULL ? f : &blank, page.csrf_token);
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_review(struct http_request *req)
{
    render(req, 200, http_param(req, "id"), done_message(http_kv_get(req->query_params, "done")), NULL);
}

/* 1–5 from the form; anything else 0, which the domain refuses by name. */
static int64_t parse_rating(const char *text)
{
    int64_t v = whole_number_parse(text, FORM_SCORE_MAX);
    return v < 0 ? 0 : v;
}

static void redirect_done(struct http_request *req, const char *application_id, const char *done)
{
    web_redirect_done_at(req, "/applications/", application_id, "/rotation-review", done);
}

static void refused(struct http_request *req, const char *application_id, struct review_form *f)
{
    if (web_rotation_refused_as_page(req, f->err.code))
        return;
    render(req, error_status(f->err.code), application_id, NULL, f);
}

void web_page_review_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct review_form f = {.body = http_form(req, "body"), .publish_as = http_form(req, "publish_as")};
    struct review_input in = {.body = f.body};
    for (int i = 0; i < STORE_REVIEW_SCORES; i++) {
        f.review[i] = http_form(req, review_score_names[i]);
        in.scores[i] = parse_rating(f.review[i]);
    }
    in.first_name_and_country = f.publish_as != NULL && strcmp(f.publish_as, "first_name_and_country") == 0;
    bool publish_ok = f.publish_as == NULL || in.first_name_and_country || strcmp(f.publish_as, "full_name") == 0;
    struct store_review r;
    if (publish_ok && review_submit(req->db, &req->arena, &user, id, &in, &r, &f.err) == 0) {
        redirect_done(req, id, "review");
        return;
    }
    if (!publish_ok) /* the page checks the student's access before showing these */
        (void)error_set(&f.err, ERR_VALIDATION_FAILED, "publish_as", "Choose how your name is shown.");
    if (f.err.field != NULL)
        collect_review_errors(&req->arena, &f, &in, publish_ok);
    refused(req, id, &f);
}

void web_page_feedback_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct review_form f = {.comments = http_form(req, "comments")};
    struct feedback_input in = {.comments = f.comments};
    for (int i = 0; i < STORE_FEEDBACK_SCORES; i++) {
        char name[40];
        snprintf(name, sizeof(name), "fb_%s", feedback_score_names[i]);
        f.feedback[i] = http_form(req, name);
        in.scores[i] = parse_rating(f.feedback[i]);
    }
    if (feedback_submit(req->db, &req->arena, &user, id, &in, &f.err) == 0) {
        redirect_done(req, id, "feedback");
        return;
    }
    if (f.err.field != NULL)
        collect_feedback_errors(&req->arena, &f, &in);
    refused(req, id, &f);
}
