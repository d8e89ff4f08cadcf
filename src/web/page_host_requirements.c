/* page_host_requirements.c — the documents a host asks of every student
 * before the start of any of its rotations:
 *
 *   GET  /host/requirements?organization_id=   the host's rules (kind, and
 *        "issued within N days before the start" or "valid through the
 *        rotation") with remove buttons, and the form to add one
 *   POST /host/requirements                    adds a rule (requirement_add)
 *   POST /host/requirements/{id}/delete        removes one (requirement_remove)
 *
 * For the host's coordinators (the first host they coordinate when none is
 * named) and staff; anyone else, or another host, gets a 404. Rules of one
 * rotation are the document kinds ticked on its offering page. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/documents.h"
#include "lib/limits.h"
#include "web/web.h"

enum { HOSTS_MAX = 200 };

const char *const web_host_requirements_params[] = {"organization_id", "done", NULL};

/* The add form as sent, with every problem of its fields. */
struct add_form {
    const char *kind, *days;
    struct web_form_errors fields; /* "kind", "issued_within_days" */
};

struct host_choice {
    const char *id, *name;
};

/* The hosts the user may manage here: the ones they coordinate, or every host for staff. */
static int hosts_of(struct http_request *req, const struct store_user *user, struct host_choice **out,
                    size_t *count)
{
    *out = NULL;
    *count = 0;
    if (account_has_role(user, ROLE_STAFF)) {
        struct store_organization *orgs = NULL;
        size_t n = 0;
        if (store_organizations_list(req->db, &req->arena, organization_kind_name(ORGANIZATION_HOST), NULL, HOSTS_MAX,
                                     &orgs, &n) != DB_OK)
            return -1;
        *out = arena_calloc(&req->arena, n + 1, sizeof(**out));
        if (*out == NULL)
            return -1;
        for (size_t i = 0; i < n; i++)
            (*out)[i] = (struct host_choice){orgs[i].id, orgs[i].name};
        *count = n;
        return 0;
    }
    const struct store_membership *managed[STORE_MAX_MEMBERSHIPS];
    size_t n = catalog_managed_organizations(user, managed, STORE_MAX_MEMBERSHIPS);
    *out = arena_calloc(&req->arena, n + 1, sizeof(**out));
    if (*out == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        (*out)[i] = (struct host_choice){managed[i]->organization_id, managed[i]->organization_name};
    *count = n;
    return 0;
}

static void write_rule(struct buf *b, int64_t days)
{
    if (days > 0)
        buf_appendf(b, "Issued within %lld days before the start, valid through the rotation", (long long)days);
    else
        buf_append_str(b, "Valid through the rotation");
}

/* The host the page is about: the one named (or the first the user manages);
 * staff may name any host. NULL when there is none for this user. */
static const struct host_choice *pick_host(struct http_request *req, const struct store_user *user,
                                           const char *organization_id, const struct host_choice *hosts,
                                           size_t host_count)
{
    bool named = organization_id != NULL && organization_id[0] != '\0';
    for (size_t i = 0; i < host_count; i++)
        if (!named || strcmp(hosts[i].id, organization_id) == 0)
            return &hosts[i];
    if (!named || !account_has_role(user, ROLE_STAFF))
        return NULL;
    /* Staff naming a host beyond the first HOSTS_MAX. */
    const char *kind = NULL;
    if (store_organization_kind(req->db, &req->arena, organization_id, &kind) != DB_ROW ||
        organization_kind_parse(kind) != ORGANIZATION_HOST)
        return NULL;
    struct host_choice *one = arena_alloc(&req->arena, sizeof(*one));
    if (one != NULL)
        *one = (struct host_choice){organization_id, organization_id};
    return one;
}

/* A host picker when the user manages several. */
static void render_host_choice(struct buf *b, const struct host_choice *hosts, size_t host_count,
                               const struct host_choice *host)
{
    if (host_count <= 1)
        return;
    buf_append_str(b, "<form class=\"list-filters\" method=\"get\" action=\"/host/requirements\" "
                      "aria-label=\"Choose a host\"><div class=\"field\"><label for=\"f-organization_id\">Host"
                      "</label><select id=\"f-organization_id\" name=\"organization_id\">");
    for (size_t i = 0; i < host_count; i++) {
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, hosts[i].id);
        buf_append_char(b, '"');
        if (strcmp(hosts[i].id, host->id) == 0)
            buf_append_str(b, " selected");
        buf_append_char(b, '>');
        buf_append_html(b, hosts[i].name);
        buf_append_str(b, "</option>");
    }
    buf_append_str(b, "</select></div><div class=\"actions\"><button type=\"submit\" class=\"secondary\">"
                      "Show</button></div></form>\n");
}

