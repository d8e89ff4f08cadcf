/* page_teaching.c — the preceptor's teaching record.
 *
 *   GET  /teaching?year=        the year's record (students supervised, weeks and
 *                               confirmed hours, evaluations completed, review
 *                               average) and its teaching certificate: issued (download,
 *                               public page), to issue (once the year is over), or why not
 *   POST /teaching/certificate  issue it (form field year) and come back
 *
 * Only preceptors: anyone else gets 403. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/certificates.h"
#include "domain/teaching.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "lib/whole_number.h"
#include "web/web.h"

const char *const web_teaching_params[] = {"year", "done", NULL};

static int year_of(const char *text)
{
    char today[11];
    clock_today(today);
    if (text == NULL)
        return (int)strtol(today, NULL, 10);
    return (int)whole_number_parse(text, 9999);
}

static void row(struct buf *b, const char *label, const char *value)
{
    buf_append_str(b, "<tr><th scope=\"row\">");
    buf_append_html(b, label);
    buf_append_str(b, "</th><td>");
    buf_append_html(b, value);
    buf_append_str(b, "</td></tr>\n");
}

static void render_record(struct buf *b, const struct teaching_record *t)
{
    char text[64];
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"record-h\"><h2 id=\"record-h\">");
    buf_appendf(b, "%d", t->year);
    buf_append_str(b, "</h2>\n<p>Completed rotations whose last day fell in the year.</p>\n<div class=\"table-wrap\">"
                      "<table class=\"records\"><tbody>\n");
    snprintf(text, sizeof(text), "%lld", (long long)t->totals.students);
    row(b, "Students supervised", text);
    snprintf(text, sizeof(text), "%lld", (long long)t->totals.rotations);
    row(b, "Rotations completed", text);
    snprintf(text, sizeof(text), "%lld", (long long)t->totals.weeks);
    row(b, "Weeks of teaching", text);
    row(b, "Confirmed hours", certificate_hours_text(t->totals.confirmed_minutes, text, sizeof(text)));
    snprintf(text, sizeof(text), "%lld of %lld", (long long)t->totals.evaluations, (long long)t->totals.rotations);
    row(b, "Evaluations completed", text);
    if (t->totals.reviews > 0)
        snprintf(text, sizeof(text), "%lld.%lld of 5 (%lld)", (long long)(t->review_average_tenths / 10),
                 (long long)(t->review_average_tenths % 10), (long long)t->totals.reviews);
    else
        snprintf(text, sizeof(text), "No reviews yet");
    row(b, "Reviews of the rotations", text);
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static void render_certificate(struct buf *b, const struct teaching_record *t, const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card certificate\" aria-labelledby=\"teaching-cert-h\"><h2 "
                      "id=\"teaching-cert-h\">Teaching certificate</h2>\n");
    if (t->issued) {
        buf_append_str(b, "<p>Number <strong class=\"certificate-number\">");
        buf_append_html(b, t->certificate.number);
        buf_append_str(b, "</strong></p>\n<p><a href=\"/certificates/");
        buf_append_url(b, t->certificate.number);
        buf_append_str(b, "/pdf\">Download the teaching certificate (PDF)</a></p>\n<p><a href=\"/verify/");
        buf_append_url(b, t->certificate.number);
        buf_append_str(b, "\">Its public page</a>: anyone with the number can check it there.</p>\n");
    } else if (t->year_over && t->totals.rotations > 0) {
        buf_append_str(b, "<p>Rounds can issue a signed certificate of this year's teaching for your files.</p>\n"
                          "<form method=\"post\" action=\"/teaching/certificate\"><input type=\"hidden\" "
                          "name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf_token);
        buf_appendf(b, "\"><input type=\"hidden\" name=\"year\" value=\"%d\">", t->year);
        buf_append_str(b, "<button type=\"submit\">Issue the teaching certificate</button></form>\n");
    } else if (!t->year_over) {
        buf_appendf(b, "<p>The certificate of %d can be issued from January 1, %d, once the year is over.</p>\n",
                    t->year, t->year + 1);
    } else {
        buf_append_str(b, "<p>No rotation you supervised was completed that year.</p>\n");
    }
    buf_append_str(b, "</section>\n");
}

static void render(struct http_request *req, int status, int year, const char *notice, const struct error *problem)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Teaching record", &user))
        return;
    struct teaching_record t;
    struct error err = {0};
    if (teaching_record_load(req->db, &req->arena, &user, year, &t, &err) != 0) {
        http_reply_error(req, err.code, NULL,
                         err.code == ERR_FORBIDDEN ? "The teaching record is for preceptors"
                         : err.field != NULL      ? "Choose a year from 2000 to this year"
                                                  : NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    if (problem != NULL)
        web_error_summary(&b, NULL, problem->detail != NULL ? problem->detail : error_title(problem->code));
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<h1>Teaching record</h1>\n<p class=\"lead\">");
    buf_append_html(&b, t.totals.preceptor_name != NULL ? t.totals.preceptor_name : user.name);
    if (t.totals.preceptor_npi != NULL) {
        buf_append_str(&b, ", NPI ");
        buf_append_html(&b, t.totals.preceptor_npi);
    }
    buf_append_str(&b, "</p>\n<form method=\"get\" action=\"/teaching\" class=\"inline\"><div class=\"field\">"
                       "<label for=\"f-year\">Year</label><input id=\"f-year\" name=\"year\" type=\"number\" "
                       "inputmode=\"numeric\" min=\"2000\" value=\"");
    buf_appendf(&b, "%d", t.year);
    buf_append_str(&b, "\"></div><button type=\"submit\">Show</button></form>\n");
    render_record(&b, &t);
    render_certificate(&b, &t, page.csrf_token);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_teaching(struct http_request *req)
{
    const char *done = http_kv_get(req->query_params, "done");
    render(req, 200, year_of(http_kv_get(req->query_params, "year")),
           done != NULL && strcmp(done, "certificate") == 0 ? "The teaching certificate is issued." : NULL, NULL);
}

void web_page_teaching_certificate(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    int year = year_of(http_form(req, "year"));
    struct store_certificate cert;
    bool created = false;
    struct error err = {0};
    if (certificate_issue_teaching(req->db, &req->arena, &user, year, &cert, &created, &err) != 0) {
        if (err.code == ERR_FORBIDDEN || err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL || year < 0) {
            http_reply_error(req, err.code, NULL, err.code == ERR_FORBIDDEN ? "The teaching record is for preceptors"
                                                                            : err.detail);
            return;
        }
        render(req, error_status(err.code), year, NULL, &err);
        return;
    }
    char location[64];
    snprintf(location, sizeof(location), "/teaching?year=%d&done=certificate", year);
    http_redirect(req, location);
}
