/* page_reviews.c — verified reviews on the pages.
 *
 *   web_reviews_section        the offering page's "Reviews" card: the average and
 *                              count, then each review newest first with its
 *                              "Verified rotation" mark and the host's answer; a
 *                              link to answer (its host) or moderate (staff)
 *   GET  /reviews/{id}         one review, with the form to answer it (the host's
 *                              coordinators, once) or to hide it (staff, with a reason)
 *   POST /reviews/{id}/reply   answer it
 *   POST /reviews/{id}/hide    hide it
 *
 * A hidden review answers 404 to everyone but staff. A refused POST shows the
 * review again with the error summary and what was typed. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/evaluations.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_review_page_params[] = {"done", NULL};

static void write_date_of(struct buf *b, int64_t instant)
{
    char date[11];
    clock_date_from_days((int32_t)(instant / 86400), date);
    view_date(b, date);
}

static void render_one(struct buf *b, const struct store_review *r, bool link)
{
    buf_append_str(b, "<article class=\"review\"><p><span class=\"stars\">");
    buf_appendf(b, "%lld of 5", (long long)r->scores[STORE_REVIEW_SCORES - 1]);
    buf_append_str(b, "</span> · <strong>");
    buf_append_html(b, r->author_label);
    buf_append_str(b, "</strong> · <span class=\"badge verified\">Verified rotation</span> · ");
    write_date_of(b, r->created_at);
    if (r->hidden_at != 0)
        buf_append_str(b, " · <span class=\"badge unverified\">Hidden</span>");
    buf_append_str(b, "</p>\n<p class=\"muted\">");
    for (int i = 0; i < STORE_REVIEW_SCORES - 1; i++) {
        buf_append_html(b, review_score_labels[i]);
        buf_appendf(b, " %lld%s", (long long)r->scores[i], i < STORE_REVIEW_SCORES - 2 ? " · " : "");
    }
    buf_append_str(b, "</p>\n<p class=\"prewrap\">");
    buf_append_html(b, r->body);
    buf_append_str(b, "</p>\n");
    if (r->reply != NULL) {
        buf_append_str(b, "<div class=\"reply\"><p><strong>The host answered</strong> · ");
        write_date_of(b, r->reply_at);
        buf_append_str(b, "</p><p class=\"prewrap\">");
        buf_append_html(b, r->reply);
        buf_append_str(b, "</p></div>\n");
    }
    if (link) {
        buf_append_str(b, "<p><a href=\"/reviews/");
        buf_append_url(b, r->id);
        buf_append_str(b, "\">Answer or moderate this review</a></p>\n");
    }
    buf_append_str(b, "</article>\n");
}

void web_reviews_section(struct http_request *req, struct buf *b, const struct store_user *user,
                         const char *offering_id, const char *organization_id)
{
    struct review_list list;
    struct error err = {0};
    buf_append_str(b, "<section id=\"reviews\" class=\"card\" aria-labelledby=\"reviews-heading\"><h2 "
                      "id=\"reviews-heading\">Reviews</h2>\n");
    if (reviews_of_offering(req->db, &req->arena, user, offering_id, &list, &err) != 0) {
        buf_append_str(b, "<p>The reviews cannot be shown right now.</p></section>\n");
        return;
    }
    if (list.shown_count == 0)
        buf_append_str(b, "<p>No reviews yet. Only students who completed this rotation can review it.</p>\n");
    else
        buf_appendf(b, "<p><span class=\"stars\">%lld.%lld of 5</span> from %lld verified %s, newest first. Only "
                       "students who completed this rotation can review it.</p>\n",
                    (long long)(list.average_tenths / 10), (long long)(list.average_tenths % 10),
                    (long long)list.shown_count, list.shown_count == 1 ? "review" : "reviews");
    bool moderates = user != NULL && (review_may_reply(user, organization_id));
    for (size_t i = 0; i < list.count; i++)
        render_one(b, &list.items[i], moderates);
    buf_append_str(b, "</section>\n");
}

/* ---- /reviews/{id} ---- */

struct reply_form {
    const char *reply, *reason;
    struct error err;
};

static int load_visible(struct http_request *req, const struct store_user *user, const char *id,
                        struct store_review *r)
{
    int rc = id != NULL ? store_review_get(req->db, &req->arena, id, r) : DB_DONE;
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return -1;
    }
    if (rc == DB_DONE || (r->hidden_at != 0 && !account_has_role(user, ROLE_STAFF))) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such review");
        return -1;
    }
    return 0;
}

