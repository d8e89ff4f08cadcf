/* page_agreement.c — GET /agreements/{id}: one affiliation agreement (its
 * parties, dates and state, who proposed it, the signed PDF), with the form
 * that activates it (for the other side while it is proposed: the signed PDF)
 * and the one that terminates it (either side while proposed or active: a
 * reason). POST /agreements/{id}/activate and /terminate; a refusal comes back
 * on this page with its error summary and the reason typed kept. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/agreements.h"
#include "lib/limits.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

struct agreement_refusal {
    const char *action; /* "activate" or "terminate" */
    const char *field, *message, *reason;
};

static const char *done_message(const char *done)
{
    if (done == NULL)
        return NULL;
    if (strcmp(done, "proposed") == 0)
        return "The agreement is proposed: the other side has been told and signs it here.";
    if (strcmp(done, "activated") == 0)
        return "The agreement is signed and active.";
    if (strcmp(done, "terminated") == 0)
        return "The agreement is terminated.";
    return NULL;
}

static void render_facts(struct buf *b, const struct store_agreement *a)
{
    enum agreement_status s = agreement_status_of(a);
    buf_append_str(b, "<dl class=\"facts\"><dt>Status</dt><dd><span class=\"status status-");
    buf_append_str(b, s == AGREEMENT_ACTIVE ? "good" : s == AGREEMENT_PROPOSED ? "waiting" : "closed");
    buf_append_str(b, "\">");
    buf_append_html(b, agreement_status_label(s));
    buf_append_str(b, "</span></dd><dt>Host</dt><dd>");
    buf_append_html(b, a->host_name);
    buf_append_str(b, "</dd><dt>School</dt><dd>");
    buf_append_html(b, a->school_name);
    buf_append_str(b, "</dd><dt>Covers</dt><dd>");
    view_date(b, a->start_date);
    buf_append_str(b, " to ");
    view_date(b, a->end_date);
    buf_append_str(b, "</dd><dt>Proposed by</dt><dd>");
    buf_append_html(b, a->proposed_by_name);
    buf_append_str(b, " (");
    buf_append_html(b, agreement_side_label(agreement_side_parse(a->proposed_side)));
    buf_append_str(b, ")</dd>");
    if (a->file_address != NULL) {
        buf_append_str(b, "<dt>Signed agreement</dt><dd><a href=\"/api/v1/agreements/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/file\">Download the signed PDF</a></dd>");
    }
    if (s == AGREEMENT_TERMINATED) {
        buf_append_str(b, "<dt>Reason for termination</dt><dd>");
        buf_append_html(b, a->termination_reason);
        buf_append_str(b, "</dd>");
    }
    buf_append_str(b, "</dl>\n");
}

static void form_open(struct buf *b, const char *id, const char *action, const char *csrf, bool upload)
{
    buf_append_str(b, "<form class=\"stack\" method=\"post\" action=\"/agreements/");
    buf_append_url(b, id);
    buf_append_char(b, '/');
    buf_append_str(b, action);
    buf_append_char(b, '"');
    if (upload)
        buf_append_str(b, " enctype=\"multipart/form-data\"");
    buf_append_str(b, ">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\">\n");
}

static const char *error_on(const struct agreement_refusal *r, const char *action, const char *field)
{
    if (r == NULL || strcmp(r->action, action) != 0)
        return NULL;
    return r->field != NULL && strcmp(r->field, field) == 0 ? r->message : NULL;
}

static void render_activate(struct buf *b, const struct store_agreement *a, const char *csrf,
                            const struct agreement_refusal *r)
{
    const char *error = error_on(r, "activate", "file");
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"activate-heading\"><h2 id=\"activate-heading\">Sign "
                      "and activate</h2>\n<p>Upload the agreement signed by both parties, as a PDF.</p>\n");
    form_open(b, a->id, "activate", csrf, true);
    buf_append_str(b, "<div class=\"field\"><label for=\"f-file\">Signed agreement (PDF)</label>");
    if (error != NULL) {
        buf_append_str(b, "<p class=\"field-error\" id=\"f-file-error\">");
        buf_append_html(b, error);
        buf_append_str(b, "</p>");
    }
    buf_append_str(b, "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\"application/pdf\" required");
    if (error != NULL)
        buf_append_str(b, " aria-invalid=\"true\" aria-describedby=\"f-file-error\"");
    buf_append_str(b, "></div>\n<button type=\"submit\">Activate the agreement</button></form></section>\n");
}

