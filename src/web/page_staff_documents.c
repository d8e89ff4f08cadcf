/* page_staff_documents.c — staff's verification of documents:
 *
 *   GET  /staff/documents               the queue: current documents waiting
 *        for verification, oldest first (student, kind, file, uploaded when)
 *   GET  /staff/documents/{id}          the inline viewer (<img> for PNG and
 *        JPEG, <iframe> for PDF, both served by /documents/{id}/file, which
 *        audits the read) with the Verify and Reject (reason required) forms
 *   POST /staff/documents/{id}/verify|reject   back to the queue with a notice
 *
 * Staff only: anyone else gets a 404, as if these pages did not exist. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/documents.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

enum { QUEUE_PAGE = 50 };

const char *const web_staff_documents_params[] = {"after", "done", NULL};

/* The staff user, or a 404 (false: already replied). */
static bool staff_user(struct http_request *req, struct store_user *user)
{
    if (!web_current_user(req, user))
        return false;
    if (!account_has_role(user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is nothing at this address");
        return false;
    }
    return true;
}

static void write_waiting(struct buf *b, int64_t since)
{
    int64_t days = (clock_now() - since) / 86400;
    if (days <= 0)
        buf_append_str(b, "Today");
    else if (days == 1)
        buf_append_str(b, "1 day");
    else
        buf_appendf(b, "%lld days", (long long)days);
}

void web_page_staff_documents(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Documents to verify", &user))
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is nothing at this address");
        return;
    }
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *after = http_kv_get(query, "after");
    const char *done = http_kv_get(query, "done");
    if (after != NULL && after[0] == '\0')
        after = NULL;
    struct store_document *docs = NULL;
    size_t count = 0;
    if (store_documents_to_verify(req->db, &req->arena, after, QUEUE_PAGE, &docs, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Documents to verify</h1>\n<p class=\"lead\">Students' uploads waiting for a check, "
                       "oldest first. Open one to see the file and verify or reject it.</p>\n");
    if (done != NULL && strcmp(done, "verified") == 0)
        view_notice(&b, "The document is verified. The student's checklists count it now.");
    else if (done != NULL && strcmp(done, "rejected") == 0)
        view_notice(&b, "The document is rejected. The student sees your reason and can upload a new version.");
    if (count == 0) {
        buf_append_str(&b, after != NULL ? "<p>No more documents are waiting. <a href=\"/staff/documents\">Back to "
                                           "the start of the queue</a>.</p>\n"
                                         : "<p>No documents are waiting for verification.</p>\n");
    } else {
        buf_append_str(&b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Waiting for verification, "
                           "oldest first</caption><thead><tr><th scope=\"col\">Student</th>"
                           "<th scope=\"col\">Document</th><th scope=\"col\">File</th>"
                           "<th scope=\"col\">Uploaded</th><th scope=\"col\">Waiting</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < count; i++) {
            const struct store_document *d = &docs[i];
            buf_append_str(&b, "<tr><td data-label=\"Student\">");
            buf_append_html(&b, d->student_name != NULL ? d->student_name : "");
            if (d->student_email != NULL) {
                buf_append_str(&b, "<br><span class=\"muted\">");
                buf_append_html(&b, d->student_email);
                buf_append_str(&b, "</span>");
            }
            buf_append_str(&b, "</td><td data-label=\"Document\"><a href=\"/staff/documents/");
            buf_append_url(&b, d->id);
            buf_append_str(&b, "\">");
            buf_append_html(&b, document_kind_name(d->kind));
            buf_append_str(&b, "</a></td><td data-label=\"File\">");
            buf_append_html(&b, d->file_name);
            buf_append_str(&b, " <span class=\"muted\">(");
            web_write_bytes(&b, d->size);
            buf_append_str(&b, ")</span></td><td data-label=\"Uploaded\">");
            web_write_instant(req, &b, d->created_at);
            buf_append_str(&b, "</td><td data-label=\"Waiting\">");
            write_waiting(&b, d->created_at);
            buf_append_str(&b, "</td></tr>\n");
        }
        buf_append_str(&b, "</tbody></table></div>\n");
        if (count == QUEUE_PAGE) {
            buf_append_str(&b, "<nav class=\"pager\" aria-label=\"More documents\"><a rel=\"next\" "
                               "href=\"/staff/documents?after=");
            buf_append_url(&b, docs[count - 1].id);
            buf_append_str(&b, "\">Next 50</a></nav>\n");
        }
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}

static void fact(struct buf *b, const char *term)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
}

/* The file itself, in a frame (PDF) or as an image, named for screen readers. */
static void render_file(struct arena *arena, struct buf *b, const struct store_document *d, const char *kind,
                        const char *student)
{
    buf_append_str(b,
                   "<div class=\"offering-layout\">\n<section class=\"card viewer\" aria-labelledby=\"file-heading\">"
                   "<h2 id=\"file-heading\">The file</h2>\n");
    struct buf alt;
    buf_init(&alt, arena, BUF_CAP_LINE);
    buf_append_str(&alt, kind);
    buf_append_str(&alt, " uploaded by ");
    buf_append_str(&alt, student);
    buf_append_str(&alt, " (");
    buf_append_str(&alt, d->file_name != NULL ? d->file_name : "");
    buf_append_char(&alt, ')');
    const char *label = buf_ok(&alt) ? alt.data : kind;
    if (d->media_type != NULL && strcmp(d->media_type, "application/pdf") == 0) {
        buf_append_str(b, "<iframe src=\"/documents/");
        buf_append_url(b, d->id);
        buf_append_str(b, "/file\" title=\"");
        buf_append_html(b, label);
        buf_append_str(b, "\"></iframe>\n");
    } else {
        buf_append_str(b, "<img src=\"/documents/");
        buf_append_url(b, d->id);
        buf_append_str(b, "/file\" alt=\"");
        buf_append_html(b, label);
        buf_append_str(b, "\">\n");
    }
    buf_append_str(b, "<p><a href=\"/documents/");
    buf_append_url(b, d->id);
    buf_append_str(b, "/file\">Open the file on its own</a></p></section>\n");
}

static void render_details(const struct http_request *req, struct buf *b, const struct store_document *d,
                           const char *student)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"details-heading\"><h2 id=\"details-heading\">"
                      "Details</h2><dl class=\"facts\">");
    fact(b, "Student");
    buf_append_html(b, student);
    if (d->student_email != NULL) {
        buf_append_str(b, "<br><span class=\"muted\">");
        buf_append_html(b, d->student_email);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</dd>");
    fact(b, "File");
    buf_append_html(b, d->file_name);
    buf_append_str(b, " <span class=\"muted\">(");
    web_write_bytes(b, d->size);
    buf_append_str(b, ")</span></dd>");
    fact(b, "Issued on");
    if (d->issued_on != NULL && d->issued_on[0] != '\0')
        view_date(b, d->issued_on);
    else
        buf_append_str(b, "<span class=\"muted\">Not given</span>");
    buf_append_str(b, "</dd>");
    fact(b, "Expires on");
    if (d->expires_on != NULL && d->expires_on[0] != '\0') {
        view_date(b, d->expires_on);
        web_document_expiry_warning(b, d->expires_on);
    } else {
        buf_append_str(b, "<span class=\"muted\">Does not expire</span>");
    }
    buf_append_str(b, "</dd>");
    fact(b, "Uploaded");
    web_write_instant(req, b, d->created_at);
    buf_append_str(b, "</dd></dl></section>\n");
}

