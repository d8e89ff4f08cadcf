/* page_wallet_document.c — one document of the student's wallet:
 *
 *   GET  /wallet/{id}          its details, a "View file" link (served inline by
 *                              /documents/{id}/file), the reason when staff
 *                              rejected it, its older versions, a replace form
 *                              and a delete button
 *   POST /wallet/{id}/replace  uploads a new version (the old one stays as history)
 *   POST /wallet/{id}/delete   first asks again (a second submit confirms, no
 *                              JavaScript), then deletes it with its history
 *
 * Only its student sees these pages; anyone else gets a 404. A refused
 * replace shows the page again with every problem of its form at once. */
#include <string.h>

#include "domain/documents.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_wallet_document_params[] = {"done", NULL};

static const char *done_message(const char *done)
{
    if (done == NULL)
        return NULL;
    if (strcmp(done, "uploaded") == 0)
        return "The document is uploaded. Rounds staff will check it; until then it shows as waiting for "
               "verification.";
    if (strcmp(done, "replaced") == 0)
        return "The new version is uploaded and waits for verification. The old one is kept in the history below.";
    return NULL;
}

static const char *media_words(const char *media_type)
{
    if (media_type == NULL)
        return "File";
    if (strcmp(media_type, "application/pdf") == 0)
        return "PDF";
    if (strcmp(media_type, "image/png") == 0)
        return "PNG image";
    if (strcmp(media_type, "image/jpeg") == 0)
        return "JPEG image";
    return media_type;
}

static void fact(struct buf *b, const char *term)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
}

static void write_date_or(struct buf *b, const char *date, const char *otherwise)
{
    if (date != NULL && date[0] != '\0')
        view_date(b, date);
    else {
        buf_append_str(b, "<span class=\"muted\">");
        buf_append_html(b, otherwise);
        buf_append_str(b, "</span>");
    }
}

static void render_details(const struct http_request *req, struct buf *b, const struct store_document *d)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"details-heading\"><h2 id=\"details-heading\">"
                      "Details</h2>\n<dl class=\"facts\">");
    fact(b, "State");
    web_document_state(b, document_state_of(d));
    buf_append_str(b, "</dd>");
    fact(b, "File");
    buf_append_html(b, d->file_name);
    buf_append_str(b, " <span class=\"muted\">(");
    buf_append_html(b, media_words(d->media_type));
    buf_append_str(b, ", ");
    web_write_bytes(b, d->size);
    buf_append_str(b, ")</span> <a href=\"/documents/");
    buf_append_url(b, d->id);
    buf_append_str(b, "/file\">View file</a></dd>");
    fact(b, "Issued on");
    write_date_or(b, d->issued_on, "Not given");
    buf_append_str(b, "</dd>");
    fact(b, "Expires on");
    write_date_or(b, d->expires_on, "Does not expire");
    web_document_expiry_warning(b, d->expires_on);
    buf_append_str(b, "</dd>");
    fact(b, "Uploaded");
    web_write_instant(req, b, d->created_at);
    buf_append_str(b, "</dd>");
    if (d->reviewed_at > 0) {
        fact(b, document_state_label(document_state_of(d)));
        web_write_instant(req, b, d->reviewed_at);
        buf_append_str(b, " by Rounds staff</dd>");
    }
    buf_append_str(b, "</dl></section>\n");
}

