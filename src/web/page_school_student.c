/* page_school_student.c — GET /school/students/{id}?school=: one linked
 * student as their school sees them (only while they consent: 404 otherwise,
 * as for another school's students): their applications with each one's
 * status in words and, for those that took a seat, the onboarding checklist
 * in numbers, and for a rotation under way or completed its hours (totals
 * only), and the preceptor's evaluation of each completed rotation with its
 * addenda; and their Match readiness as the progress picture. Never a
 * letter's content, never a document's file, never the student's
 * confidential evaluation of the rotation. */
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/evaluations.h"
#include "domain/schools.h"
#include "lib/limits.h"
#include "views/money.h"
#include "views/progress.h"
#include "web/web.h"

const char *const web_school_student_params[] = {"school", NULL};

static void render_compliance(struct buf *b, const struct compliance *c)
{
    if (c == NULL) {
        buf_append_str(b, "<span class=\"muted\">Not booked</span>");
        return;
    }
    size_t ok = 0;
    for (size_t i = 0; i < c->count; i++)
        ok += c->items[i].state == COMPLIANCE_OK;
    if (c->count == 0)
        buf_append_str(b, "Nothing required");
    else if (c->all_ok)
        buf_appendf(b, "<span class=\"status status-good\">All %zu done</span>", c->count);
    else
        buf_appendf(b, "<span class=\"status status-waiting\">%zu of %zu done</span>", ok, c->count);
}

static void render_hours(struct buf *b, const struct school_student_hours *h)
{
    if (h == NULL) {
        buf_append_str(b, "<span class=\"muted\">Not started</span>");
        return;
    }
    web_write_hours(b, h->confirmed_minutes);
    buf_appendf(b, " h confirmed (%zu day%s)", h->days_confirmed, h->days_confirmed == 1 ? "" : "s");
    if (h->waiting_minutes > 0) {
        buf_append_str(b, "<br><span class=\"muted\">");
        web_write_hours(b, h->waiting_minutes);
        buf_append_str(b, " h waiting for the preceptor</span>");
    }
    if (h->days_refused > 0)
        buf_appendf(b, "<br><span class=\"muted\">%zu day%s refused</span>", h->days_refused,
                    h->days_refused == 1 ? "" : "s");
}