/* The host-wide requirements, each with its remove button. */
static void render_rules(const struct http_request *req, struct buf *b, const struct host_choice *host,
                         const struct store_requirement *rules, size_t rule_count, const char *csrf)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"rules-heading\"><h2 id=\"rules-heading\">"
                      "Asked of every student</h2>\n");
    if (rule_count == 0) {
        buf_append_str(b, "<p>None yet: only what each rotation asks for applies.</p>\n</section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Host-wide requirements of ");
    buf_append_html(b, host->name);
    buf_append_str(b, "</caption><thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Rule</th>"
                      "<th scope=\"col\">Added</th><th scope=\"col\">Remove</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < rule_count; i++) {
        const struct store_requirement *r = &rules[i];
        if (r->offering_id != NULL)
            continue;
        const char *kind = document_kind_name(r->kind);
        buf_append_str(b, "<tr><td data-label=\"Document\">");
        buf_append_html(b, kind);
        buf_append_str(b, "</td><td data-label=\"Rule\">");
        write_rule(b, r->issued_within_days);
        buf_append_str(b, "</td><td data-label=\"Added\">");
        web_write_instant(req, b, r->created_at);
        buf_append_str(b, "</td><td data-label=\"Remove\"><form class=\"inline\" method=\"post\" "
                          "action=\"/host/requirements/");
        buf_append_url(b, r->id);
        buf_append_str(b, "/delete\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf);
        buf_append_str(b, "\"><button type=\"submit\" class=\"secondary\">Remove<span class=\"visually-hidden\"> ");
        buf_append_html(b, kind);
        buf_append_str(b, "</span></button></form></td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n</section>\n");
}

/* The add form, with what was typed and its error. */
static void render_add_form(struct buf *b, const struct host_choice *host, const struct add_form *form,
                            const char *csrf)
{
    buf_append_str(b, "<section class=\"card\" id=\"add\" aria-labelledby=\"add-heading\">"
                      "<h2 id=\"add-heading\">Add a requirement</h2>\n");
    view_form_begin(b, "/host/requirements", csrf);
    buf_append_str(b, "<input type=\"hidden\" name=\"organization_id\" value=\"");
    buf_append_html(b, host->id);
    buf_append_str(b, "\">\n");
    const char *kind_error = form != NULL ? web_form_error_for(&form->fields, "kind") : NULL;
    const char *days_error = form != NULL ? web_form_error_for(&form->fields, "issued_within_days") : NULL;
    web_document_kind_select(b, "Document", "kind", form != NULL ? form->kind : NULL, kind_error);
    view_input(b, "Issued within (days before the start, optional)", "number", "issued_within_days",
               form != NULL ? form->days : NULL, NULL, false,
               "For example 90 for a recent TB test. Leave empty when any document valid through the rotation "
               "will do.",
               days_error);
    view_form_end(b, "Add requirement");
    buf_append_str(b, "</section>\n");
}

static void render(struct http_request *req, int status, const char *organization_id, const char *notice,
                   const char *error, const struct add_form *form)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Document requirements", &user))
        return;
    struct host_choice *hosts = NULL;
    size_t host_count = 0;
    if (hosts_of(req, &user, &hosts, &host_count) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    const struct host_choice *host = pick_host(req, &user, organization_id, hosts, host_count);
    if (host == NULL) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such host, or you do not manage it");
        return;
    }
    struct store_requirement *rules = NULL;
    size_t rule_count = 0;
    if (store_requirements_for(req->db, &req->arena, host->id, NULL, &rules, &rule_count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/host\">Back to Manage offerings</a></p>\n"
                       "<h1>Document requirements</h1>\n<p class=\"lead\">What ");
    buf_append_html(&b, host->name);
    buf_append_str(&b, " asks of every student before the start of any of its rotations. Students see these on "
                       "their onboarding checklist; a booking can only be cleared once each one is met. A single "
                       "rotation may ask for more on its offering page.</p>\n");
    render_host_choice(&b, hosts, host_count, host);
    if (notice != NULL)
        view_notice(&b, notice);
    if (error != NULL)
        view_alert(&b, error);
    if (form != NULL)
        /* The form is at the foot of the page: the page opens at the summary, linked to the fields. */
        web_form_error_summary(&b, &req->arena, "The requirement was not added. Everything you typed is still in "
                                                "the form.", &form->fields);
    render_rules(req, &b, host, rules, rule_count, page.csrf_token);
    render_add_form(&b, host, form, page.csrf_token);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_host_requirements(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    const char *notice = NULL;
    if (done != NULL && strcmp(done, "added") == 0)
        notice = "The requirement is added. Checklists of this host's bookings include it now.";
    else if (done != NULL && strcmp(done, "removed") == 0)
        notice = "The requirement is removed.";
    render(req, 200, http_kv_get(query, "organization_id"), notice, NULL, NULL);
}

static void redirect_to(struct http_request *req, const char *organization_id, const char *done)
{
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/host/requirements?organization_id=");
    buf_append_url(&location, organization_id);
    buf_append_str(&location, "&done=");
    buf_append_str(&location, done);
    http_redirect(req, location.data);
}

/* The days typed: 0 when empty, -1 (refused by name) when not a whole number from 1. */
static int64_t parse_days(const char *text)
{
    if (text == NULL || text[0] == '\0')
        return 0;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || n < 1)
        return -1;
    return n;
}

#define DAYS_SENTENCE "Issued within must be a whole number of days from 1 to " LIMIT_TEXT(ISSUED_WITHIN_DAYS_MAX) \
                      ", or empty."

/* Every problem of the fields typed (requirement_input_problems), in words. */
static void collect_field_errors(struct add_form *form, int64_t days)
{
    struct error problems[REQUIREMENT_INPUT_FIELDS];
    size_t count = requirement_input_problems(form->kind, days, problems, REQUIREMENT_INPUT_FIELDS);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(problems[i].field, "issued_within_days") == 0)
            web_form_error_add(&form->fields, "issued_within_days", DAYS_SENTENCE);
        else
            web_form_error_add(&form->fields, "kind",
                               form->kind == NULL || form->kind[0] == '\0' ? "Choose the document to require."
                                                                           : "Choose a document from the list.");
    }
}

