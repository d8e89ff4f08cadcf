/* audit_cells.c — an audit event's cells for the staff pages (see
 * audit_cells.h): the actor, the action, the object and the detail, as
 * /staff/audit and /staff/users/{id} both write them. */
#include <string.h>

#include "web/audit_cells.h"

/* An id for support, in small print. */
static void small_id(struct buf *b, const char *id)
{
    if (id == NULL || id[0] == '\0')
        return;
    buf_append_str(b, "<br><small class=\"muted audit-id\">");
    buf_append_html(b, id);
    buf_append_str(b, "</small>");
}

/* Who acted: name and role; who acts without an account; or an account since erased. */
void web_audit_actor(struct buf *b, const struct audit_line *line)
{
    if (line->event->actor_id == NULL) {
        buf_append_str(b, "<span class=\"muted\">Rounds itself, or somebody not signed in</span>");
        return;
    }
    if (line->actor_name == NULL) {
        buf_append_str(b, "<span class=\"muted\">An account that no longer exists</span>");
    } else {
        buf_append_str(b, "<strong><a href=\"/staff/users/");
        buf_append_url(b, line->event->actor_id);
        buf_append_str(b, "\">");
        buf_append_html(b, line->actor_name);
        buf_append_str(b, "</a></strong>");
        if (line->actor_role != NULL) {
            buf_append_str(b, "<br><span class=\"muted\">");
            buf_append_html(b, line->actor_role);
            buf_append_str(b, "</span>");
        }
    }
    small_id(b, line->event->actor_id);
}

/* The page staff opens for the object, or NULL: prefix + id (+ suffix). */
static const char *object_page(const struct audit_line *line)
{
    switch (line->object) {
    case AUDIT_ON_APPLICATION:
    case AUDIT_ON_VISA_LETTER:
    case AUDIT_ON_EVALUATION:
        return "/applications/";
    case AUDIT_ON_DOCUMENT:
        return "/staff/documents/";
    case AUDIT_ON_OFFERING:
        return "/offerings/";
    case AUDIT_ON_AGREEMENT:
        return "/agreements/";
    case AUDIT_ON_TICKET:
        return "/tickets/";
    case AUDIT_ON_LETTER:
        return "/letters/";
    case AUDIT_ON_CERTIFICATE:
        return "/verify/";
    case AUDIT_ON_USER:
        return "/staff/users/";
    default:
        return NULL;
    }
}

/* The object: its name (linked when it still exists and staff has a page for
 * it), else its kind in words ("Account, since removed" when it is gone); the
 * id in small print. */
void web_audit_object(struct buf *b, const struct audit_line *line)
{
    const struct store_audit_event *e = line->event;
    const char *page = line->object_label != NULL ? object_page(line) : NULL;
    if (line->object_label != NULL && page != NULL) {
        buf_append_str(b, "<a href=\"");
        buf_append_str(b, page);
        buf_append_url(b, e->object_id);
        buf_append_str(b, "\">");
        buf_append_html(b, line->object_label);
        buf_append_str(b, "</a>");
    } else if (line->object_label != NULL) {
        buf_append_html(b, line->object_label);
    }
    if (line->object_noun != NULL && line->object_noun[0] != '\0') {
        buf_append_str(b, line->object_label != NULL ? "<br><span class=\"muted\">" : "<span class=\"muted\">");
        buf_append_html(b, line->object_noun);
        if (line->object_gone)
            buf_append_str(b, ", since removed");
        buf_append_str(b, "</span>");
    }
    if (e->object_type[0] != '\0' && line->object == AUDIT_OBJECT_UNKNOWN) {
        buf_append_str(b, "<code>");
        buf_append_html(b, e->object_type);
        buf_append_str(b, "</code>");
    }
    if (line->object != AUDIT_ON_ROUTE && line->object != AUDIT_ON_CERTIFICATE)
        small_id(b, e->object_id);
}

/* What was done: the sentence, the move of an application, the raw name only when the table lacks it. */
void web_audit_action(struct buf *b, const struct audit_line *line)
{
    buf_append_html(b, line->action_label);
    if (line->change != NULL) {
        buf_append_str(b, " <span class=\"muted\">");
        buf_append_html(b, line->change);
        buf_append_str(b, "</span>");
    }
    if (line->action == AUDIT_ACTION_UNKNOWN) {
        buf_append_str(b, " <code>");
        buf_append_html(b, line->event->action);
        buf_append_str(b, "</code>");
    }
}

/* The ids of the objects the detail names, in small print after it. */
static void piece_ids(struct buf *b, const struct audit_line *line)
{
    bool any = false;
    for (size_t i = 0; i < line->piece_count; i++) {
        if (line->pieces[i].id == NULL || line->pieces[i].id[0] == '\0')
            continue;
        buf_append_str(b, any ? " · " : "<br><small class=\"muted audit-id\">");
        buf_append_html(b, line->pieces[i].id);
        any = true;
    }
    if (any)
        buf_append_str(b, "</small>");
}

/* A move of an application says nothing more here (the What column has it). */
void web_audit_detail(struct buf *b, const struct audit_line *line)
{
    const char *stored = line->event->detail;
    if (line->change != NULL)
        return;
    if (line->piece_count > 0) {
        for (size_t i = 0; i < line->piece_count; i++) {
            const struct audit_piece *p = &line->pieces[i];
            if (p->href != NULL) {
                buf_append_str(b, "<a href=\"");
                buf_append_html(b, p->href);
                buf_append_str(b, "\">");
                buf_append_html(b, p->text);
                buf_append_str(b, "</a>");
            } else {
                buf_append_html(b, p->text);
            }
        }
        piece_ids(b, line);
    } else if (stored != NULL && stored[0] != '\0') {
        buf_append_str(b, "<small class=\"muted audit-detail\">");
        buf_append_html(b, stored);
        buf_append_str(b, "</small>");
    }
}

void web_audit_table_begin(struct buf *b, const char *caption, bool older)
{
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records audit\"><caption>");
    buf_append_html(b, caption);
    if (older)
        buf_append_str(b, " (older page)");
    buf_append_str(b, "</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>"
                      "<th scope=\"col\">What</th><th scope=\"col\">On what</th><th scope=\"col\">Detail</th>"
                      "</tr></thead><tbody>\n");
}
