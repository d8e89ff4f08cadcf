/* page_compliance.c — the onboarding checklist of an application:
 *
 *   GET  /applications/{id}/compliance  each requirement (from the host and the
 *        rotation) with its state in words, why, and the document meeting it;
 *        "3 of 5 requirements met". The student gets "Upload" links to the
 *        wallet with the kind chosen, and a form to attach wallet documents;
 *        the host side gets "Clear for the rotation" once everything is met
 *        (and the reason when not yet).
 *   POST /applications/{id}/documents   attaches the ticked wallet documents
 *
 * Who may see it is who may see the application (domain/applications.h);
 * anyone else gets a 404. The states come from compliance_for_application. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/documents.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

enum { ATTACH_MAX = 64 };

const char *const web_compliance_params[] = {"done", NULL};

/* The class name of a state: its stored name ("state-ok"); unknown ones as missing. */
static const char *state_class(enum compliance_state state)
{
    return state != COMPLIANCE_STATE_UNKNOWN ? compliance_state_name(state) : compliance_state_name(COMPLIANCE_MISSING);
}

static void write_rule(struct buf *b, const struct requirement_rule *r)
{
    if (r->issued_within_days > 0)
        buf_appendf(b, "Issued within %lld days before the start, valid through the rotation",
                    (long long)r->issued_within_days);
    else
        buf_append_str(b, "Valid through the rotation");
    /* Who asks for it, in words ("Valid through the rotation · this rotation" read as a stutter). */
    buf_append_str(b, r->source == REQUIREMENT_FROM_HOST ? " · asked by the host for all its rotations"
                                                          : " · asked by this rotation");
}

/* The document of an item, linked for whoever looks: the student to the
 * wallet, staff to the viewer, the host side to the file itself. */
static void write_document(struct buf *b, const struct store_document *d, bool student, bool staff)
{
    if (d == NULL) {
        buf_append_str(b, "<span class=\"muted\">None</span>");
        return;
    }
    if (student) {
        buf_append_str(b, "<a href=\"/wallet/");
        buf_append_url(b, d->id);
        buf_append_str(b, "\">");
    } else if (staff) {
        buf_append_str(b, "<a href=\"/staff/documents/");
        buf_append_url(b, d->id);
        buf_append_str(b, "\">");
    } else {
        buf_append_str(b, "<a href=\"/documents/");
        buf_append_url(b, d->id);
        buf_append_str(b, "/file\">");
    }
    buf_append_html(b, d->file_name);
    buf_append_str(b, "</a>");
}

/* The links read as sentences to a screen reader, like the checklist's
 * "Why" ("Upload your passport", "Upload a new version of your passport"). */
static void write_student_action(struct buf *b, struct arena *arena, const struct compliance_item *it)
{
    if (it->state == COMPLIANCE_OK) {
        buf_append_str(b, "<span class=\"muted\">Nothing to do</span>");
    } else if (it->state == COMPLIANCE_PENDING) {
        buf_append_str(b, "<span class=\"muted\">Rounds staff will check it</span>");
    } else if (it->document != NULL && it->state != COMPLIANCE_MISSING) {
        buf_append_str(b, "<a href=\"/wallet/");
        buf_append_url(b, it->document->id);
        buf_append_str(b, "#replace\">Upload a new version<span class=\"visually-hidden\"> of your ");
        buf_append_html(b, document_kind_in_sentence(arena, it->rule.kind));
        buf_append_str(b, "</span></a>");
    } else {
        buf_append_str(b, "<a href=\"/wallet?kind=");
        buf_append_url(b, it->rule.kind);
        buf_append_str(b, "#upload\">Upload<span class=\"visually-hidden\"> your ");
        buf_append_html(b, document_kind_in_sentence(arena, it->rule.kind));
        buf_append_str(b, "</span></a>");
    }
}

