/* page_letter_invite.c — the author's page without an account, opened from
 * the invitation email:
 *
 *   GET  /invitations/letters/{token}           who asks, for which rotation, whether they waived; the forms
 *   POST /invitations/letters/{token}/{action}  accept, decline (reason)
 *   POST /invitations/letters/{token}/upload    the letter (multipart PDF of at most 1 MB)
 *
 * The token is the author's only credential (letter_by_token): unknown → 404
 * page, expired or used up → a 410 page that says what to do. Declining and
 * uploading use the link up, so those POSTs come back to
 * ?done=decline|upload, which shows a thank-you page while the link answers
 * "already used"; the page itself then carries nothing of the letter. The
 * forms carry the double-submit CSRF token of anonymous visitors. */
#include <string.h>

#include "domain/letters.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "store/applications.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

/* A refusal to show on the page, and the input it concerns. */
struct failure {
    const char *message;
    const char *field; /* file, reason or NULL */
    const char *reason; /* as typed */
};

/* A small page with a heading and one or two paragraphs (invalid links, thanks). */
static void render_message(struct http_request *req, int status, const char *title, const char *text,
                           const char *more)
{
    struct view_page page;
    if (!web_page_setup(req, &page, title, NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow invitation-message\"><h1>");
    buf_append_html(&b, title);
    buf_append_str(&b, "</h1>\n<p>");
    buf_append_html(&b, text);
    buf_append_str(&b, "</p>\n");
    if (more != NULL) {
        buf_append_str(&b, "<p>");
        buf_append_html(&b, more);
        buf_append_str(&b, "</p>\n");
    }
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

/* Replies for a token that does not open a letter; done (or NULL) is what the visitor just did. */
static void reply_invalid(struct http_request *req, const struct error *err, const char *done)
{
    if (err->code == ERR_INVITATION_USED && done != NULL && strcmp(done, "upload") == 0) {
        render_message(req, 200, "Thank you — your letter is uploaded",
                       "The student has been told that your letter arrived. If they waived their right to see it, "
                       "they will never see its content.",
                       "If the student gave you an ERAS Letter ID, upload the same letter to the ERAS Letter of "
                       "Recommendation Portal with it. You can close this page.");
        return;
    }
    if (err->code == ERR_INVITATION_USED && done != NULL && strcmp(done, "decline") == 0) {
        render_message(req, 200, "You declined the request",
                       "The student has been told, with your reason if you gave one. Thank you for answering.",
                       "You can close this page.");
        return;
    }
    switch (err->code) {
    case ERR_INVITATION_USED:
        render_message(req, 410, "This invitation link has already been used",
                       "The letter was uploaded or declined through it, so it no longer opens the request.",
                       "To upload a new version, log in to your Rounds account if you have one, or ask the student "
                       "to send a new request.");
        return;
    case ERR_INVITATION_EXPIRED:
        render_message(req, 410, "This invitation link has expired",
                       "Invitation links work for 30 days. Ask the student to send a new request.", NULL);
        return;
    case ERR_NOT_FOUND:
    case ERR_VALIDATION_FAILED:
    case ERR_BAD_REQUEST:
        render_message(req, 404, "This invitation link is not valid",
                       "Check that you opened the whole link from the email; some email programs break long links "
                       "in two.",
                       "If it still does not work, ask the student to send a new request.");
        return;
    default:
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
}

static void form_begin(struct buf *b, const char *token, const char *action, const char *csrf, bool upload)
{
    buf_append_str(b, "<form class=\"stack\" method=\"post\" action=\"/invitations/letters/");
    buf_append_url(b, token);
    buf_append_char(b, '/');
    buf_append_str(b, action);
    buf_append_char(b, '"');
    if (upload)
        buf_append_str(b, " enctype=\"multipart/form-data\"");
    buf_append_str(b, ">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\">\n");
}

static bool state_is(const struct store_letter *l, enum letter_state state)
{
    return letter_state_of(l) == state;
}

static void render_request(struct http_request *req, struct buf *b, const struct store_letter *l)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"request-heading\"><h2 id=\"request-heading\">"
                      "The request</h2>\n<dl class=\"facts\"><dt>Asked by</dt><dd>");
    buf_append_html(b, l->student_name);
    buf_append_str(b, "</dd><dt>Asked of</dt><dd>");
    buf_append_html(b, l->author_name);
    buf_append_str(b, " <span class=\"muted\">");
    buf_append_html(b, l->author_email);
    buf_append_str(b, "</span></dd>");
    web_letter_rotation(req, b, l->application_id);
    buf_append_str(b, "<dt>Asked on</dt><dd>");
    web_write_date(req, b, l->requested_at);
    buf_append_str(b, "</dd><dt>State</dt><dd>");
    web_letter_state(b, letter_state_of(l));
    if (l->accepted_at > 0) {
        buf_append_str(b, " <span class=\"muted\">since ");
        web_write_date(req, b, l->accepted_at);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</dd><dt>Confidentiality</dt><dd>");
    buf_append_html(b, l->student_name);
    buf_append_str(b, l->waived ? " waived the right to see this letter: it is confidential, and they will never "
                                  "see its content."
                                : " did not waive the right to see this letter: they may read it.");
    buf_append_str(b, "</dd>");
    if (l->eras_letter_id != NULL && l->eras_letter_id[0] != '\0') {
        buf_append_str(b, "<dt>ERAS Letter ID</dt><dd><code>");
        buf_append_html(b, l->eras_letter_id);
        buf_append_str(b, "</code> <span class=\"muted\">for the ERAS Letter of Recommendation Portal</span></dd>");
    }
    buf_append_str(b, "</dl></section>\n");
}

static void render_actions(struct buf *b, const struct store_letter *l, const char *token, const char *csrf,
                           const struct failure *f)
{
    bool requested = state_is(l, LETTER_REQUESTED), accepted = state_is(l, LETTER_ACCEPTED);
    buf_append_str(b, "<section class=\"card letter-actions\" aria-labelledby=\"actions-heading\">"
                      "<h2 id=\"actions-heading\">Your answer</h2>\n");
    if (!requested && !accepted) {
        buf_append_str(b, "<p>There is nothing left to do on this request.</p></section>\n");
        return;
    }
    if (requested) {
        buf_append_str(b, "<h3>Accept</h3><p>Tell the student you will write it. You can upload it now or come back "
                          "to this link later.</p>");
        form_begin(b, token, "accept", csrf, false);
        buf_append_str(b, "<button type=\"submit\">Accept the request</button></form>\n");
    }
    buf_append_str(b, "<h3>Upload the letter</h3>");
    form_begin(b, token, "upload", csrf, true);
    web_letter_file_input(b, "Letter file (PDF)",
                          f != NULL && f->field != NULL && strcmp(f->field, "file") == 0 ? f->message : NULL);
    buf_append_str(b, "<button type=\"submit\">Upload the letter</button></form>\n<h3>Decline</h3>");
    form_begin(b, token, "decline", csrf, false);
    view_textarea(b, "Reason (optional)", "reason", f != NULL ? f->reason : NULL, 3, REASON_MAX_CHARS,
                  "The student reads it.",
                  f != NULL && f->field != NULL && strcmp(f->field, "reason") == 0 ? f->message : NULL);
    buf_append_str(b, "<button type=\"submit\" class=\"danger\">Decline to write it</button></form>\n</section>\n");
}

static void render(struct http_request *req, int status, const char *token, const char *done,
                   const struct failure *f)
{
    struct store_letter l = {0};
    struct error err = {0};
    if (letter_by_token(req->db, &req->arena, token, &l, &err) != 0) {
        reply_invalid(req, &err, done);
        return;
    }
    struct view_page page;
    if (!web_page_setup(req, &page, "A letter of recommendation", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<header class=\"application-head\"><p class=\"kicker\">Letter of recommendation</p><h1>");
    buf_append_html(&b, l.student_name);
    buf_append_str(&b, " asks you for a letter</h1>\n<p class=\"lead\">You need no Rounds account: this link lets you "
                       "answer and upload the letter. Uploading or declining uses it up.</p></header>\n");
    if (done != NULL && strcmp(done, "accept") == 0)
        view_notice(&b, "You accepted. The student has been told. Upload the letter here when it is ready.");
    if (f != NULL && f->message != NULL)
        view_alert(&b, f->message);
    buf_append_str(&b, "<div class=\"offering-layout\">\n<div class=\"offering-main\">\n");
    render_request(req, &b, &l);
    buf_append_str(&b, "</div>\n<div class=\"offering-side\">\n");
    render_actions(&b, &l, token, page.csrf_token, f);
    buf_append_str(&b, "</div>\n</div>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_letter_invite(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_param(req, "token"), http_kv_get(query, "done"), NULL);
}

/* A refused POST: invalid links get their page, the rest the form again. */
static void refuse(struct http_request *req, const char *token, const struct error *err, struct failure *f)
{
    switch (err->code) {
    case ERR_INVITATION_USED:
    case ERR_INVITATION_EXPIRED:
    case ERR_NOT_FOUND:
    case ERR_FORBIDDEN:
        reply_invalid(req, err, NULL);
        return;
    case ERR_INVALID_TRANSITION:
        f->message = "This is no longer possible: the request changed meanwhile. Here it is as it is now.";
        f->field = NULL;
        break;
    case ERR_PAYLOAD_TOO_LARGE:
        f->message = "The file is larger than 1 MB, the ERAS limit. Save it again with smaller images, then upload "
                     "it.";
        break;
    case ERR_UNSUPPORTED_MEDIA_TYPE:
        f->message = "This file is not a PDF. Save the letter as a PDF, then upload it.";
        break;
    case ERR_VALIDATION_FAILED:
    case ERR_BAD_REQUEST:
        if (err->field != NULL && strcmp(err->field, "reason") == 0)
            f->message = "Keep the reason under " LIMIT_TEXT(REASON_MAX_CHARS) " characters, on plain lines.";
        else if (err->field != NULL && strcmp(err->field, "file") == 0)
            f->message = "Choose the PDF file of the letter.";
        else
            f->message = err->detail != NULL ? err->detail : error_title(err->code);
        break;
    default:
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    render(req, error_status(err->code), token, NULL, f);
}

void web_page_letter_invite_action(struct http_request *req)
{
    const char *token = http_param(req, "token");
    const char *action = http_param(req, "action");
    if (strcmp(action, "accept") != 0 && strcmp(action, "decline") != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such action");
        return;
    }
    struct failure f = {.reason = http_form(req, "reason")};
    struct store_letter l = {0};
    struct error err = {0};
    if (letter_by_token(req->db, &req->arena, token, &l, &err) != 0) {
        reply_invalid(req, &err, NULL);
        return;
    }
    struct letter_actor actor = {.token = token};
    int rc;
    if (strcmp(action, "accept") == 0) {
        rc = letter_accept(req->db, &req->arena, l.id, &actor, &l, &err);
    } else {
        const char *reason = f.reason != NULL ? f.reason : "";
        size_t n = strlen(reason);
        if (!utf8_valid(reason, n) || utf8_count(reason, n) > REASON_MAX_CHARS) {
            f.field = "reason";
            error_set(&err, ERR_VALIDATION_FAILED, "reason",
                      "Keep the reason under " LIMIT_TEXT(REASON_MAX_CHARS) " characters.");
            refuse(req, token, &err, &f);
            return;
        }
        rc = letter_decline(req->db, &req->arena, l.id, &actor, reason, &l, &err);
    }
    if (rc != 0) {
        f.field = err.field != NULL && strcmp(err.field, "reason") == 0 ? "reason" : NULL;
        refuse(req, token, &err, &f);
        return;
    }
    web_redirect_done(req, "/invitations/letters/", token, action);
}

void web_page_letter_invite_upload(struct http_request *req)
{
    const char *token = http_param(req, "token");
    struct failure f = {.field = "file"};
    struct store_letter l = {0};
    struct error err = {0};
    if (letter_by_token(req->db, &req->arena, token, &l, &err) != 0) {
        reply_invalid(req, &err, NULL);
        return;
    }
    const struct http_part *file = http_part(req, "file");
    if (req->body_too_large) {
        error_set(&err, ERR_PAYLOAD_TOO_LARGE, "file", NULL);
        refuse(req, token, &err, &f);
        return;
    }
    if (file == NULL || file->filename == NULL || file->len == 0) {
        error_set(&err, ERR_VALIDATION_FAILED, "file", "Choose the PDF file of the letter.");
        refuse(req, token, &err, &f);
        return;
    }
    struct letter_actor actor = {.token = token};
    if (letter_upload(req->db, &req->arena, l.id, &actor, file->data, file->len, &l, &err) != 0) {
        refuse(req, token, &err, &f);
        return;
    }
    web_redirect_done(req, "/invitations/letters/", token, "upload");
}
