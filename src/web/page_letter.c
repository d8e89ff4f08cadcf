/* page_letter.c — one letter of recommendation:
 *
 *   GET  /letters/{id}           its state, author, dates, waiver and ERAS Letter ID, and what the viewer may do
 *   POST /letters/{id}/{action}  accept, decline (reason), delivered (eras_letter_id) — the author (staff and the
 *                                student may record the delivery); letter-id and waive — the student
 *   POST /letters/{id}/upload    a new version (multipart PDF of at most 1 MB) — the author
 *   GET  /letters/{id}/file      the latest version (letter_read_file): never to the student of a waived letter
 *
 * Visible to its student, its author (account) and staff; anyone else gets a
 * 404. A successful POST comes back to the page (303, ?done=…); a refusal
 * shows the page again with the reason and its status. A waived letter's
 * student sees its state and dates, never a link to the file, and no way to
 * take the waiver back. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/letters.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "store/applications.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_letter_done_params[] = {"done", NULL};

/* Who is looking. */
struct viewer {
    struct store_user user;
    bool student, author, staff;
};

/* A refusal to show on the page: the message, and the input it concerns. */
struct failure {
    int status;
    const char *message;
    const char *field; /* reason, eras_letter_id, file, or NULL */
    const char *reason, *eras_letter_id; /* as typed */
};

static const char *done_message(const char *done)
{
    static const char *const messages[][2] = {
        {"requested", "Your request is sent. The author has an email with a link to accept and upload the letter."},
        {"accept", "You accepted. The student has been told; upload the letter when it is ready."},
        {"decline", "You declined. The student has been told."},
        {"upload", "The letter is uploaded. The student has been told it is there."},
        {"delivered", "The letter is recorded as delivered to ERAS."},
        {"letter-id", "The ERAS Letter ID is saved."},
        {"waive", "You waived your right to see this letter."},
        {"author-confirmed", "The author is confirmed: the letter counts as from a U.S. physician."},
    };
    for (size_t i = 0; done != NULL && i < sizeof(messages) / sizeof(messages[0]); i++)
        if (strcmp(messages[i][0], done) == 0)
            return messages[i][1];
    return NULL;
}

/* Loads the letter if the viewer may see it; replies (404, 503) otherwise. */
static bool load_letter(struct http_request *req, struct viewer *v, const char *id, struct store_letter *l)
{
    struct error err = {0};
    if (letter_get_visible(req->db, &req->arena, id, &v->user, l, &err) != 0) {
        if (err.code == ERR_NOT_FOUND || err.code == ERR_FORBIDDEN)
            http_reply_error(req, ERR_NOT_FOUND, NULL, "This letter does not exist, or it is not yours to see");
        else
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    v->student = l->student_id != NULL && strcmp(l->student_id, v->user.id) == 0;
    v->author = letter_user_is_author(l, &v->user);
    v->staff = account_has_role(&v->user, ROLE_STAFF);
    return true;
}

static bool state_is(const struct store_letter *l, enum letter_state state)
{
    return letter_state_of(l) == state;
}

static void fact_begin(struct buf *b, const char *term)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
}

static void fact_date(const struct http_request *req, struct buf *b, const char *term, int64_t t)
{
    if (t <= 0)
        return;
    fact_begin(b, term);
    web_write_instant(req, b, t);
    buf_append_str(b, "</dd>");
}

