/* page_audit.c — GET /staff/audit (staff only; a 404 for everyone else): the
 * append-only audit trail, newest first, filtered by action and by actor
 * (an email or a user id), paged with ?before=. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "web/web.h"

enum { AUDIT_PAGE = 50 };

const char *const web_audit_params[] = {"action", "actor", "before", NULL};

static const char *param(struct http_kv_list *query, const char *name)
{
    const char *v = http_kv_get(query, name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The names of the actors on this page, looked up once each. */
struct actor {
    const char *id, *name, *email;
};

static const struct actor *actor_of(struct http_request *req, struct actor *known, size_t *count, const char *id)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp(known[i].id, id) == 0)
            return &known[i];
    if (*count == AUDIT_PAGE)
        return NULL;
    struct store_user u;
    struct actor *a = &known[(*count)++];
    a->id = id;
    a->name = a->email = NULL;
    if (store_user_by_id(req->db, &req->arena, id, &u) == DB_ROW) {
        a->name = u.name;
        a->email = u.email;
    }
    return a;
}

/* ?action=…&actor=…&before=… for the paging links. */
static void write_query(struct buf *b, const char *action, const char *actor, long long before)
{
    char sep = '?';
    if (action != NULL) {
        buf_append_str(b, "?action=");
        buf_append_url(b, action);
        sep = '&';
    }
    if (actor != NULL) {
        buf_append_char(b, sep);
        buf_append_str(b, "actor=");
        buf_append_url(b, actor);
        sep = '&';
    }
    if (before > 0) {
        buf_append_char(b, sep);
        buf_appendf(b, "before=%lld", before);
    }
}

static void text_filter(struct buf *b, const char *label, const char *name, const char *value, const char *hint)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label><small id=\"h-");
    buf_append_str(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, hint);
    buf_append_str(b, "</small><input type=\"text\" id=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\" name=\"");
    buf_append_str(b, name);
    buf_append_str(b, "\" aria-describedby=\"h-");
    buf_append_str(b, name);
    buf_append_str(b, "\"");
    if (value != NULL) {
        buf_append_str(b, " value=\"");
        buf_append_html(b, value);
        buf_append_char(b, '"');
    }
    if (strcmp(name, "action") == 0)
        buf_append_str(b, " list=\"audit-actions\"");
    buf_append_str(b, "></div>\n");
}