static void render_applications(struct buf *b, const struct school_student_view *v)
{
    buf_append_str(b, "<section aria-labelledby=\"apps-heading\"><h2 id=\"apps-heading\">Applications and "
                      "placements</h2>\n");
    if (v->application_count == 0) {
        buf_append_str(b, "<p>No application yet.</p></section>\n");
        return;
    }
    buf_append_str(b, "<table class=\"records\"><thead><tr><th scope=\"col\">Rotation</th><th scope=\"col\">Host"
                      "</th><th scope=\"col\">Dates</th><th scope=\"col\">Status</th><th scope=\"col\">Onboarding</th>"
                      "<th scope=\"col\">Hours</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < v->application_count; i++) {
        const struct store_application *a = &v->applications[i];
        buf_append_str(b, "<tr><td data-label=\"Rotation\">");
        buf_append_html(b, a->offering_title);
        buf_append_str(b, "</td><td data-label=\"Host\">");
        buf_append_html(b, a->host_name);
        buf_append_str(b, "</td><td data-label=\"Dates\">");
        view_date(b, a->block_start);
        buf_append_str(b, " to ");
        view_date(b, a->block_end);
        buf_append_str(b, "</td><td data-label=\"Status\">");
        web_application_status(b, application_status_of(a));
        buf_append_str(b, "</td><td data-label=\"Onboarding\">");
        render_compliance(b, v->compliance[i]);
        buf_append_str(b, "</td><td data-label=\"Hours\">");
        render_hours(b, v->hours[i]);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></section>\n");
}

/* One submitted evaluation: the scores (1–9 or not observed), the comments and the addenda. */
static void render_evaluation(const struct http_request *req, struct buf *b, const struct store_application *a,
                              const struct school_student_evaluation *e)
{
    buf_append_str(b, "<article class=\"card evaluation\"><h3>");
    buf_append_html(b, a->offering_title);
    buf_append_str(b, "</h3>\n<p class=\"muted\">By ");
    buf_append_html(b, e->evaluation.evaluator_name != NULL ? e->evaluation.evaluator_name : "the preceptor");
    buf_append_str(b, ", submitted ");
    web_write_instant(req, b, e->evaluation.submitted_at);
    buf_append_str(b, "</p>\n<dl class=\"scores\">");
    for (int i = 0; i < STORE_EVALUATION_SCORES; i++) {
        buf_append_str(b, "<div><dt>");
        buf_append_html(b, evaluation_score_labels[i]);
        buf_append_str(b, "</dt><dd>");
        if (e->evaluation.scores[i] > 0)
            buf_appendf(b, "%lld of 9", (long long)e->evaluation.scores[i]);
        else
            buf_append_str(b, "Not observed");
        buf_append_str(b, "</dd></div>");
    }
    buf_append_str(b, "</dl>\n<h4>Strengths</h4><p>");
    buf_append_html(b, e->evaluation.strengths);
    buf_append_str(b, "</p>\n<h4>Areas to improve</h4><p>");
    buf_append_html(b, e->evaluation.improvements);
    buf_appendf(b, "</p>\n<p>%s</p>\n",
                e->evaluation.would_write_letter ? "The preceptor would write a letter of recommendation."
                                                 : "The preceptor would not write a letter of recommendation.");
    for (size_t i = 0; i < e->addendum_count; i++) {
        buf_append_str(b, "<p class=\"addendum\"><strong>Addendum</strong> (");
        web_write_instant(req, b, e->addenda[i].created_at);
        buf_append_str(b, "): ");
        buf_append_html(b, e->addenda[i].body);
        buf_append_str(b, "</p>\n");
    }
    buf_append_str(b, "</article>\n");
}

static void render_evaluations(const struct http_request *req, struct buf *b, const struct school_student_view *v)
{
    buf_append_str(b, "<section aria-labelledby=\"evaluations-heading\"><h2 id=\"evaluations-heading\">"
                      "Preceptors' evaluations</h2>\n");
    size_t shown = 0;
    for (size_t i = 0; i < v->application_count; i++)
        if (v->evaluations[i] != NULL) {
            render_evaluation(req, b, &v->applications[i], v->evaluations[i]);
            shown++;
        }
    if (shown == 0)
        buf_append_str(b, "<p>No evaluation yet: a preceptor evaluates the student when a rotation is completed.</p>");
    buf_append_str(b, "</section>\n");
}

static void render_readiness(struct buf *b, const struct readiness *r)
{
    buf_append_str(b, "<section aria-labelledby=\"ready-heading\"><h2 id=\"ready-heading\">Match readiness</h2>\n");
    struct view_progress_row rows[8];
    size_t n = 0;
    for (size_t i = 0; i < r->count && n < 8; i++, n++)
        rows[n] = (struct view_progress_row){.label = r->items[i].title,
                                             .state = readiness_state_name(r->items[i].state),
                                             .value = r->items[i].summary,
                                             .have = r->items[i].have,
                                             .target = r->items[i].target};
    char title[64];
    snprintf(title, sizeof(title), "Match readiness: %d of %zu done", r->ok_count, r->count);
    view_progress(b, "readiness", title, rows, n);
    buf_append_str(b, "</section>\n");
}

void web_page_school_student(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    struct http_kv_list *query;
    if (http_query(req, &query) != 0 || !web_page_setup(req, &page, "Student", &user))
        return;
    const char *school_id = http_kv_get(query, "school");
    if (school_id == NULL) {
        for (size_t i = 0; i < user.membership_count && school_id == NULL; i++)
            if (role_parse(user.memberships[i].role) == ROLE_SCHOOL_COORDINATOR)
                school_id = user.memberships[i].organization_id;
    }
    struct school_student_view v;
    struct error err = {0};
    if (school_student_view(req->db, &req->arena, &user, school_id, http_param(req, "id"), &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    page.title = v.student.name;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"breadcrumb\"><a href=\"/school?school=");
    buf_append_url(&b, school_id);
    buf_append_str(&b, "\">");
    buf_append_html(&b, v.link.school_name);
    buf_append_str(&b, "</a></p>\n<h1>");
    buf_append_html(&b, v.student.name);
    buf_append_str(&b, "</h1>\n<p class=\"lead\">");
    buf_append_html(&b, v.student.email);
    if (v.link.graduation_year > 0)
        buf_appendf(&b, " · graduating %lld", (long long)v.link.graduation_year);
    buf_append_str(&b, "</p>\n<p class=\"muted\">Shown with the student's consent: they can leave the school at any "
                       "time. Letters and documents themselves are never shown here.</p>\n");
    render_applications(&b, &v);
    render_evaluations(req, &b, &v);
    render_readiness(&b, &v.readiness);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}