static void render_forms(struct buf *b, const struct store_user *user, const struct store_review *r,
                         const struct reply_form *f, const char *csrf_token)
{
    char action[160];
    const char *field = f->err.field;
    if (r->reply == NULL && review_may_reply(user, r->organization_id)) {
        buf_append_str(b, "<section class=\"card\" aria-labelledby=\"reply-h\"><h2 id=\"reply-h\">Answer the review"
                          "</h2>\n<p>The host answers each review once, in public, under it.</p>\n");
        snprintf(action, sizeof(action), "/reviews/%s/reply", r->id);
        view_form_begin(b, action, csrf_token);
        view_textarea(b, "Your answer", "reply", f->reply, 4, REVIEW_TEXT_MAX_CHARS, NULL,
                      field != NULL && strcmp(field, "reply") == 0 ? f->err.detail : NULL);
        view_form_end(b, "Publish the answer");
        buf_append_str(b, "</section>\n");
    }
    if (account_has_role(user, ROLE_STAFF) && r->hidden_at == 0) {
        buf_append_str(b, "<section class=\"card\" aria-labelledby=\"hide-h\"><h2 id=\"hide-h\">Hide the review</h2>\n"
                          "<p>It leaves the rotation's page; its author is told the reason.</p>\n");
        snprintf(action, sizeof(action), "/reviews/%s/hide", r->id);
        view_form_begin(b, action, csrf_token);
        view_input(b, "Reason", "text", "reason", f->reason, NULL, true, NULL,
                   field != NULL && strcmp(field, "reason") == 0 ? f->err.detail : NULL);
        view_form_end(b, "Hide the review");
        buf_append_str(b, "</section>\n");
    } else if (account_has_role(user, ROLE_STAFF)) {
        buf_append_str(b, "<p class=\"notice\">Hidden. Reason: ");
        buf_append_html(b, r->hidden_reason);
        buf_append_str(b, "</p>\n");
    }
}

static void render(struct http_request *req, int status, const char *id, const char *notice,
                   const struct reply_form *f)
{
    struct view_page page;
    struct store_user user = {0};
    struct store_review r;
    if (!web_page_setup(req, &page, "Review", &user) || load_visible(req, &user, id, &r) != 0)
        return;
    struct reply_form blank = {0};
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    if (f != NULL && f->err.code != ERR_NONE)
        web_error_summary(&b, f->err.field, f->err.detail != NULL ? f->err.detail : error_title(f->err.code));
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p><a href=\"/offerings/");
    buf_append_url(&b, r.offering_id);
    buf_append_str(&b, "#reviews\">← The rotation's reviews</a></p>\n<h1>Review of ");
    buf_append_html(&b, r.offering_title);
    buf_append_str(&b, "</h1>\n<section class=\"card\" aria-label=\"The review\">");
    render_one(&b, &r, false);
    buf_append_str(&b, "</section>\n");
    render_forms(&b, &user, &r, f != NULL ? f : &blank, page.csrf_token);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_review_one(struct http_request *req)
{
    const char *done = http_kv_get(req->query_params, "done");
    const char *notice = done == NULL                    ? NULL
                         : strcmp(done, "replied") == 0 ? "Your answer is published under the review."
                         : strcmp(done, "hidden") == 0  ? "The review is hidden; its author is told why."
                                                        : NULL;
    render(req, 200, http_param(req, "id"), notice, NULL);
}

static void after_post(struct http_request *req, const char *id, struct reply_form *f, int rc, const char *done)
{
    if (rc == 0) {
        web_redirect_done(req, "/reviews/", id, done);
        return;
    }
    if (f->err.code == ERR_NOT_FOUND || f->err.code == ERR_UNAVAILABLE || f->err.code == ERR_INTERNAL) {
        http_reply_error(req, f->err.code, NULL, f->err.code == ERR_NOT_FOUND ? "There is no such review" : NULL);
        return;
    }
    if (f->err.field != NULL && strcmp(f->err.field, "reply") == 0)
        f->err.detail = "Write your answer (at most " LIMIT_TEXT(REVIEW_TEXT_MAX_CHARS) " characters).";
    if (f->err.field != NULL && strcmp(f->err.field, "reason") == 0)
        f->err.detail = "Give the reason (at most " LIMIT_TEXT(REASON_MAX_CHARS) " characters, on one line).";
    render(req, error_status(f->err.code), id, NULL, f);
}

void web_page_review_reply_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct reply_form f = {.reply = http_form(req, "reply")};
    struct store_review r;
    int rc = review_reply(req->db, &req->arena, &user, id, f.reply, &r, &f.err);
    after_post(req, id, &f, rc, "replied");
}

void web_page_review_hide_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct reply_form f = {.reason = http_form(req, "reason")};
    struct store_review r;
    int rc = review_hide(req->db, &req->arena, &user, id, f.reason, &r, &f.err);
    after_post(req, id, &f, rc, "hidden");
}