static void render_facts(struct http_request *req, struct buf *b, const struct store_letter *l,
                         const struct viewer *v)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"details-heading\"><h2 id=\"details-heading\">"
                      "Details</h2>\n<dl class=\"facts\">");
    if (!v->student) {
        fact_begin(b, "Student");
        buf_append_html(b, l->student_name);
        if (v->staff && l->student_email != NULL) {
            buf_append_str(b, " <span class=\"muted\">");
            buf_append_html(b, l->student_email);
            buf_append_str(b, "</span>");
        }
        buf_append_str(b, "</dd>");
    }
    fact_begin(b, "Author");
    buf_append_html(b, l->author_name);
    buf_append_str(b, " <span class=\"muted\">");
    buf_append_html(b, l->author_email);
    buf_append_str(b, "</span>");
    if (l->from_us_physician)
        buf_append_str(b, " <span class=\"badge verified\">U.S. physician, verified</span>");
    buf_append_str(b, "</dd>");
    web_letter_rotation(req, b, l->application_id);
    fact_begin(b, "Right to see it");
    if (l->waived) {
        buf_append_str(b, v->student ? "You waived it" : "The student waived it");
        if (l->waived_at > 0) {
            buf_append_str(b, " on ");
            web_write_date(req, b, l->waived_at);
        }
        buf_append_str(b, v->student ? ": the letter is confidential, and you will never see its content."
                                     : ": the letter is confidential and is never shown to the student.");
    } else {
        bool there = l->version_count > 0 || state_is(l, LETTER_UPLOADED) || state_is(l, LETTER_DELIVERED);
        buf_append_str(b, !v->student ? "The student did not waive it: they may read the letter."
                          : there     ? "You did not waive it: you may read the letter."
                                      : "You did not waive it: you may read the letter once it is uploaded.");
    }
    buf_append_str(b, "</dd>");
    fact_begin(b, "ERAS Letter ID");
    web_letter_eras_id(b, l);
    buf_append_str(b, "</dd>");
    fact_date(req, b, "Requested", l->requested_at);
    fact_date(req, b, "Accepted", l->accepted_at);
    fact_date(req, b, "Declined", l->declined_at);
    if (state_is(l, LETTER_DECLINED) && l->decline_reason != NULL && l->decline_reason[0] != '\0') {
        fact_begin(b, "Reason given");
        buf_append_html(b, l->decline_reason);
        buf_append_str(b, "</dd>");
    }
    fact_date(req, b, "Uploaded", l->uploaded_at);
    fact_date(req, b, "Delivered to ERAS", l->delivered_at);
    buf_append_str(b, "</dl>\n");

    /* The file: its author and staff; its student only when not waived. */
    bool has_file = l->version_count > 0 || state_is(l, LETTER_UPLOADED) || state_is(l, LETTER_DELIVERED);
    if (has_file && (v->author || v->staff || (v->student && !l->waived))) {
        buf_append_str(b, "<p><a class=\"button\" href=\"/letters/");
        buf_append_url(b, l->id);
        buf_append_str(b, "/file\">Download the letter (PDF)</a>");
        if (l->version_count > 1) {
            buf_append_str(b, " <span class=\"muted\">version ");
            buf_append_int(b, l->version_count);
            buf_append_str(b, "</span>");
        }
        buf_append_str(b, "</p>\n");
    } else if (has_file && v->student) {
        buf_append_str(b, "<p class=\"confidential\">The letter is uploaded. It is confidential: you waived your "
                          "right to see it, so only its author and the programs you assign it to can read it.</p>\n");
    }
    buf_append_str(b, "</section>\n");
}

/* Versions (author and staff). */
static void render_versions(struct http_request *req, struct buf *b, const struct store_letter *l)
{
    struct store_letter_file *files = NULL;
    size_t count = 0;
    if (l->version_count <= 0 || store_letter_files(req->db, &req->arena, l->id, &files, &count) != DB_OK ||
        count == 0)
        return;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"versions-heading\"><h2 id=\"versions-heading\">"
                      "Versions</h2>\n<div class=\"table-wrap\"><table class=\"records\"><caption>Every uploaded "
                      "version, newest first; the newest is the letter</caption><thead><tr><th scope=\"col\">"
                      "Version</th><th scope=\"col\">Uploaded</th><th scope=\"col\">Size</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<tr><td data-label=\"Version\">");
        buf_append_int(b, files[i].version);
        buf_append_str(b, "</td><td data-label=\"Uploaded\">");
        web_write_instant(req, b, files[i].uploaded_at);
        buf_append_str(b, "</td><td data-label=\"Size\">");
        buf_append_int(b, (files[i].size + 1023) / 1024);
        buf_append_str(b, " KB</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static const char *error_for(const struct failure *f, const char *field)
{
    return f != NULL && f->field != NULL && strcmp(f->field, field) == 0 ? f->message : NULL;
}

void web_letter_file_input(struct buf *b, const char *label, const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-file\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label><small id=\"h-file\">A signed, dated PDF on letterhead, at most 1 MB (the ERAS "
                      "limit).</small><input type=\"file\" id=\"f-file\" name=\"file\" accept=\"application/pdf,.pdf\" "
                      "required aria-describedby=\"h-file");
    if (error != NULL)
        buf_append_str(b, " e-file\" aria-invalid=\"true");
    buf_append_str(b, "\">");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-file\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n");
}