/* Verify or reject while the document waits; otherwise why there is nothing to decide. */
static void render_decision(struct buf *b, const struct store_document *d, const char *student, const char *csrf,
                            const char *reason, const char *reason_error)
{
    bool open = document_state_of(d) == DOCUMENT_UPLOADED && d->replaced_at == 0;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"decide-heading\"><h2 id=\"decide-heading\">"
                      "Your decision</h2>\n");
    if (!open) {
        buf_append_str(b, d->replaced_at != 0 ? "<p>A newer version replaced this one: there is nothing to decide "
                                                "here.</p>"
                                              : "<p>This document has been reviewed already.</p>");
        if (d->reject_reason != NULL && d->reject_reason[0] != '\0') {
            buf_append_str(b, "<p>Reason given: ");
            buf_append_html(b, d->reject_reason);
            buf_append_str(b, "</p>");
        }
    } else {
        buf_append_str(b, "<p>Check that the file is readable, belongs to ");
        buf_append_html(b, student);
        buf_append_str(b, ", is the kind it claims and matches its dates.</p>\n<form method=\"post\" "
                          "action=\"/staff/documents/");
        buf_append_url(b, d->id);
        buf_append_str(b, "/verify\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf);
        buf_append_str(b, "\"><button type=\"submit\">Verify</button></form>\n<form class=\"stack reject-form\" "
                          "method=\"post\" action=\"/staff/documents/");
        buf_append_url(b, d->id);
        buf_append_str(b, "/reject\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf);
        buf_append_str(b, "\">");
        view_textarea(b, "Reason for rejecting", "reason", reason, 3, REASON_MAX_CHARS,
                      "Required to reject. The student sees it, so say what to fix.", reason_error);
        buf_append_str(b, "<button type=\"submit\" class=\"danger\">Reject</button></form>\n");
    }
    buf_append_str(b, "</section>\n");
}

/* The viewer, with an error on the reject form or the whole page. */
static void render_viewer(struct http_request *req, int status, const char *id, const char *error,
                          const char *reason, const char *reason_error)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Verify a document", &user))
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is nothing at this address");
        return;
    }
    struct store_document d = {0};
    struct error err = {0};
    if (document_get_visible(req->db, &req->arena, id, &user, &d, &err) != 0) {
        http_reply_error(req, err.code == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_NOT_FOUND, NULL,
                         "This document does not exist");
        return;
    }
    const char *kind = document_kind_name(d.kind);
    const char *student = d.student_name != NULL ? d.student_name : "the student";
    struct buf title;
    buf_init(&title, &req->arena, BUF_CAP_LINE);
    buf_append_str(&title, "Verify: ");
    buf_append_str(&title, kind);
    if (buf_ok(&title))
        page.title = title.data;

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/staff/documents\">Back to the queue</a></p>\n"
                       "<header class=\"application-head\"><p class=\"kicker\">Uploaded by ");
    buf_append_html(&b, student);
    buf_append_str(&b, "</p><h1>");
    buf_append_html(&b, kind);
    buf_append_str(&b, "</h1><p class=\"current-status\">State: ");
    web_document_state(&b, document_state_of(&d));
    buf_append_str(&b, "</p></header>\n");
    if (error != NULL)
        view_alert(&b, error);
    render_file(&req->arena, &b, &d, kind, student);
    buf_append_str(&b, "<div class=\"offering-side\">\n");
    render_details(req, &b, &d, student);
    render_decision(&b, &d, student, page.csrf_token, reason, reason_error);
    buf_append_str(&b, "</div>\n</div>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_staff_document(struct http_request *req)
{
    render_viewer(req, 200, http_param(req, "id"), NULL, NULL, NULL);
}

void web_page_staff_document_review(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *action = http_param(req, "action");
    struct store_user user;
    if (!staff_user(req, &user))
        return;
    bool verify = strcmp(action, "verify") == 0;
    if (!verify && strcmp(action, "reject") != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such action");
        return;
    }
    const char *reason = http_form(req, "reason");
    if (reason == NULL)
        reason = "";
    struct store_document d = {0};
    struct error err = {0};
    int rc;
    if (verify) {
        rc = document_verify(req->db, &req->arena, id, &user, &d, &err);
    } else {
        size_t len = strlen(reason);
        const char *p = reason;
        while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
            p++;
        if (*p == '\0') {
            render_viewer(req, 400, id, NULL, reason, "Write the reason: the student needs it to fix the document.");
            return;
        }
        if (!utf8_valid(reason, len) || utf8_count(reason, len) > REASON_MAX_CHARS) {
            render_viewer(req, 400, id, NULL, reason,
                          "Keep the reason under " LIMIT_TEXT(REASON_MAX_CHARS) " characters.");
            return;
        }
        rc = document_reject(req->db, &req->arena, id, &user, reason, &d, &err);
    }
    if (rc != 0) {
        if (err.code == ERR_NOT_FOUND) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "This document does not exist");
            return;
        }
        if (err.code == ERR_VALIDATION_FAILED && err.field != NULL && strcmp(err.field, "reason") == 0) {
            render_viewer(req, 400, id, NULL, reason, "Write the reason: the student needs it to fix the document.");
            return;
        }
        if (err.code == ERR_INVALID_TRANSITION || err.code == ERR_CONFLICT) {
            render_viewer(req, 409, id,
                          "This document was reviewed or replaced meanwhile, so your decision was not recorded. "
                          "Here it is as it is now.",
                          NULL, NULL);
            return;
        }
        http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, verify ? "/staff/documents?done=verified" : "/staff/documents?done=rejected");
}