static void render_items(struct buf *b, struct arena *arena, const struct compliance *c, bool student, bool staff)
{
    size_t met = 0;
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].state == COMPLIANCE_OK)
            met++;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"req-heading\"><h2 id=\"req-heading\">"
                      "Requirements</h2>\n");
    if (c->count == 0) {
        buf_append_str(b, "<p class=\"summary-line all-met\">This rotation asks for no documents.</p></section>\n");
        return;
    }
    if (c->all_ok)
        buf_append_str(b, "<p class=\"summary-line all-met\">All requirements met</p>\n");
    else
        buf_appendf(b, "<p class=\"summary-line\">%zu of %zu requirements met</p>\n", met, c->count);
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records checklist\"><caption>What this rotation "
                      "needs before the start, and where each one stands</caption><thead><tr>"
                      "<th scope=\"col\">Requirement</th><th scope=\"col\">State</th><th scope=\"col\">Why</th>"
                      "<th scope=\"col\">Document</th>");
    if (student)
        buf_append_str(b, "<th scope=\"col\">What to do</th>");
    buf_append_str(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < c->count; i++) {
        const struct compliance_item *it = &c->items[i];
        buf_append_str(b, "<tr><td data-label=\"Requirement\"><strong>");
        buf_append_html(b, document_kind_name(it->rule.kind));
        buf_append_str(b, "</strong><br><span class=\"muted\">");
        write_rule(b, &it->rule);
        buf_append_str(b, "</span></td><td data-label=\"State\"><span class=\"status state-");
        buf_append_str(b, state_class(it->state));
        buf_append_str(b, "\">");
        buf_append_html(b, compliance_state_label(it->state));
        buf_append_str(b, "</span></td><td data-label=\"Why\">");
        buf_append_html(b, it->detail != NULL ? it->detail : "");
        buf_append_str(b, "</td><td data-label=\"Document\">");
        write_document(b, it->document, student, staff);
        buf_append_str(b, "</td>");
        if (student) {
            buf_append_str(b, "<td data-label=\"What to do\">");
            write_student_action(b, arena, it);
            buf_append_str(b, "</td>");
        }
        buf_append_str(b, "</tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

/* The host side's clearance: the button when everything is met and the
 * state machine allows it; otherwise why not. */
static void render_clearance(struct buf *b, const struct store_application *a, const struct store_user *user,
                             const struct compliance *c, const char *csrf)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"clear-heading\"><h2 id=\"clear-heading\">"
                      "Clearance</h2>\n");
    enum application_status status = application_status_of(a);
    if (status == APPLICATION_CLEARED || status == APPLICATION_IN_PROGRESS || status == APPLICATION_COMPLETED) {
        buf_append_str(b, "<p>The student is cleared for the rotation.</p></section>\n");
        return;
    }
    bool may = application_may(a, user, "clear", false);
    if (may && c->all_ok) {
        buf_append_str(b, "<p>Every requirement is met. Clearing tells the student they may start on the first "
                          "day.</p>\n<form method=\"post\" action=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/clear\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf);
        buf_append_str(b, "\"><button type=\"submit\">Clear for the rotation</button></form></section>\n");
        return;
    }
    buf_append_str(b, "<p id=\"clear-why\">");
    if (status != APPLICATION_BOOKED) {
        buf_append_str(b, "A student can be cleared once the seat is booked. This application is: ");
        buf_append_html(b, application_status_label(status));
        buf_append_char(b, '.');
    } else if (!c->all_ok) {
        size_t open = 0;
        for (size_t i = 0; i < c->count; i++)
            if (c->items[i].state != COMPLIANCE_OK)
                open++;
        buf_appendf(b, "The student can be cleared once every requirement is met: %zu %s not yet.", open,
                    open == 1 ? "is" : "are");
    } else {
        buf_append_str(b, "Clearing this application is not yours to do.");
    }
    buf_append_str(b, "</p>\n<button type=\"button\" disabled aria-describedby=\"clear-why\">Clear for the rotation"
                      "</button></section>\n");
}

/* The student's wallet documents, to attach to the application. */
static void render_attach(struct http_request *req, struct buf *b, const struct store_application *a,
                          const struct store_user *user, const char *csrf, const char *error)
{
    buf_append_str(b, "<section class=\"card\" id=\"attach\" aria-labelledby=\"attach-heading\">"
                      "<h2 id=\"attach-heading\">Documents attached to this application</h2>\n"
                      "<p>The host sees the documents you attach here while the application is active and, once "
                      "the seat is booked, the ones this checklist asks for.</p>\n");
    struct store_document *docs = NULL;
    size_t count = 0;
    const char **attached = NULL;
    size_t attached_count = 0;
    if (store_documents_current(req->db, &req->arena, user->id, &docs, &count) != DB_OK ||
        store_application_documents(req->db, &req->arena, a->id, &attached, &attached_count) != DB_OK) {
        view_alert(b, "Your documents could not be loaded. Reload the page in a moment.");
        buf_append_str(b, "</section>\n");
        return;
    }
    if (count == 0) {
        buf_append_str(b, "<p>Your wallet is empty: <a href=\"/wallet#upload\">upload a document</a> first.</p>"
                          "</section>\n");
        return;
    }
    size_t unattached = 0;
    buf_append_str(b, "<ul class=\"plain-list\">");
    for (size_t i = 0; i < count; i++) {
        bool is_attached = false;
        for (size_t j = 0; j < attached_count && !is_attached; j++)
            is_attached = attached[j] != NULL && strcmp(attached[j], docs[i].id) == 0;
        if (!is_attached) {
            unattached++;
            continue;
        }
        buf_append_str(b, "<li>");
        buf_append_html(b, document_kind_name(docs[i].kind));
        buf_append_str(b, ": ");
        buf_append_html(b, docs[i].file_name);
        buf_append_str(b, " <span class=\"muted\">(attached)</span></li>");
    }
    buf_append_str(b, "</ul>\n");
    if (unattached == 0) {
        buf_append_str(b, "<p>Every document in your wallet is attached.</p></section>\n");
        return;
    }
    buf_append_str(b, "<form class=\"stack\" method=\"post\" action=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_str(b, "/documents\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\"><fieldset class=\"choices\" id=\"f-document_ids\"");
    if (error != NULL)
        buf_append_str(b, " aria-invalid=\"true\" aria-describedby=\"e-document_ids\"");
    buf_append_str(b, "><legend>Attach from your wallet</legend>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-document_ids\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    for (size_t i = 0; i < count; i++) {
        bool is_attached = false;
        for (size_t j = 0; j < attached_count && !is_attached; j++)
            is_attached = attached[j] != NULL && strcmp(attached[j], docs[i].id) == 0;
        if (is_attached)
            continue;
        buf_append_str(b, "<label><input type=\"checkbox\" name=\"document_ids\" value=\"");
        buf_append_html(b, docs[i].id);
        buf_append_str(b, "\"> ");
        buf_append_html(b, document_kind_name(docs[i].kind));
        buf_append_str(b, ": ");
        buf_append_html(b, docs[i].file_name);
        buf_append_str(b, "</label>\n");
    }
    buf_append_str(b, "</fieldset>");
    view_form_end(b, "Attach selected documents");
    buf_append_str(b, "</section>\n");
}

static void render(struct http_request *req, int status, const char *id, const char *notice, const char *error,
                   const char *attach_error)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Onboarding checklist", &user))
        return;
    struct store_application a = {0};
    if (!web_application_visible(req, &user, id, "compliance", &a))
        return;
    struct compliance c = {0};
    if (compliance_for_application(req->db, &req->arena, &a, &c) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    bool student = strcmp(a.student_id, user.id) == 0;
    bool host = application_host_side(&a, &user);
    bool staff = account_has_role(&user, ROLE_STAFF);

    struct buf title;
    buf_init(&title, &req->arena, BUF_CAP_LINE);
    buf_append_str(&title, "Onboarding checklist: ");
    buf_append_str(&title, a.offering_title);
    if (buf_ok(&title))
        page.title = title.data;

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/applications/");
    buf_append_url(&b, a.id);
    buf_append_str(&b, "\">Back to the application</a></p>\n<header class=\"application-head\"><p class=\"kicker\">"
                       "Onboarding checklist");
    if (!student) {
        buf_append_str(&b, " of ");
        buf_append_html(&b, a.student_name);
    }
    buf_append_str(&b, "</p><h1>");
    buf_append_html(&b, a.offering_title);
    buf_append_str(&b, "</h1>\n<p class=\"where\"><span class=\"host\">");
    buf_append_html(&b, a.host_name);
    buf_append_str(&b, "</span> · Rotation from ");
    view_date(&b, c.start != NULL ? c.start : a.block_start);
    buf_append_str(&b, " to ");
    view_date(&b, c.end != NULL ? c.end : a.block_end);
    buf_append_str(&b, "</p>\n<p class=\"current-status\">Application: ");
    web_application_status(&b, application_status_of(&a));
    buf_append_str(&b, "</p></header>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    if (error != NULL)
        view_alert(&b, error);
    render_items(&b, &req->arena, &c, student, staff && !student);
    if (host && !student)
        render_clearance(&b, &a, &user, &c, page.csrf_token);
    if (student)
        render_attach(req, &b, &a, &user, page.csrf_token, attach_error);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_compliance_render(struct http_request *req, int status, const char *id, const char *error)
{
    render(req, status, id, NULL, error, NULL);
}

void web_page_compliance(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    const char *notice = done != NULL && strcmp(done, "attached") == 0
                             ? "The documents are attached: the host can see them now."
                             : NULL;
    render(req, 200, http_param(req, "id"), notice, NULL, NULL);
}

struct attach_ctx {
    struct arena *arena;
    const char *application_id;
    const struct store_user *student;
    const char *const *ids;
    size_t count;
    struct error err;
};

static int attach_tx(struct db_conn *conn, void *p)
{
    struct attach_ctx *ctx = p;
    int rc = document_attach(conn, ctx->arena, ctx->application_id, ctx->student, ctx->ids, ctx->count, &ctx->err);
    if (rc == 0)
        return DB_OK;
    if (ctx->err.code != ERR_NONE)
        return DB_CONSTRAINT; /* refused: roll back, the error says why */
    return rc == DB_RETRY ? DB_RETRY : DB_ERROR;
}

void web_page_compliance_attach(struct http_request *req)
{
    const char *id = http_param(req, "id");
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct store_application a = {0};
    int rc = store_application_get(req->db, &req->arena, id, &a);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (rc == DB_DONE || strcmp(a.student_id, user.id) != 0) {
        /* Only its student attaches; for anyone else it does not exist, unless they may see it. */
        if (rc == DB_ROW && application_visible_to(&a, &user)) {
            render(req, 404, id, NULL, "Only the student attaches documents to an application.", NULL);
            return;
        }
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This application does not exist, or it is not yours to see");
        return;
    }
    const char *ids[ATTACH_MAX];
    size_t count = 0;
    for (size_t i = 0; i < req->form.count; i++) {
        if (strcmp(req->form.items[i].name, "document_ids") != 0 || req->form.items[i].value[0] == '\0')
            continue;
        if (count == ATTACH_MAX) {
            render(req, 400, id, NULL, NULL, "Attach at most 64 documents at a time.");
            return;
        }
        ids[count++] = req->form.items[i].value;
    }
    if (count == 0) {
        render(req, 400, id, NULL, NULL, "Tick at least one document to attach.");
        return;
    }
    struct attach_ctx ctx = {&req->arena, a.id, &user, ids, count, {0}};
    rc = db_run_tx(req->db, true, attach_tx, &ctx);
    if (rc != DB_OK) {
        if (ctx.err.code == ERR_NOT_FOUND) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "This application does not exist, or it is not yours to see");
            return;
        }
        if (ctx.err.code != ERR_NONE && error_status(ctx.err.code) < 500) {
            bool ids_wrong = ctx.err.field != NULL && strcmp(ctx.err.field, "document_ids") == 0;
            const char *why = ctx.err.detail != NULL ? ctx.err.detail : error_title(ctx.err.code);
            render(req, error_status(ctx.err.code), id, NULL, ids_wrong ? NULL : why,
                   ids_wrong ? "One of these documents is no longer in your wallet. Reload the page and try again."
                             : NULL);
            return;
        }
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/applications/");
    buf_append_url(&location, a.id);
    buf_append_str(&location, "/compliance?done=attached");
    http_redirect(req, location.data);
}