static void render_author_actions(struct buf *b, const struct store_letter *l, const char *csrf,
                                  const struct failure *f, bool *any)
{
    bool requested = state_is(l, LETTER_REQUESTED), accepted = state_is(l, LETTER_ACCEPTED);
    bool uploaded = state_is(l, LETTER_UPLOADED) || state_is(l, LETTER_DELIVERED);
    if (requested) {
        *any = true;
        buf_append_str(b, "<h3>Accept</h3><p>Tell the student you will write it. You can upload it now or later.</p>");
        web_letter_form_begin(b, l->id, "accept", csrf, false, "\n");
        buf_append_str(b, "<button type=\"submit\">Accept the request</button></form>\n");
    }
    if (requested || accepted || uploaded) {
        *any = true;
        buf_append_str(b, uploaded ? "<h3>Upload a new version</h3><p>It replaces the current letter; earlier "
                                     "versions are kept.</p>"
                                   : "<h3>Upload the letter</h3>");
        web_letter_form_begin(b, l->id, "upload", csrf, true, "\n");
        web_letter_file_input(b, uploaded ? "New version (PDF)" : "Letter file (PDF)", error_for(f, "file"));
        buf_append_str(b, "<button type=\"submit\">Upload</button></form>\n");
    }
    if (requested || accepted) {
        *any = true;
        buf_append_str(b, "<h3>Decline</h3>");
        web_letter_form_begin(b, l->id, "decline", csrf, false, "\n");
        view_textarea(b, "Reason (optional)", "reason", f != NULL ? f->reason : NULL, 3, REASON_MAX_CHARS,
                      "The student reads it.", error_for(f, "reason"));
        buf_append_str(b, "<button type=\"submit\" class=\"danger\">Decline to write it</button></form>\n");
    }
}

static void render_delivered_form(struct buf *b, const struct store_letter *l, const char *csrf,
                                  const struct failure *f, bool *any)
{
    if (!state_is(l, LETTER_UPLOADED))
        return;
    *any = true;
    buf_append_str(b, "<h3>Delivered to ERAS</h3><p>Once the letter is in ERAS, record it here with its ERAS "
                      "Letter ID.</p>");
    web_letter_form_begin(b, l->id, "delivered", csrf, false, "\n");
    const char *value = f != NULL && f->eras_letter_id != NULL ? f->eras_letter_id : l->eras_letter_id;
    view_input_id(b, "f-delivered-eras", "ERAS Letter ID", "text", "eras_letter_id", value, true, NULL,
                  error_for(f, "delivered_eras"));
    buf_append_str(b, "<button type=\"submit\">Mark as delivered</button></form>\n");
}