void web_page_host_requirement_add(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *organization_id = http_form(req, "organization_id");
    struct add_form form = {.kind = http_form(req, "kind"), .days = http_form(req, "issued_within_days")};
    if (organization_id == NULL || organization_id[0] == '\0' || !catalog_may_manage(&user, organization_id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such host, or you do not manage it");
        return;
    }
    int64_t days = parse_days(form.days);
    collect_field_errors(&form, days);
    if (form.fields.count > 0) {
        render(req, 400, organization_id, NULL, NULL, &form);
        return;
    }
    struct store_requirement r = {0};
    struct error err = {0};
    if (requirement_add(req->db, &req->arena, &user, organization_id, NULL, form.kind, days, &r, &err) != 0) {
        if (err.code == ERR_NOT_FOUND) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such host, or you do not manage it");
            return;
        }
        if (err.code == ERR_CONFLICT)
            web_form_error_add(&form.fields, "kind",
                               "This document is already required. Remove it first to change its rule.");
        else if (err.code == ERR_VALIDATION_FAILED && err.field != NULL)
            collect_field_errors(&form, days);
        if (form.fields.count == 0) {
            http_reply_problem(req, &err);
            return;
        }
        render(req, error_status(err.code), organization_id, NULL, NULL, &form);
        return;
    }
    redirect_to(req, organization_id, "added");
}

void web_page_host_requirement_delete(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct store_requirement r = {0};
    int rc = store_requirement_get(req->db, &req->arena, id, &r);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (rc == DB_DONE || !catalog_may_manage(&user, r.organization_id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This requirement does not exist, or you do not manage it");
        return;
    }
    struct error err = {0};
    if (requirement_remove(req->db, &req->arena, &user, id, &err) != 0) {
        if (err.code == ERR_NOT_FOUND) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "This requirement does not exist, or you do not manage it");
            return;
        }
        http_reply_problem(req, &err);
        return;
    }
    redirect_to(req, r.organization_id, "removed");
}
