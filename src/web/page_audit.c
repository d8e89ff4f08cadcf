/* page_audit.c — GET /staff/audit (staff only; a 404 for everyone else): the
 * append-only audit trail, newest first, in words — who (name and role), did
 * what (the sentence of domain/vocabulary.h's AUDIT_ACTION_TABLE), to what
 * (named, and linked when staff has a page for it; people to /staff/users/),
 * the detail in words (domain/audit_detail.c), when — filtered by action
 * (its name or its sentence) and by actor (an email or a user id), paged with
 * ?before=. Ids stay in small print for support. A filter that cannot be read
 * is a 400 with the form kept. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/audit.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "web/audit_cells.h"
#include "web/web.h"

enum { AUDIT_PAGE = 50 };

const char *const web_audit_params[] = {"action", "actor", "before", NULL};

static const char *param(struct http_kv_list *query, const char *name)
{
    const char *v = http_kv_get(query, name);
    return v != NULL && v[0] != '\0' ? v : NULL;
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

/* What the page shows: the filters as given and the events they select. */
struct audit_view {
    const char *action, *actor;      /* as typed */
    const char *action_name;         /* the stored name the action filter means */
    const char *actor_message;       /* when the actor cannot match anything */
    const char *problem_field;       /* a filter that cannot be read: 400, the form kept */
    const char *problem;
    long long before;                /* the page: events older than this id, 0 for the newest */
    struct store_audit_event *items;
    struct audit_line *lines;
    size_t count;
};

static void text_filter(struct buf *b, const struct audit_view *v, const char *label, const char *name,
                        const char *value, const char *hint)
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
    if (v->problem_field != NULL && strcmp(v->problem_field, name) == 0)
        buf_append_str(b, " aria-invalid=\"true\"");
    if (value != NULL) {
        buf_append_str(b, " value=\"");
        buf_append_html(b, value);
        buf_append_char(b, '"');
    }
    if (strcmp(name, "action") == 0)
        buf_append_str(b, " list=\"audit-actions\"");
    buf_append_str(b, "></div>\n");
}

/* The stored name of an action given by its name or its sentence (any case), or NULL. */
static const char *action_named(const char *text)
{
    for (int i = 0; i < AUDIT_ACTION_COUNT; i++)
        if (strcmp(audit_action_names[i], text) == 0 || strcasecmp(audit_action_labels[i], text) == 0)
            return audit_action_names[i];
    return NULL;
}

/* Reads the filters (false: a problem for the form, in v); true when they can be used. */
static bool read_filters(struct http_kv_list *query, struct audit_view *v)
{
    v->action = param(query, "action");
    v->actor = param(query, "actor");
    const char *before_text = param(query, "before");
    if (before_text != NULL) {
        char *end = NULL;
        errno = 0;
        v->before = strtoll(before_text, &end, 10);
        if (errno != 0 || end == before_text || *end != '\0' || v->before < 1) {
            v->before = 0;
            v->problem = "This is not a page of the audit trail. Filter again, or start from the newest events.";
            return false;
        }
    }
    if (v->action != NULL && (v->action_name = action_named(v->action)) == NULL) {
        v->problem_field = "action";
        v->problem = "Rounds records no action by this name. Choose one from the list, or leave the action empty.";
        return false;
    }
    return true;
}

/* Reads the filters and loads one page of events in words; false after replying (503). */
static bool load(struct http_request *req, struct audit_view *v)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return false;
    if (!read_filters(query, v))
        return true;
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
    if (store_audit_list(req->db, &req->arena, v->action_name, actor_id, v->before, AUDIT_PAGE, &v->items,
                         &v->count) != DB_OK ||
        audit_describe(req->db, &req->arena, v->items, v->count, &v->lines) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    return true;
}

static void render_filters(struct buf *b, const struct audit_view *v)
{
    buf_append_str(b, "<form class=\"filters list-filters\" method=\"get\" action=\"/staff/audit\" role=\"search\" "
                      "aria-label=\"Filter the audit trail\">\n");
    text_filter(b, v, "Action", "action", v->action, "What was done, for example “Signed in” or “Uploaded a document”.");
    text_filter(b, v, "Actor", "actor", v->actor, "An email address or a user id.");
    buf_append_str(b, "<datalist id=\"audit-actions\">");
    for (int i = 0; i < AUDIT_ACTION_COUNT; i++) {
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, audit_action_labels[i]);
        buf_append_str(b, "\">");
    }
    buf_append_str(b, "</datalist>\n<div class=\"actions\"><button type=\"submit\">Filter</button>");
    if (v->action != NULL || v->actor != NULL)
        buf_append_str(b, "<a href=\"/staff/audit\">Clear the filters</a>");
    buf_append_str(b, "</div></form>\n");
}

static void render_events(const struct http_request *req, struct buf *b, const struct audit_view *v)
{
    web_audit_table_begin(b, "Audit events", v->before > 0);
    for (size_t i = 0; i < v->count; i++) {
        const struct audit_line *line = &v->lines[i];
        buf_append_str(b, "<tr><td data-label=\"When\">");
        web_write_instant(req, b, line->event->at);
        buf_append_str(b, "</td><td data-label=\"Who\">");
        web_audit_actor(b, line);
        buf_append_str(b, "</td><td data-label=\"What\">");
        web_audit_action(b, line);
        buf_append_str(b, "</td><td data-label=\"On what\">");
        web_audit_object(b, line);
        buf_append_str(b, "</td><td data-label=\"Detail\">");
        web_audit_detail(b, line);
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
    if (!web_staff_page_setup(req, &page, "Audit trail", &user))
        return;
    struct audit_view v = {0};
    if (!load(req, &v))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Audit trail</h1>\n<p class=\"lead\">Who did what to which object, newest first. "
                       "Nothing here can be changed or removed.</p>\n");
    if (v.problem != NULL)
        web_error_summary(&b, v.problem_field, v.problem);
    render_filters(&b, &v);
    if (v.actor_message != NULL)
        view_notice(&b, v.actor_message);
    else if (v.problem == NULL && v.count == 0)
        buf_append_str(&b, v.before > 0 ? "<p>No older events.</p>\n" : "<p>No event matches.</p>\n");
    if (v.count > 0)
        render_events(req, &b, &v);
    render_pager(&b, &v);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, v.problem != NULL ? 400 : 200, &b);
}