static void render_student_actions(struct buf *b, const struct store_letter *l, const char *csrf,
                                   const struct failure *f, bool *any)
{
    if (state_is(l, LETTER_DECLINED)) {
        *any = true;
        buf_append_str(b, "<p>This author declined. <a href=\"/letters\">Ask someone else</a> from your letters "
                          "page.</p>\n");
    }
    /* Once uploaded, the delivery form below takes the Letter ID. */
    if (state_is(l, LETTER_REQUESTED) || state_is(l, LETTER_ACCEPTED)) {
        *any = true;
        bool has_id = l->eras_letter_id != NULL && l->eras_letter_id[0] != '\0';
        buf_append_str(b, has_id ? "<h3>Change the ERAS Letter ID</h3>" : "<h3>Add the ERAS Letter ID</h3>");
        web_letter_form_begin(b, l->id, "letter-id", csrf, false, "\n");
        const char *value = f != NULL && f->eras_letter_id != NULL ? f->eras_letter_id : l->eras_letter_id;
        view_input(b, "ERAS Letter ID", "text", "eras_letter_id", value, "off", true,
                   "From the Letter Request Form in MyERAS; the author uses it to upload to ERAS.",
                   error_for(f, "eras_letter_id"));
        buf_append_str(b, "<button type=\"submit\">Save the Letter ID</button></form>\n");
    }
    /* A waived letter shows no way back: the waiver is final. Once the letter
     * is there the student may have read it, so waiving is offered before. */
    if (!l->waived && (state_is(l, LETTER_REQUESTED) || state_is(l, LETTER_ACCEPTED))) {
        *any = true;
        buf_append_str(b, "<h3>Waive your right to see it</h3><p>Programs give more weight to letters the applicant "
                          "has not seen. This cannot be taken back.</p>");
        web_letter_form_begin(b, l->id, "waive", csrf, false, "\n");
        buf_append_str(b, "<button type=\"submit\" class=\"secondary\">I waive my right to see this letter</button>"
                          "</form>\n");
    }
}