static void render_history(const struct http_request *req, struct buf *b, const struct store_document *versions,
                           size_t count)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"history-heading\"><h2 id=\"history-heading\">"
                      "Older versions</h2>\n");
    if (count == 0) {
        buf_append_str(b, "<p class=\"muted\">None: this is the first version.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Versions this one replaced, "
                      "newest first</caption><thead><tr><th scope=\"col\">Uploaded</th><th scope=\"col\">File</th>"
                      "<th scope=\"col\">State</th><th scope=\"col\">Expires</th><th scope=\"col\">Reason</th>"
                      "</tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_document *v = &versions[i];
        buf_append_str(b, "<tr><td data-label=\"Uploaded\">");
        web_write_instant(req, b, v->created_at);
        buf_append_str(b, "</td><td data-label=\"File\">");
        buf_append_html(b, v->file_name);
        buf_append_str(b, " <a href=\"/documents/");
        buf_append_url(b, v->id);
        buf_append_str(b, "/file\">View<span class=\"visually-hidden\"> ");
        buf_append_html(b, v->file_name);
        buf_append_str(b, "</span></a></td><td data-label=\"State\">");
        web_document_state(b, document_state_of(v));
        buf_append_str(b, "</td><td data-label=\"Expires\">");
        write_date_or(b, v->expires_on, "Does not expire");
        buf_append_str(b, "</td><td data-label=\"Reason\">");
        if (v->reject_reason != NULL && v->reject_reason[0] != '\0')
            buf_append_html(b, v->reject_reason);
        else
            buf_append_str(b, "<span class=\"muted\">None</span>");
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static void render_replace(struct http_request *req, struct buf *b, const struct store_document *d,
                           const char *csrf, const struct web_upload_form *form)
{
    buf_append_str(b, "<section class=\"card\" id=\"replace\" aria-labelledby=\"replace-heading\">"
                      "<h2 id=\"replace-heading\">Upload a new version</h2>\n<p>For a renewed or corrected document. "
                      "The new version replaces this one everywhere and is checked again; this one stays in the "
                      "history.</p>\n");
    buf_append_str(b, "<form class=\"stack\" method=\"post\" enctype=\"multipart/form-data\" action=\"/wallet/");
    buf_append_url(b, d->id);
    buf_append_str(b, "/replace\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\">\n");
    web_document_upload_fields(req, b, form, true);
    view_form_end(b, "Upload new version");
    buf_append_str(b, "</section>\n");
}

static void render_delete(struct buf *b, const struct store_document *d, const char *csrf, bool confirm,
                          size_t history_count)
{
    buf_append_str(b, "<section class=\"card\" id=\"delete\" aria-labelledby=\"delete-heading\">"
                      "<h2 id=\"delete-heading\">Delete this document</h2>\n");
    buf_append_str(b, confirm ? "<div class=\"confirm\">" : "");
    buf_append_str(b, "<p>");
    if (confirm) {
        buf_append_str(b, "<strong>Delete your ");
        buf_append_html(b, document_kind_name(d->kind));
        if (history_count > 0)
            buf_appendf(b, " and its %zu older version%s", history_count, history_count == 1 ? "" : "s");
        buf_append_str(b, "?</strong> The file is removed from Rounds and this cannot be undone.");
    } else {
        buf_append_str(b, "Removes the file and its older versions from Rounds. A document that a booked rotation "
                          "relies on cannot be deleted: upload a new version instead.");
    }
    buf_append_str(b, "</p>\n<form class=\"actions wrap\" method=\"post\" action=\"/wallet/");
    buf_append_url(b, d->id);
    buf_append_str(b, "/delete\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\">");
    if (confirm) {
        buf_append_str(b, "<input type=\"hidden\" name=\"confirm\" value=\"1\">"
                          "<button type=\"submit\" class=\"danger\">Yes, delete it</button><a href=\"/wallet/");
        buf_append_url(b, d->id);
        buf_append_str(b, "\">No, keep it</a>");
    } else {
        buf_append_str(b, "<button type=\"submit\" class=\"danger\">Delete…</button>");
    }
    buf_append_str(b, "</form>");
    buf_append_str(b, confirm ? "</div>" : "");
    buf_append_str(b, "</section>\n");
}

/* The page; form is the replace form's state, confirm asks before deleting. */
static void render(struct http_request *req, int status, const char *id, const char *notice, const char *error,
                   const struct web_upload_form *form, bool confirm)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Document", &user))
        return;
    struct store_document d = {0};
    struct error err = {0};
    if (document_get_visible(req->db, &req->arena, id, &user, &d, &err) != 0 || strcmp(d.student_id, user.id) != 0) {
        if (err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL) {
            http_reply_error(req, err.code, NULL, NULL);
            return;
        }
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This document does not exist, or it is not yours to see");
        return;
    }
    struct store_document *history = NULL;
    size_t history_count = 0;
    bool history_ok = store_document_history(req->db, &req->arena, d.id, &history, &history_count) == DB_OK;
    page.title = document_kind_name(d.kind);

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/wallet\">Back to your documents</a></p>\n"
                       "<header class=\"application-head\"><p class=\"kicker\">Document</p><h1>");
    buf_append_html(&b, document_kind_name(d.kind));
    buf_append_str(&b, "</h1><p class=\"current-status\">State: ");
    web_document_state(&b, document_state_of(&d));
    buf_append_str(&b, "</p></header>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    if (error != NULL)
        view_alert(&b, error);
    web_upload_error_summary(&b, &req->arena, form);
    bool current = d.replaced_at == 0;
    if (!current)
        view_notice(&b, "This is an older version: a newer one replaced it. Your current documents are listed "
                        "on the Documents page.");
    if (document_state_of(&d) == DOCUMENT_REJECTED) {
        buf_append_str(&b, "<div class=\"notice error reject-reason\"><p><strong>Rounds staff rejected this "
                           "document.</strong> Their reason:</p><blockquote>");
        buf_append_html(&b, d.reject_reason != NULL && d.reject_reason[0] != '\0' ? d.reject_reason : "None given.");
        buf_append_str(&b, "</blockquote>");
        if (current)
            buf_append_str(&b, "<p><a href=\"#replace\">Upload a corrected version</a>.</p>");
        buf_append_str(&b, "</div>\n");
    }
    render_details(req, &b, &d);
    if (current)
        render_replace(req, &b, &d, page.csrf_token, form);
    if (history_ok)
        render_history(req, &b, history, history_count);
    else
        view_alert(&b, "The older versions could not be loaded. Reload the page in a moment.");
    if (current)
        render_delete(&b, &d, page.csrf_token, confirm, history_count);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_wallet_document(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_param(req, "id"), done_message(http_kv_get(query, "done")), NULL, NULL, false);
}

void web_page_wallet_replace(struct http_request *req)
{
    const char *id = http_param(req, "id");
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct store_document old = {0};
    struct error err = {0};
    if (document_get_visible(req->db, &req->arena, id, &user, &old, &err) != 0 || strcmp(old.student_id, user.id) != 0) {
        http_reply_error(req, err.code == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_NOT_FOUND, NULL,
                         "This document does not exist, or it is not yours to see");
        return;
    }
    struct web_upload_form form = {
        .kind = old.kind,
        .issued_on = http_form(req, "issued_on"),
        .expires_on = http_form(req, "expires_on"),
    };
    if (req->body_too_large) {
        error_set(&err, ERR_PAYLOAD_TOO_LARGE, "file", NULL);
        render(req, web_upload_refusal(req, &err, &form), id, NULL, NULL, &form, false);
        return;
    }
    const struct http_part *file = http_part(req, "file");
    struct document_upload upload = web_upload_of_form(&form, file); /* form.kind is old.kind */
    upload.replaces_id = old.id;
    int status = web_upload_check(req, file, &upload, &form);
    if (status != 0) {
        render(req, status, id, NULL, NULL, &form, false);
        return;
    }
    struct store_document doc = {0};
    err = (struct error){0};
    if (document_upload(req->db, &req->arena, &user, &upload, &doc, &err) != 0) {
        if (err.code == ERR_NOT_FOUND) {
            /* Replaced or deleted meanwhile (another tab): show it as it is now. */
            render(req, 409, id, NULL, "This document was replaced or deleted meanwhile, so nothing was uploaded.",
                   NULL, false);
            return;
        }
        if (err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL || err.code == ERR_NONE) {
            http_reply_error(req, err.code == ERR_NONE ? ERR_INTERNAL : err.code, NULL, NULL);
            return;
        }
        status = web_upload_refusal(req, &err, &form);
        render(req, status, id, NULL, NULL, &form, false);
        return;
    }
    web_redirect_done(req, "/wallet/", doc.id, "replaced");
}

void web_page_wallet_delete(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *confirm = http_form(req, "confirm");
    if (confirm == NULL || strcmp(confirm, "1") != 0) {
        render(req, 200, id, NULL, NULL, NULL, true);
        return;
    }
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct error err = {0};
    if (document_delete(req->db, &req->arena, id, &user, &err) != 0) {
        if (err.code == ERR_DOCUMENT_IN_USE || err.code == ERR_CONFLICT) {
            render(req, 409, id, NULL,
                   "This document is attached to a booked rotation, so it cannot be deleted now. Upload a new "
                   "version instead if it changed.",
                   NULL, false);
            return;
        }
        if (err.code == ERR_NOT_FOUND || err.code == ERR_FORBIDDEN) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "This document does not exist, or it is not yours to see");
            return;
        }
        http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, "/wallet?done=deleted");
}
