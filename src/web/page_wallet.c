/* page_wallet.c — GET /wallet: the student's document wallet (each current
 * document with its kind, file, state in words, issue and expiry dates and a
 * warning when it expires soon, the storage used of the quota) and the upload
 * form (multipart: file, kind, issued_on, expires_on). POST /wallet stores the
 * upload through document_upload and redirects to the new document; a refusal
 * (400, 413, 415, 422) shows the form again with every problem of its fields
 * at once, each next to its field (the file asked for again: a page cannot
 * keep it), and the status of the first. Also what the other document pages
 * share: the kind select, the state badge, the expiry warning and the upload
 * fields. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/documents.h"
#include "domain/reference.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_wallet_params[] = {"kind", "done", NULL};

/* ---- shared with the other document pages ---- */

bool web_current_user(struct http_request *req, struct store_user *out)
{
    if (req->auth.user != NULL) {
        *out = *req->auth.user;
        return true;
    }
    int rc = store_user_by_id(req->db, &req->arena, req->auth.user_id, out);
    if (rc != DB_ROW) {
        http_reply_error(req, rc == DB_DONE ? ERR_UNAUTHENTICATED : ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    return true;
}

void web_write_bytes(struct buf *b, int64_t bytes)
{
    if (bytes < 0)
        bytes = 0;
    if (bytes < 1024) {
        buf_appendf(b, "%lld bytes", (long long)bytes);
        return;
    }
    if (bytes < 1024 * 1024) {
        buf_appendf(b, "%lld KB", (long long)((bytes + 1023) / 1024));
        return;
    }
    /* Tenths of a megabyte, without a trailing ".0". */
    int64_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    if (tenths % 10 == 0)
        buf_appendf(b, "%lld MB", (long long)(tenths / 10));
    else
        buf_appendf(b, "%lld.%lld MB", (long long)(tenths / 10), (long long)(tenths % 10));
}

static const char *group_label(const char *group)
{
    static const char *const labels[][2] = {
        {"identity", "Identity"},         {"application", "Application"},
        {"education", "Education"},       {"exams", "Exams"},
        {"immunization", "Immunizations"}, {"screening", "Screening"},
        {"certification", "Certifications"}, {"training", "Training"},
        {"insurance", "Insurance"},       {"forms", "Forms"},
        {"other", "Other"},
    };
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i][0], group) == 0)
            return labels[i][1];
    return group;
}

void web_document_kind_select(struct buf *b, const char *label, const char *name, const char *selected,
                              const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label><select id=\"f-");
    buf_append_html(b, name);
    buf_append_str(b, "\" name=\"");
    buf_append_html(b, name);
    buf_append_str(b, "\" required");
    if (error != NULL) {
        buf_append_str(b, " aria-invalid=\"true\" aria-describedby=\"e-");
        buf_append_html(b, name);
        buf_append_char(b, '"');
    }
    buf_append_str(b, "><option value=\"\">Choose a kind</option>");
    const char *group = NULL;
    for (size_t i = 0; i < reference_document_kind_count; i++) {
        const struct reference_document_kind *k = &reference_document_kinds[i];
        if (group == NULL || strcmp(group, k->group) != 0) {
            if (group != NULL)
                buf_append_str(b, "</optgroup>");
            group = k->group;
            buf_append_str(b, "<optgroup label=\"");
            buf_append_html(b, group_label(group));
            buf_append_str(b, "\">");
        }
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, k->slug);
        buf_append_char(b, '"');
        if (selected != NULL && strcmp(selected, k->slug) == 0)
            buf_append_str(b, " selected");
        buf_append_char(b, '>');
        buf_append_html(b, k->name);
        buf_append_str(b, "</option>");
    }
    if (group != NULL)
        buf_append_str(b, "</optgroup>");
    buf_append_str(b, "</select>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-");
        buf_append_html(b, name);
        buf_append_str(b, "\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n");
}

void web_document_state(struct buf *b, enum document_state state)
{
    const char *cls = state == DOCUMENT_VERIFIED ? "ok" : state == DOCUMENT_REJECTED ? "rejected" : "pending";
    if (state == DOCUMENT_STATE_UNKNOWN)
        state = DOCUMENT_UPLOADED;
    buf_append_str(b, "<span class=\"status state-");
    buf_append_str(b, cls);
    buf_append_str(b, "\">");
    buf_append_str(b, document_state_label(state));
    buf_append_str(b, "</span>");
}