/* The page; done (or NULL) is what the viewer just did (?done=…). */
static void render(struct http_request *req, int status, const char *id, const char *done,
                   const struct failure *f)
{
    struct view_page page;
    struct viewer v = {0};
    if (!web_page_setup(req, &page, "Letter of recommendation", &v.user))
        return;
    struct store_letter l = {0};
    if (!load_letter(req, &v, id, &l))
        return;
    /* A reload after the author answered must not still say "sent". */
    const char *notice =
        done != NULL && strcmp(done, "requested") == 0 && !state_is(&l, LETTER_REQUESTED) ? NULL : done_message(done);

    struct buf title;
    buf_init(&title, &req->arena, BUF_CAP_LINE);
    buf_append_str(&title, "Letter from ");
    buf_append_str(&title, l.author_name);
    if (buf_ok(&title))
        page.title = title.data;

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"");
    buf_append_str(&b, v.staff && !v.student && !v.author ? "/staff/letters\">Back to overdue letters"
                                                          : "/letters\">Back to letters");
    buf_append_str(&b, "</a></p>\n<header class=\"application-head\"><p class=\"kicker\">Letter of recommendation");
    if (!v.student) {
        buf_append_str(&b, " for ");
        buf_append_html(&b, l.student_name);
    }
    buf_append_str(&b, "</p><h1>Letter from ");
    buf_append_html(&b, l.author_name);
    buf_append_str(&b, "</h1>\n<p class=\"current-status\">State: ");
    web_letter_state(&b, letter_state_of(&l));
    if (l.waived && v.student)
        buf_append_str(&b, " <span class=\"confidential\">Confidential — you waived the right to see it</span>");
    buf_append_str(&b, "</p></header>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    if (f != NULL && f->message != NULL)
        view_alert(&b, f->message);

    buf_append_str(&b, "<div class=\"offering-layout\">\n<div class=\"offering-main\">\n");
    render_facts(req, &b, &l, &v);
    if (v.author || v.staff)
        render_versions(req, &b, &l);
    buf_append_str(&b, "</div>\n<div class=\"offering-side\">\n<section class=\"card letter-actions\" "
                       "aria-labelledby=\"actions-heading\"><h2 id=\"actions-heading\">What you can do now</h2>\n");
    bool any = false;
    if (v.author)
        render_author_actions(&b, &l, page.csrf_token, f, &any);
    if (v.student)
        render_student_actions(&b, &l, page.csrf_token, f, &any);
    if (v.author || v.student || v.staff)
        render_delivered_form(&b, &l, page.csrf_token, f, &any);
    if (v.staff && l.preceptor_id == NULL && l.confirmed_preceptor_id == NULL) {
        web_letter_author_form(&b, &l, page.csrf_token, NULL, NULL);
        any = true;
    }
    if (!any)
        buf_append_str(&b, "<p>There is nothing for you to do on this letter now.</p>\n");
    buf_append_str(&b, "</section>\n</div>\n</div>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_letter(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_param(req, "id"), http_kv_get(query, "done"), NULL);
}

/* A refused action in plain words (the letter's state decides most). */
static const char *refusal_words(const struct error *err, const char *action)
{
    switch (err->code) {
    case ERR_INVALID_TRANSITION:
        if (strcmp(action, "delivered") == 0)
            return "Only an uploaded letter can be marked as delivered.";
        if (strcmp(action, "upload") == 0)
            return "This letter can no longer be uploaded: it was declined or is already delivered.";
        return "This is not possible in the letter's current state.";
    case ERR_PAYLOAD_TOO_LARGE:
        return "The file is larger than 1 MB, the ERAS limit. Save it again with smaller images, then upload it.";
    case ERR_UNSUPPORTED_MEDIA_TYPE:
        return "This file is not a PDF. Save the letter as a PDF, then upload it.";
    case ERR_INVITATION_EXPIRED:
    case ERR_INVITATION_USED:
        return error_title(err->code);
    default:
        return err->detail != NULL ? err->detail : error_title(err->code);
    }
}

/* Replies to a failed domain call: 404 and outages as error pages, the rest on the letter's page. */
static void refuse(struct http_request *req, const char *id, const char *action, const struct error *err,
                   struct failure *f)
{
    if (err->code == ERR_NOT_FOUND || err->code == ERR_FORBIDDEN) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This letter does not exist, or it is not yours to see");
        return;
    }
    if (err->code == ERR_NONE || error_status(err->code) >= 500) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    f->status = error_status(err->code);
    f->message = refusal_words(err, action);
    if (f->field == NULL && err->field != NULL) {
        if (strcmp(err->field, "eras_letter_id") == 0)
            f->field = strcmp(action, "delivered") == 0 ? "delivered_eras" : "eras_letter_id";
        else if (strcmp(err->field, "reason") == 0 || strcmp(err->field, "file") == 0)
            f->field = err->field;
    }
    render(req, f->status, id, NULL, f);
}

