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

/* What the page shows: the filters as given and the events they select. */
struct audit_view {
    const char *action, *actor;
    const char *actor_message; /* when the actor cannot match anything */
    long long before;          /* the page: events older than this id, 0 for the newest */
    struct store_audit_event *items;
    size_t count;
};

/* Reads the filters and loads one page of events; false after replying. */
static bool load(struct http_request *req, struct audit_view *v)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return false;
    v->action = param(query, "action");
    v->actor = param(query, "actor");
    const char *before_text = param(query, "before");
    if (before_text != NULL) {
        char *end = NULL;
        errno = 0;
        v->before = strtoll(before_text, &end, 10);
        if (errno != 0 || end == before_text || *end != '\0' || v->before < 1) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "before", "This is not a page of the audit trail");
            return false;
        }
    }
    /* The actor may be given by email: the trail records user ids. */
    const char *actor_id = v->actor;
    if (v->actor != NULL && strchr(v->actor, '@') != NULL) {
        struct store_user found;
        int rc = store_user_by_email(req->db, &req->arena, v->actor, &found);
        if (rc == DB_ROW) {
            actor_id = found.id;
        } else if (rc == DB_DONE) {
            v->actor_message = "No account has this email, so no event matches.";
            return true;
        } else {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return false;
        }
    }
    if (store_audit_list(req->db, &req->arena, v->action, actor_id, v->before, AUDIT_PAGE, &v->items, &v->count) !=
        DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    return true;
}

static void render_filters(struct buf *b, const struct audit_view *v)
{
    buf_append_str(b, "<form class=\"filters list-filters\" method=\"get\" action=\"/staff/audit\" role=\"search\" "
                      "aria-label=\"Filter the audit trail\">\n");
    text_filter(b, "Action", "action", v->action, "For example transition, forbidden, login or login_failed.");
    text_filter(b, "Actor", "actor", v->actor, "An email address or a user id.");
    buf_append_str(b, "<datalist id=\"audit-actions\"><option value=\"transition\"><option value=\"forbidden\">"
                      "<option value=\"login\"><option value=\"login_failed\"></datalist>\n"
                      "<div class=\"actions\"><button type=\"submit\">Filter</button>");
    if (v->action != NULL || v->actor != NULL)
        buf_append_str(b, "<a href=\"/staff/audit\">Clear the filters</a>");
    buf_append_str(b, "</div></form>\n");
}

/* The actor's name and email when known, else the id (or who acts without an account). */
static void write_actor(struct buf *b, const struct store_audit_event *e, const struct actor *who)
{
    if (e->actor_id == NULL) {
        buf_append_str(b, "<span class=\"muted\">Nobody signed in, or Rounds itself</span>");
    } else if (who != NULL && who->name != NULL) {
        buf_append_html(b, who->name);
        buf_append_str(b, "<br><span class=\"muted\">");
        buf_append_html(b, who->email);
        buf_append_str(b, "</span>");
    } else {
        buf_append_html(b, e->actor_id);
    }
}

/* The object, linked when it has a page. */
static void write_object(struct buf *b, const struct store_audit_event *e)
{
    buf_append_html(b, e->object_type);
    buf_append_char(b, ' ');
    if (strcmp(e->object_type, "application") == 0 && e->object_id[0] != '\0') {
        buf_append_str(b, "<a href=\"/applications/");
        buf_append_url(b, e->object_id);
        buf_append_str(b, "\">");
        buf_append_html(b, e->object_id);
        buf_append_str(b, "</a>");
    } else {
        buf_append_str(b, "<code>");
        buf_append_html(b, e->object_id);
        buf_append_str(b, "</code>");
    }
}

static void render_events(struct http_request *req, struct buf *b, const struct audit_view *v)
{
    struct actor *known = arena_alloc(&req->arena, AUDIT_PAGE * sizeof(*known));
    size_t known_count = 0;
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records audit\"><caption>Audit events");
    if (v->before > 0)
        buf_append_str(b, " (older page)");
    buf_append_str(b, "</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Actor</th>"
                      "<th scope=\"col\">Action</th><th scope=\"col\">Object</th><th scope=\"col\">Detail</th>"
                      "</tr></thead><tbody>\n");
    for (size_t i = 0; i < v->count; i++) {
        const struct store_audit_event *e = &v->items[i];
        buf_append_str(b, "<tr><td data-label=\"When\">");
        web_write_instant(req, b, e->at);
        buf_append_str(b, "</td><td data-label=\"Actor\">");
        write_actor(b, e,
                    e->actor_id != NULL && known != NULL ? actor_of(req, known, &known_count, e->actor_id) : NULL);
        buf_append_str(b, "</td><td data-label=\"Action\"><code>");
        buf_append_html(b, e->action);
        buf_append_str(b, "</code></td><td data-label=\"Object\">");
        write_object(b, e);
        buf_append_str(b, "</td><td data-label=\"Detail\">");
        buf_append_html(b, e->detail);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
}

static void render_pager(struct buf *b, const struct audit_view *v)
{
    if (v->before <= 0 && v->count < (size_t)AUDIT_PAGE)
        return;
    buf_append_str(b, "<nav class=\"pager\" aria-label=\"Pages of the audit trail\">");
    if (v->before > 0) {
        buf_append_str(b, "<a href=\"/staff/audit");
        write_query(b, v->action, v->actor, 0);
        buf_append_str(b, "\">Newest events</a>");
    }
    if (v->count == (size_t)AUDIT_PAGE) {
        buf_append_str(b, "<a rel=\"next\" href=\"/staff/audit");
        write_query(b, v->action, v->actor, (long long)v->items[v->count - 1].id);
        buf_append_str(b, "\">Older events</a>");
    }
    buf_append_str(b, "</nav>\n");
}

void web_page_audit(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Audit trail", &user))
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        store_audit_add(req->db, user.id, "forbidden", "route", req->path, "GET", clock_now());
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
        return;
    }
    struct audit_view v = {0};
    if (!load(req, &v))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Audit trail</h1>\n<p class=\"lead\">Who did what to which object, newest first. "
                       "Nothing here can be changed or removed.</p>\n");
    render_filters(&b, &v);
    if (v.actor_message != NULL)
        view_notice(&b, v.actor_message);
    else if (v.count == 0)
        buf_append_str(&b, v.before > 0 ? "<p>No older events.</p>\n" : "<p>No event matches.</p>\n");
    if (v.count > 0)
        render_events(req, &b, &v);
    render_pager(&b, &v);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}