void web_document_expiry_warning(struct buf *b, const char *expires_on)
{
    if (expires_on == NULL || strlen(expires_on) != 10)
        return;
    int64_t days = (int64_t)clock_days_from_date(expires_on) - clock_today_days();
    if (days < 0)
        buf_append_str(b, " <strong class=\"expiry expired\">Expired</strong>");
    else if (days == 0)
        buf_append_str(b, " <strong class=\"expiry soon\">Expires today</strong>");
    else if (days == 1)
        buf_append_str(b, " <strong class=\"expiry soon\">Expires tomorrow</strong>");
    else if (days <= 30)
        buf_appendf(b, " <strong class=\"expiry soon\">Expires in %lld days</strong>", (long long)days);
}

/* The message for field, when the form has a problem there. */
static const char *error_at(const struct web_upload_form *f, const char *field)
{
    return f != NULL ? web_form_error_for(&f->fields, field) : NULL;
}

void web_document_upload_fields(struct http_request *req, struct buf *b, const struct web_upload_form *form,
                                bool kind_fixed)
{
    const char *file_error = error_at(form, "file");
    buf_append_str(b, "<div class=\"field\"><label for=\"f-file\">File</label><small id=\"h-file\">PDF, PNG or "
                      "JPEG, at most ");
    web_write_bytes(b, (int64_t)req->options->max_upload);
    buf_append_str(b, ". A scan or a clear photo of the whole document.</small><input id=\"f-file\" type=\"file\" "
                      "name=\"file\" accept=\"application/pdf,image/png,image/jpeg\" required aria-describedby=\"h-file");
    if (file_error != NULL)
        buf_append_str(b, " e-file\" aria-invalid=\"true");
    buf_append_str(b, "\">");
    if (file_error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-file\">");
        buf_append_html(b, file_error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n");
    if (!kind_fixed)
        web_document_kind_select(b, "Kind of document", "kind", form != NULL ? form->kind : NULL,
                                 error_at(form, "kind"));
    buf_append_str(b, "<div class=\"grid\">");
    view_input(b, "Issued on (optional)", "date", "issued_on", form != NULL ? form->issued_on : NULL, NULL, false,
               "The date on the document.",
               error_at(form, "issued_on"));
    view_input(b, "Expires on (optional)", "date", "expires_on", form != NULL ? form->expires_on : NULL, NULL, false,
               "Leave empty if it does not expire.", error_at(form, "expires_on"));
    buf_append_str(b, "</div>\n");
}

static const char *field_label(const char *field)
{
    if (strcmp(field, "kind") == 0)
        return "Kind of document";
    if (strcmp(field, "issued_on") == 0)
        return "Issued on";
    if (strcmp(field, "expires_on") == 0)
        return "Expires on";
    if (strcmp(field, "file") == 0)
        return "File";
    return NULL;
}

void web_upload_error_summary(struct buf *b, struct arena *arena, const struct web_upload_form *form)
{
    if (form == NULL)
        return;
    if (form->fields.count > 0) {
        web_form_error_summary(b, arena, "The document was not uploaded.", &form->fields);
    } else if (form->error != NULL) {
        struct view_field_error e = {NULL, form->error};
        view_error_summary(b, "The document was not uploaded.", &e, 1);
    }
}

/* A problem of an upload in the words of the form. */
static const char *upload_sentence(struct http_request *req, const struct error *err)
{
    struct buf m;
    buf_init(&m, &req->arena, BUF_CAP_LINE);
    switch (err->code) {
    case ERR_PAYLOAD_TOO_LARGE:
        buf_append_str(&m, "This file is larger than the limit of ");
        web_write_bytes(&m, (int64_t)req->options->max_upload);
        buf_append_str(&m, ". Scan it at a lower resolution or save it as a smaller PDF, then choose it again.");
        break;
    case ERR_UNSUPPORTED_MEDIA_TYPE:
        buf_append_str(&m, "This file is not a PDF, PNG or JPEG. Rounds looks at what the file contains, not only "
                           "at its name: save it as PDF, PNG or JPEG and choose it again.");
        break;
    case ERR_QUOTA_EXCEEDED:
        buf_append_str(&m, "Your document storage is full: this file does not fit in the ");
        web_write_bytes(&m, req->options->upload_quota);
        buf_append_str(&m, " you may keep. Delete documents you no longer need, then try again.");
        break;
    default: {
        const char *label = err->field != NULL ? field_label(err->field) : NULL;
        const char *detail = err->detail != NULL ? err->detail : error_title(err->code);
        if (label != NULL && detail[0] >= 'a' && detail[0] <= 'z') {
            buf_append_str(&m, label);
            buf_append_char(&m, ' ');
        }
        buf_append_str(&m, detail);
        if (m.len > 0 && m.data[m.len - 1] != '.')
            buf_append_char(&m, '.');
        break;
    }
    }
    return buf_ok(&m) ? m.data : "The document could not be uploaded.";
}

/* Next to the file input when another field failed: a page cannot fill it again. */
static const char choose_again[] = "Choose the file again: a form that comes back cannot keep it.";

int web_upload_refusal(struct http_request *req, const struct error *err, struct web_upload_form *form)
{
    if (err->field != NULL && field_label(err->field) != NULL) {
        web_form_error_add(&form->fields, err->field, upload_sentence(req, err));
        web_form_error_add(&form->fields, "file", choose_again);
    } else {
        form->error = upload_sentence(req, err);
    }
    return error_status(err->code);
}

int web_upload_check(struct http_request *req, const struct http_part *file, const struct document_upload *upload,
                     struct web_upload_form *form)
{
    static const char *const order[] = {"file", "kind", "issued_on", "expires_on"};
    bool no_file = file == NULL || file->filename == NULL || (file->filename[0] == '\0' && file->len == 0);
    struct error problems[DOCUMENT_UPLOAD_FIELDS];
    size_t count = document_upload_problems(&req->arena, upload, problems, DOCUMENT_UPLOAD_FIELDS);
    if (no_file)
        web_form_error_add(&form->fields, "file", "Choose the file to upload.");
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        for (size_t i = 0; i < count; i++) {
            if (strcmp(problems[i].field, order[k]) != 0 || (no_file && k == 0))
                continue;
            bool no_kind = k == 1 && (upload->kind == NULL || upload->kind[0] == '\0');
            web_form_error_add(&form->fields, order[k],
                               no_kind ? "Choose what kind of document this is." : upload_sentence(req, &problems[i]));
        }
    if (form->fields.count == 0)
        return 0;
    web_form_error_add(&form->fields, "file", choose_again);
    return no_file || count == 0 ? 400 : error_status(problems[0].code);
}

struct document_upload web_upload_of_form(const struct web_upload_form *form, const struct http_part *file)
{
    return (struct document_upload){
        .kind = form->kind,
        .issued_on = form->issued_on,
        .expires_on = form->expires_on,
        .file_name = file != NULL ? file->filename : NULL,
        .declared_type = file != NULL ? file->content_type : NULL,
        .data = file != NULL ? file->data : NULL,
        .len = file != NULL ? file->len : 0,
    };
}

/* ---- the wallet ---- */

static const char *done_message(const char *done)
{
    if (done != NULL && strcmp(done, "deleted") == 0)
        return "The document and its older versions are deleted.";
    return NULL;
}

static void render_documents(const struct http_request *req, struct buf *b, const struct store_document *docs,
                             size_t count)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"docs-heading\"><h2 id=\"docs-heading\">"
                      "Your documents</h2>\n");
    if (count == 0) {
        buf_append_str(b, "<p>No documents yet. Upload your passport, immunization records and certificates "
                          "below: each one is checked once by Rounds staff and then counts for every rotation "
                          "that asks for it.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Your current documents, by kind"
                      "</caption><thead><tr><th scope=\"col\">Document</th><th scope=\"col\">File</th>"
                      "<th scope=\"col\">State</th><th scope=\"col\">Issued</th><th scope=\"col\">Expires</th>"
                      "<th scope=\"col\">Uploaded</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_document *d = &docs[i];
        buf_append_str(b, "<tr><td data-label=\"Document\"><a href=\"/wallet/");
        buf_append_url(b, d->id);
        buf_append_str(b, "\">");
        buf_append_html(b, document_kind_name(d->kind));
        buf_append_str(b, "</a></td><td data-label=\"File\">");
        buf_append_html(b, d->file_name);
        buf_append_str(b, " <span class=\"muted\">(");
        web_write_bytes(b, d->size);
        buf_append_str(b, ")</span></td><td data-label=\"State\">");
        web_document_state(b, document_state_of(d));
        buf_append_str(b, "</td><td data-label=\"Issued\">");
        if (d->issued_on != NULL && d->issued_on[0] != '\0')
            view_date(b, d->issued_on);
        else
            buf_append_str(b, "<span class=\"muted\">Not given</span>");
        buf_append_str(b, "</td><td data-label=\"Expires\">");
        if (d->expires_on != NULL && d->expires_on[0] != '\0') {
            view_date(b, d->expires_on);
            web_document_expiry_warning(b, d->expires_on);
        } else {
            buf_append_str(b, "<span class=\"muted\">Does not expire</span>");
        }
        buf_append_str(b, "</td><td data-label=\"Uploaded\">");
        web_write_instant(req, b, d->created_at);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static void render_storage(struct http_request *req, struct buf *b, int64_t used)
{
    int64_t quota = req->options->upload_quota > 0 ? req->options->upload_quota : 1;
    buf_append_str(b, "<p class=\"storage\"><label for=\"storage-meter\">Storage used:</label> ");
    web_write_bytes(b, used);
    buf_append_str(b, " of ");
    web_write_bytes(b, quota);
    buf_appendf(b, " <meter id=\"storage-meter\" min=\"0\" max=\"%lld\" low=\"%lld\" high=\"%lld\" value=\"%lld\">",
                (long long)quota, (long long)(quota * 7 / 10), (long long)(quota * 9 / 10), (long long)used);
    buf_appendf(b, "%lld%%</meter></p>\n", (long long)(used * 100 / quota));
}

/* The wallet with the upload form in the given state (NULL: empty, kind preselected). */
static void render(struct http_request *req, int status, const char *notice, const struct web_upload_form *form)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Documents", &user))
        return;
    if (!account_has_role(&user, ROLE_STUDENT)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "The document wallet is for students");
        return;
    }
    struct store_document *docs = NULL;
    size_t count = 0;
    int64_t used = 0;
    if (store_documents_current(req->db, &req->arena, user.id, &docs, &count) != DB_OK ||
        store_documents_bytes(req->db, user.id, &used) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct web_upload_form empty = {0};
    if (form == NULL) {
        struct http_kv_list *query;
        if (http_query(req, &query) != 0)
            return;
        const char *kind = http_kv_get(query, "kind");
        if (kind != NULL && reference_document_kind_find(kind) != NULL)
            empty.kind = kind;
        form = &empty;
    }

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Documents</h1>\n");
    web_upload_error_summary(&b, &req->arena, form);
    buf_append_str(&b, "<p class=\"lead\">Upload each document once. Rounds staff check it, and "
                       "it then counts for every rotation that asks for it.</p>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    render_storage(req, &b, used);
    render_documents(req, &b, docs, count);

    buf_append_str(&b, "<section class=\"card\" id=\"upload\" aria-labelledby=\"upload-heading\">"
                       "<h2 id=\"upload-heading\">Upload a document</h2>\n");
    buf_append_str(&b, "<form class=\"stack\" method=\"post\" action=\"/wallet\" enctype=\"multipart/form-data\">\n"
                       "<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(&b, page.csrf_token);
    buf_append_str(&b, "\">\n");
    web_document_upload_fields(req, &b, form, false);
    view_form_end(&b, "Upload");
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_wallet(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, done_message(http_kv_get(query, "done")), NULL);
}

void web_page_wallet_upload(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    if (!account_has_role(&user, ROLE_STUDENT)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "The document wallet is for students");
        return;
    }
    struct web_upload_form form = {
        .kind = http_form(req, "kind"),
        .issued_on = http_form(req, "issued_on"),
        .expires_on = http_form(req, "expires_on"),
    };
    if (req->body_too_large) {
        struct error err;
        error_set(&err, ERR_PAYLOAD_TOO_LARGE, "file", NULL);
        render(req, web_upload_refusal(req, &err, &form), NULL, &form);
        return;
    }
    const struct http_part *file = http_part(req, "file");
    struct document_upload upload = web_upload_of_form(&form, file);
    int status = web_upload_check(req, file, &upload, &form);
    if (status != 0) {
        render(req, status, NULL, &form);
        return;
    }
    struct store_document doc = {0};
    struct error err = {0};
    if (document_upload(req->db, &req->arena, &user, &upload, &doc, &err) != 0) {
        if (err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL || err.code == ERR_NONE) {
            http_reply_error(req, err.code == ERR_NONE ? ERR_INTERNAL : err.code, NULL, NULL);
            return;
        }
        status = web_upload_refusal(req, &err, &form);
        render(req, status, NULL, &form);
        return;
    }
    web_redirect_done(req, "/wallet/", doc.id, "uploaded");
}