void web_page_letter_action(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *action = http_param(req, "action");
    static const char *const known[] = {"accept", "decline", "delivered", "letter-id", "waive", NULL};
    bool ok = false;
    for (const char *const *k = known; *k != NULL; k++)
        ok = ok || strcmp(*k, action) == 0;
    if (!ok) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such action");
        return;
    }
    struct store_user user;
    if (!web_signed_in_user(req, &user))
        return;
    struct failure f = {.reason = http_form(req, "reason"), .eras_letter_id = http_form(req, "eras_letter_id")};
    struct letter_actor actor = {.user = &user};
    struct store_letter l = {0};
    struct error err = {0};
    int rc;
    if (strcmp(action, "accept") == 0) {
        rc = letter_accept(req->db, &req->arena, id, &actor, &l, &err);
    } else if (strcmp(action, "decline") == 0) {
        const char *reason = f.reason != NULL ? f.reason : "";
        size_t n = strlen(reason);
        if (!utf8_valid(reason, n) || utf8_count(reason, n) > REASON_MAX_CHARS) {
            f.field = "reason";
            error_set(&err, ERR_VALIDATION_FAILED, "reason",
                      "Keep the reason under " LIMIT_TEXT(REASON_MAX_CHARS) " characters.");
            refuse(req, id, action, &err, &f);
            return;
        }
        rc = letter_decline(req->db, &req->arena, id, &actor, reason, &l, &err);
    } else if (strcmp(action, "delivered") == 0 || strcmp(action, "letter-id") == 0) {
        const char *eras = f.eras_letter_id;
        if (eras == NULL || eras[0] == '\0' || strlen(eras) > ERAS_LETTER_ID_MAX_BYTES) {
            f.field = strcmp(action, "delivered") == 0 ? "delivered_eras" : "eras_letter_id";
            error_set(&err, ERR_VALIDATION_FAILED, "eras_letter_id",
                      eras == NULL || eras[0] == '\0' ? "Enter the ERAS Letter ID." : "This ERAS Letter ID is too long.");
            refuse(req, id, action, &err, &f);
            return;
        }
        if (strcmp(action, "delivered") == 0)
            rc = letter_delivered(req->db, &req->arena, id, &user, eras, &l, &err);
        else
            rc = letter_update(req->db, &req->arena, id, &user, eras, false, false, &l, &err);
    } else {
        rc = letter_update(req->db, &req->arena, id, &user, NULL, true, true, &l, &err);
    }
    if (rc != 0) {
        if (err.code == ERR_VALIDATION_FAILED && err.field != NULL && strcmp(err.field, "eras_letter_id") == 0)
            err.detail = "This does not look like an ERAS Letter ID (letters, digits and dashes). Copy it from MyERAS.";
        else if (err.code == ERR_VALIDATION_FAILED && err.field != NULL && strcmp(err.field, "reason") == 0)
            err.detail = "Keep the reason under " LIMIT_TEXT(REASON_MAX_CHARS) " characters, on plain lines.";
        refuse(req, id, action, &err, &f);
        return;
    }
    web_redirect_done(req, "/letters/", id, action);
}

void web_page_letter_upload(struct http_request *req)
{
    const char *id = http_param(req, "id");
    struct store_user user;
    if (!web_signed_in_user(req, &user))
        return;
    struct failure f = {0};
    struct error err = {0};
    const struct http_part *file = http_part(req, "file");
    if (req->body_too_large) {
        f.field = "file";
        error_set(&err, ERR_PAYLOAD_TOO_LARGE, "file", NULL);
        refuse(req, id, "upload", &err, &f);
        return;
    }
    if (file == NULL || file->filename == NULL || file->len == 0) {
        f.field = "file";
        error_set(&err, ERR_VALIDATION_FAILED, "file", "Choose the PDF file of the letter.");
        refuse(req, id, "upload", &err, &f);
        return;
    }
    struct letter_actor actor = {.user = &user};
    struct store_letter l = {0};
    if (letter_upload(req->db, &req->arena, id, &actor, file->data, file->len, &l, &err) != 0) {
        f.field = "file";
        refuse(req, id, "upload", &err, &f);
        return;
    }
    web_redirect_done(req, "/letters/", id, "upload");
}

void web_page_letter_file(struct http_request *req)
{
    const char *id = http_param(req, "id");
    struct store_user user;
    if (!web_signed_in_user(req, &user))
        return;
    struct letter_actor actor = {.user = &user};
    const char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    if (letter_read_file(req->db, &req->arena, id, &actor, &data, &len, &err) != 0) {
        if (err.code == ERR_LETTER_CONFIDENTIAL)
            http_reply_error(req, ERR_LETTER_CONFIDENTIAL, NULL,
                             "You waived your right to see this letter, so only its author and the programs you "
                             "assign it to can read it");
        else if (err.code == ERR_NOT_FOUND || err.code == ERR_FORBIDDEN)
            http_reply_error(req, ERR_NOT_FOUND, NULL, "This letter does not exist, has no file yet, or it is not "
                                                       "yours to see");
        else
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    char name[96];
    snprintf(name, sizeof(name), "letter-%s.pdf", id);
    http_reply_file(req, "application/pdf", name, false, data, len);
}
