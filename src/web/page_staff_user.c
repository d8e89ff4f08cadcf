/* page_staff_user.c — GET /staff/users/{id} (staff only; a 404 for everyone
 * else, audited): one account as staff read it, read-only — name, email,
 * roles and organizations, account state (email confirmed, two-step sign-in
 * on), created — and the account's history from the audit trail, in words,
 * newest first: what the person did and what was done to their account by
 * others (a two-step sign-in reset, an erasure, a coach assigned), each
 * saying which, paged with ?before=. An unknown id is a 404 page, and so is
 * a ?before= that is not a page of the history. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/audit_lookup.h"
#include "store/two_factor.h"
#include "web/audit_cells.h"
#include "web/web.h"

enum { STAFF_USER_EVENTS = 20 };

const char *const web_staff_user_params[] = {"before", NULL};

/* What the page shows. */
struct staff_user_view {
    struct store_user person;
    bool two_factor_on;
    long long before; /* the page: events older than this id, 0 for the newest */
    struct store_audit_event *items;
    struct audit_line *lines;
    size_t count;
};

/* Loads the account, its second factor and its newest events: DB_ROW, DB_DONE
 * (no such account) or a store error. */
static int load(struct http_request *req, const char *id, struct staff_user_view *v)
{
    int rc = store_user_by_id(req->db, &req->arena, id, &v->person);
    if (rc != DB_ROW)
        return rc;
    struct store_two_factor tf;
    int tf_rc = store_two_factor_get(req->db, &req->arena, id, &tf);
    if (tf_rc != DB_ROW && tf_rc != DB_DONE)
        return tf_rc;
    v->two_factor_on = tf_rc == DB_ROW && tf.confirmed_at > 0;
    rc = store_audit_list_person(req->db, &req->arena, id, v->before, STAFF_USER_EVENTS, &v->items, &v->count);
    if (rc == DB_OK)
        rc = audit_describe(req->db, &req->arena, v->items, v->count, &v->lines);
    return rc == DB_OK ? DB_ROW : rc;
}

static void fact(struct buf *b, const char *term, const char *value)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
    buf_append_html(b, value);
    buf_append_str(b, "</dd>");
}

static void render_facts(const struct http_request *req, struct buf *b, const struct staff_user_view *v)
{
    const struct store_user *p = &v->person;
    buf_append_str(b, "<dl class=\"facts staff-user\">");
    fact(b, "Email", p->email);
    buf_append_str(b, "<dt>Roles</dt><dd>");
    for (size_t i = 0; i < p->role_count; i++) {
        const char *label = role_label(role_parse(p->roles[i]));
        if (i > 0)
            buf_append_str(b, ", ");
        buf_append_html(b, label[0] != '\0' ? label : p->roles[i]);
    }
    if (p->role_count == 0)
        buf_append_str(b, "None");
    buf_append_str(b, "</dd>");
    for (size_t i = 0; i < p->membership_count; i++)
        fact(b, "Organization", p->memberships[i].organization_name);
    fact(b, "Email address", p->email_confirmed_at > 0 ? "Confirmed" : "Not confirmed yet");
    fact(b, "Two-step sign-in", v->two_factor_on ? "On" : "Off");
    buf_append_str(b, "<dt>Created</dt><dd>");
    web_write_instant(req, b, p->created_at);
    buf_append_str(b, "</dd></dl>\n");
}

/* Who: the person themselves, or who did it to their account. */
static void write_who(struct buf *b, const struct staff_user_view *v, const struct audit_line *line)
{
    const char *actor = line->event->actor_id;
    if (actor != NULL && strcmp(actor, v->person.id) == 0) {
        buf_append_str(b, "<strong>By this person</strong>");
        return;
    }
    buf_append_str(b, "<strong>To this person</strong><br><span class=\"muted\">by</span> ");
    web_audit_actor(b, line);
}

static void render_pager(struct buf *b, const struct staff_user_view *v)
{
    if (v->before <= 0 && v->count < (size_t)STAFF_USER_EVENTS)
        return;
    buf_append_str(b, "<nav class=\"pager\" aria-label=\"Pages of the account's history\">");
    if (v->before > 0) {
        buf_append_str(b, "<a href=\"/staff/users/");
        buf_append_url(b, v->person.id);
        buf_append_str(b, "\">Newest events</a>");
    }
    if (v->count == (size_t)STAFF_USER_EVENTS) {
        buf_append_str(b, "<a rel=\"next\" href=\"/staff/users/");
        buf_append_url(b, v->person.id);
        buf_appendf(b, "?before=%lld\">Older events</a>", (long long)v->items[v->count - 1].id);
    }
    buf_append_str(b, "</nav>\n");
}

static void render_events(const struct http_request *req, struct buf *b, const struct staff_user_view *v)
{
    buf_append_str(b, "<h2 id=\"history\">History of the account</h2>\n<p>What this person did, and what others "
                      "did to their account, newest first.</p>\n");
    if (v->count == 0) {
        buf_append_str(b, v->before > 0 ? "<p>No older events.</p>\n"
                                        : "<p>The audit trail has no event by or to this person.</p>\n");
        render_pager(b, v);
        return;
    }
    web_audit_table_begin(b, "Events by or to this person", v->before > 0);
    for (size_t i = 0; i < v->count; i++) {
        const struct audit_line *line = &v->lines[i];
        buf_append_str(b, "<tr><td data-label=\"When\">");
        web_write_instant(req, b, line->event->at);
        buf_append_str(b, "</td><td data-label=\"Who\">");
        write_who(b, v, line);
        buf_append_str(b, "</td><td data-label=\"What\">");
        web_audit_action(b, line);
        buf_append_str(b, "</td><td data-label=\"On what\">");
        if (line->object == AUDIT_ON_USER && line->event->object_id != NULL &&
            strcmp(line->event->object_id, v->person.id) == 0)
            buf_append_str(b, "Their account");
        else
            web_audit_object(b, line);
        buf_append_str(b, "</td><td data-label=\"Detail\">");
        web_audit_detail(b, line);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
    render_pager(b, v);
    buf_append_str(b, "<p><a href=\"/staff/audit?actor=");
    buf_append_url(b, v->person.id);
    buf_append_str(b, "\">Everything they did, in the audit trail</a></p>\n");
}

/* ?before=: false (v->before stays 0) when given but not an event id. */
static bool read_before(struct http_request *req, struct staff_user_view *v)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return false;
    const char *text = http_kv_get(query, "before");
    if (text == NULL || text[0] == '\0')
        return true;
    char *end = NULL;
    errno = 0;
    long long before = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || before < 1)
        return false;
    v->before = before;
    return true;
}

void web_page_staff_user(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_staff_page_setup(req, &page, "Account", &user))
        return;
    struct staff_user_view v = {0};
    if (!read_before(req, &v)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "before", "is not a page of the account's history");
        return;
    }
    int rc = load(req, http_param(req, "id"), &v);
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is no such account");
        return;
    }
    if (rc != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    page.title = v.person.name;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"muted\"><a href=\"/staff/audit\">Audit trail</a></p>\n<h1>");
    buf_append_html(&b, v.person.name);
    buf_append_str(&b, "</h1>\n<p class=\"lead\">Their account as Rounds holds it. Nothing here can be changed."
                       "</p>\n");
    render_facts(req, &b, &v);
    render_events(req, &b, &v);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}
