/* page_host_home.c — GET /host: a host coordinator's organisations and their
 * offerings, with links to change each one and to add a new one. Staff see
 * every host. Others are told that this page is not for them. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/reference.h"
#include "lib/limits.h"
#include "web/web.h"

enum { HOST_PAGE_ORGS = 50, HOST_PAGE_OFFERINGS = 100 };

/* "$2,500" or "$2,500.50" for cents. */
static void write_dollars(struct buf *b, int64_t cents)
{
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%lld", (long long)(cents / 100));
    buf_append_char(b, '$');
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf_append_char(b, ',');
        buf_append_char(b, digits[i]);
    }
    if (cents % 100 != 0)
        buf_appendf(b, ".%02lld", (long long)(cents % 100));
}

static const char *kind_label(const char *kind)
{
    enum offering_kind known = offering_kind_parse(kind);
    return known != OFFERING_KIND_UNKNOWN ? offering_kind_label(known) : kind;
}

static void write_organization(struct http_request *req, struct buf *b, const char *id, const char *name)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"org-");
    buf_append_html(b, id);
    buf_append_str(b, "\"><div class=\"actions\"><h2 id=\"org-");
    buf_append_html(b, id);
    buf_append_str(b, "\">");
    buf_append_html(b, name);
    buf_append_str(b, "</h2><a class=\"button\" href=\"/host/offerings/new?organization_id=");
    buf_append_url(b, id);
    buf_append_str(b, "\">New offering</a><a href=\"/host/requirements?organization_id=");
    buf_append_url(b, id);
    buf_append_str(b, "\">Document requirements<span class=\"visually-hidden\"> of ");
    buf_append_html(b, name);
    buf_append_str(b, "</span></a></div>\n");
    struct store_offering *offerings;
    size_t count;
    if (store_offerings_list(req->db, &req->arena, id, NULL, NULL, HOST_PAGE_OFFERINGS, &offerings, &count) !=
        DB_OK) {
        view_alert(b, "The offerings could not be loaded. Try again in a moment.");
        buf_append_str(b, "</section>\n");
        return;
    }
    if (count == 0) {
        buf_append_str(b, "<p>No offerings yet.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption class=\"visually-hidden\">"
                      "Offerings of ");
    buf_append_html(b, name);
    buf_append_str(b, "</caption><thead><tr><th scope=\"col\">Title</th><th scope=\"col\">Specialty</th>"
                      "<th scope=\"col\">Kind</th><th scope=\"col\">Site</th><th scope=\"col\">Weeks</th>"
                      "<th scope=\"col\">Tuition</th><th scope=\"col\">Status</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_offering *o = &offerings[i];
        const struct reference_specialty *spec = reference_specialty_find(o->specialty);
        buf_append_str(b, "<tr><td data-label=\"Title\"><a href=\"/host/offerings/");
        buf_append_url(b, o->id);
        buf_append_str(b, "/edit\">");
        buf_append_html(b, o->title);
        buf_append_str(b, "</a></td><td data-label=\"Specialty\">");
        buf_append_html(b, spec != NULL ? spec->name : o->specialty);
        buf_append_str(b, "</td><td data-label=\"Kind\">");
        buf_append_html(b, kind_label(o->kind));
        buf_append_str(b, "</td><td data-label=\"Site\">");
        buf_append_html(b, o->site_name);
        buf_append_str(b, ", ");
        buf_append_html(b, o->site_city);
        buf_appendf(b, "</td><td data-label=\"Weeks\">%lld</td><td data-label=\"Tuition\">", (long long)o->weeks);
        write_dollars(b, o->tuition_cents);
        buf_append_str(b, "</td><td data-label=\"Status\">");
        enum offering_status status = offering_status_parse(o->status);
        buf_append_html(b, status != OFFERING_STATUS_UNKNOWN ? offering_status_label(status) : o->status);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
    if (count == HOST_PAGE_OFFERINGS)
        buf_append_str(b, "<p>Showing the first 100 offerings.</p>\n");
    buf_append_str(b, "</section>\n");
}

void web_page_host(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Manage offerings", &user))
        return;
    bool staff = account_has_role(&user, ROLE_STAFF);
    const struct store_membership *managed[STORE_MAX_MEMBERSHIPS];
    size_t managed_count = catalog_managed_organizations(&user, managed, STORE_MAX_MEMBERSHIPS);
    if (!staff && managed_count == 0) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "This page is for host coordinators and staff");
        return;
    }
    struct store_organization *hosts = NULL;
    size_t host_count = 0;
    if (staff && store_organizations_list(req->db, &req->arena, organization_kind_name(ORGANIZATION_HOST), NULL,
                                          HOST_PAGE_ORGS, &hosts, &host_count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Manage offerings</h1>\n<p>Your rotations, by host. Choose a title to change it or "
                       "its blocks.</p>\n");
    if (staff) {
        for (size_t i = 0; i < host_count; i++)
            write_organization(req, &b, hosts[i].id, hosts[i].name);
        if (host_count == 0)
            buf_append_str(&b, "<p>There are no host organisations yet.</p>\n");
    } else {
        for (size_t i = 0; i < managed_count; i++)
            write_organization(req, &b, managed[i]->organization_id, managed[i]->organization_name);
    }
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
