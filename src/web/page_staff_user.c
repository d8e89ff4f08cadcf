/* page_staff_user.c — GET /staff/users/{id} (staff only; a 404 for everyone
 * else, audited): one account as staff read it, read-only — name, email,
 * roles and organizations, account state (email confirmed, two-step sign-in
 * on), created — and the newest events of the audit trail the person did,
 * in words, with a link to all of them on /staff/audit?actor=. An unknown id
 * is a 404 page. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/two_factor.h"
#include "web/web.h"

enum { STAFF_USER_EVENTS = 20 };

/* What the page shows. */
struct staff_user_view {
    struct store_user person;
    bool two_factor_on;
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
    rc = store_audit_list(req->db, &req->arena, NULL, id, 0, STAFF_USER_EVENTS, &v->items, &v->count);
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

static void render_events(const struct http_request *req, struct buf *b, const struct staff_user_view *v)
{
    buf_append_str(b, "<h2>What they did lately</h2>\n");
    if (v->count == 0) {
        buf_append_str(b, "<p>The audit trail has no event of theirs.</p>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records audit\"><caption>Their newest events"
                      "</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">What</th>"
                      "<th scope=\"col\">On what</th><th scope=\"col\">Detail</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < v->count; i++) {
        const struct audit_line *line = &v->lines[i];
        buf_append_str(b, "<tr><td data-label=\"When\">");
        web_write_instant(req, b, line->event->at);
        buf_append_str(b, "</td><td data-label=\"What\">");
        buf_append_html(b, line->action_label);
        buf_append_str(b, "</td><td data-label=\"On what\">");
        buf_append_html(b, line->object_label != NULL ? line->object_label : line->object_noun);
        buf_append_str(b, "</td><td data-label=\"Detail\">");
        if (line->detail_label != NULL) {
            buf_append_html(b, line->detail_label);
        } else if (line->event->detail != NULL) {
            buf_append_str(b, "<small class=\"muted\">");
            buf_append_html(b, line->event->detail);
            buf_append_str(b, "</small>");
        }
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n<p><a href=\"/staff/audit?actor=");
    buf_append_url(b, v->person.id);
    buf_append_str(b, "\">All their events in the audit trail</a></p>\n");
}

void web_page_staff_user(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Account", &user))
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        store_audit_add(req->db, user.id, AUDIT_FORBIDDEN, AUDIT_ON_ROUTE, req->path, "GET", clock_now());
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
        return;
    }
    struct staff_user_view v = {0};
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