static void render_terminate(struct buf *b, const struct store_agreement *a, const char *csrf,
                             const struct agreement_refusal *r)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"terminate-heading\"><h2 id=\"terminate-heading\">"
                      "Terminate</h2>\n<p>Both sides are told. Students of the school can no longer apply for the "
                      "host's rotations that require an agreement.</p>\n");
    form_open(b, a->id, "terminate", csrf, false);
    view_textarea(b, "Reason", "reason", r != NULL && strcmp(r->action, "terminate") == 0 ? r->reason : NULL, 3,
                  REASON_MAX_CHARS, NULL, error_on(r, "terminate", "reason"));
    buf_append_str(b, "<button type=\"submit\" class=\"secondary\">Terminate the agreement</button></form></section>\n");
}

static void render(struct http_request *req, int status, const char *done, const struct agreement_refusal *r)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Affiliation agreement", &user))
        return;
    struct store_agreement a;
    struct error err = {0};
    if (agreement_get_visible(req->db, &req->arena, &user, http_param(req, "id"), &a, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    if (r != NULL) {
        char field_id[48] = "";
        if (r->field != NULL)
            snprintf(field_id, sizeof(field_id), "f-%s", r->field);
        struct view_field_error e = {r->field != NULL ? field_id : NULL, r->message};
        view_error_summary(&b, NULL, &e, 1);
    }
    buf_append_str(&b, "<p><a href=\"/agreements\">All agreements</a></p>\n<h1>Affiliation agreement</h1>\n");
    if (done_message(done) != NULL)
        view_notice(&b, done_message(done));
    render_facts(&b, &a);
    enum agreement_status s = agreement_status_of(&a);
    if (s == AGREEMENT_PROPOSED && agreement_may_activate(&user, &a))
        render_activate(&b, &a, page.csrf_token, r);
    else if (s == AGREEMENT_PROPOSED)
        buf_append_str(&b, "<p>Waiting for the other side to sign.</p>\n");
    if (s == AGREEMENT_PROPOSED || s == AGREEMENT_ACTIVE)
        render_terminate(&b, &a, page.csrf_token, r);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_agreement(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_kv_get(query, "done"), NULL);
}

/* After a move: back to the page with its notice, or the refusal on the page. */
static void answer(struct http_request *req, int rc, const struct error *err, struct agreement_refusal *r,
                   const char *done)
{
    if (rc != 0) {
        if (err->code == ERR_NOT_FOUND || err->code == ERR_INTERNAL || err->code == ERR_NONE ||
            err->code == ERR_UNAVAILABLE) {
            http_reply_problem(req, err);
            return;
        }
        r->field = err->field;
        r->message = err->detail != NULL ? err->detail : error_title(err->code);
        render(req, error_status(err->code), NULL, r);
        return;
    }
    struct buf to;
    buf_init(&to, &req->arena, BUF_CAP_LINE);
    buf_appendf(&to, "/agreements/%s?done=%s", http_param(req, "id"), done);
    http_redirect(req, buf_ok(&to) ? to.data : "/agreements");
}

void web_page_agreement_activate(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const struct http_part *file = http_part(req, "file");
    struct store_agreement a;
    struct error err = {0};
    int rc = agreement_activate(req->db, &req->arena, &user, http_param(req, "id"), file != NULL ? file->data : NULL,
                                file != NULL ? file->len : 0, &a, &err);
    struct agreement_refusal r = {.action = "activate"};
    answer(req, rc, &err, &r, "activated");
}

void web_page_agreement_terminate(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *reason = http_form(req, "reason");
    struct store_agreement a;
    struct error err = {0};
    int rc = agreement_terminate(req->db, &req->arena, &user, http_param(req, "id"), reason, &a, &err);
    struct agreement_refusal r = {.action = "terminate", .reason = reason};
    answer(req, rc, &err, &r, "terminated");
}