void web_page_audit(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Audit trail", &user))
        return;
    if (!account_has_role(&user, "staff")) {
        store_audit_add(req->db, user.id, "forbidden", "route", req->path, "GET", clock_now());
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
        return;
    }
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *action = param(query, "action");
    const char *actor = param(query, "actor");
    const char *before_text = param(query, "before");
    long long before = 0;
    if (before_text != NULL) {
        char *end = NULL;
        errno = 0;
        before = strtoll(before_text, &end, 10);
        if (errno != 0 || end == before_text || *end != '\0' || before < 1) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "before", "This is not a page of the audit trail");
            return;
        }
    }
    /* The actor may be given by email: the trail records user ids. */
    const char *actor_id = actor;
    const char *actor_message = NULL;
    if (actor != NULL && strchr(actor, '@') != NULL) {
        struct store_user found;
        int rc = store_user_by_email(req->db, &req->arena, actor, &found);
        if (rc == DB_ROW)
            actor_id = found.id;
        else if (rc == DB_DONE)
            actor_message = "No account has this email, so no event matches.";
        else {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
    }
    struct store_audit_event *items = NULL;
    size_t count = 0;
    if (actor_message == NULL &&
        store_audit_list(req->db, &req->arena, action, actor_id, before, AUDIT_PAGE, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Audit trail</h1>\n<p class=\"lead\">Who did what to which object, newest first. "
                       "Nothing here can be changed or removed.</p>\n"
                       "<form class=\"filters list-filters\" method=\"get\" action=\"/staff/audit\" role=\"search\" "
                       "aria-label=\"Filter the audit trail\">\n");
    text_filter(&b, "Action", "action", action, "For example transition, forbidden, login or login_failed.");
    text_filter(&b, "Actor", "actor", actor, "An email address or a user id.");
    buf_append_str(&b, "<datalist id=\"audit-actions\"><option value=\"transition\"><option value=\"forbidden\">"
                       "<option value=\"login\"><option value=\"login_failed\"></datalist>\n"
                       "<div class=\"actions\"><button type=\"submit\">Filter</button>");
    if (action != NULL || actor != NULL)
        buf_append_str(&b, "<a href=\"/staff/audit\">Clear the filters</a>");
    buf_append_str(&b, "</div></form>\n");
    if (actor_message != NULL)
        view_notice(&b, actor_message);
    else if (count == 0)
        buf_append_str(&b, before > 0 ? "<p>No older events.</p>\n" : "<p>No event matches.</p>\n");

    if (count > 0) {
        struct actor *known = arena_alloc(&req->arena, AUDIT_PAGE * sizeof(*known));
        size_t known_count = 0;
        buf_append_str(&b, "<div class=\"table-wrap\"><table class=\"records audit\"><caption>Audit events");
        if (before > 0)
            buf_append_str(&b, " (older page)");
        buf_append_str(&b, "</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Actor</th>"
                           "<th scope=\"col\">Action</th><th scope=\"col\">Object</th><th scope=\"col\">Detail</th>"
                           "</tr></thead><tbody>\n");
        for (size_t i = 0; i < count; i++) {
            const struct store_audit_event *e = &items[i];
            buf_append_str(&b, "<tr><td data-label=\"When\">");
            web_write_instant(&b, e->at);
            buf_append_str(&b, "</td><td data-label=\"Actor\">");
            const struct actor *who = e->actor_id != NULL && known != NULL
                                          ? actor_of(req, known, &known_count, e->actor_id)
                                          : NULL;
            if (e->actor_id == NULL) {
                buf_append_str(&b, "<span class=\"muted\">Nobody signed in, or Rounds itself</span>");
            } else if (who != NULL && who->name != NULL) {
                buf_append_html(&b, who->name);
                buf_append_str(&b, "<br><span class=\"muted\">");
                buf_append_html(&b, who->email);
                buf_append_str(&b, "</span>");
            } else {
                buf_append_html(&b, e->actor_id);
            }
            buf_append_str(&b, "</td><td data-label=\"Action\"><code>");
            buf_append_html(&b, e->action);
            buf_append_str(&b, "</code></td><td data-label=\"Object\">");
            buf_append_html(&b, e->object_type);
            buf_append_char(&b, ' ');
            if (strcmp(e->object_type, "application") == 0 && e->object_id[0] != '\0') {
                buf_append_str(&b, "<a href=\"/applications/");
                buf_append_url(&b, e->object_id);
                buf_append_str(&b, "\">");
                buf_append_html(&b, e->object_id);
                buf_append_str(&b, "</a>");
            } else {
                buf_append_str(&b, "<code>");
                buf_append_html(&b, e->object_id);
                buf_append_str(&b, "</code>");
            }
            buf_append_str(&b, "</td><td data-label=\"Detail\">");
            buf_append_html(&b, e->detail);
            buf_append_str(&b, "</td></tr>\n");
        }
        buf_append_str(&b, "</tbody></table></div>\n");
    }
    if (before > 0 || count == (size_t)AUDIT_PAGE) {
        buf_append_str(&b, "<nav class=\"pager\" aria-label=\"Pages of the audit trail\">");
        if (before > 0) {
            buf_append_str(&b, "<a href=\"/staff/audit");
            write_query(&b, action, actor, 0);
            buf_append_str(&b, "\">Newest events</a>");
        }
        if (count == (size_t)AUDIT_PAGE) {
            buf_append_str(&b, "<a rel=\"next\" href=\"/staff/audit");
            write_query(&b, action, actor, (long long)items[count - 1].id);
            buf_append_str(&b, "\">Older events</a>");
        }
        buf_append_str(&b, "</nav>\n");
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}
