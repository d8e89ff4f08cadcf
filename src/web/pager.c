/* pager.c — the "Newest" / "Older" links under a list a page shows newest
 * first and pages by key (the store reads a page and one more after the
 * cursor). The cursor in the address names the sort key (a time) and id of
 * the last item of the page before. A cursor that is not one is a
 * 400 page that names the parameter; nothing else happens. */
#include <string.h>

#include "lib/limits.h"
#include "lib/list_cursor.h"
#include "web/web.h"

/* The cursor is a list cursor (lib/list_cursor.h, fuzzed there) of the list
 * "older", its key the time, newest first. The pages do not number their
 * items: its position is always 0. */
static const char cursor_tag[] = "older", cursor_shape[] = "Ns";

static bool parse(struct http_request *req, const char *s, struct web_cursor *out)
{
    struct list_cursor c;
    if (!list_cursor_parse(&req->arena, cursor_tag, cursor_shape, s, &c) || c.position != 0)
        return false;
    out->key = c.parts[0].n;
    out->id = c.id;
    out->set = true;
    return true;
}

int web_cursor_read(struct http_request *req, const char *name, struct web_cursor *out)
{
    memset(out, 0, sizeof(*out));
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return -1;
    const char *s = http_kv_get(query, name);
    if (s == NULL)
        return 0;
    if (!parse(req, s, out)) {
        /* A page's error shows no field: the sentence names it. */
        struct buf detail;
        buf_init(&detail, &req->arena, BUF_CAP_LINE);
        buf_appendf(&detail, "The address's %s is not a place in this list: start again from the newest.", name);
        http_reply_error(req, ERR_INVALID_PARAMETER, name, buf_ok(&detail) ? detail.data : "not a place in this list");
        memset(out, 0, sizeof(*out));
        return -1;
    }
    return 0;
}

/* path, then name=<cursor> with '?' or '&', then the fragment. */
static void link_to(struct buf *b, const struct web_pager *p, bool with_cursor)
{
    buf_append_html(b, p->path);
    if (with_cursor) {
        buf_append_str(b, strchr(p->path, '?') != NULL ? "&amp;" : "?");
        buf_append_str(b, p->name);
        buf_append_char(b, '=');
        struct list_cursor last = {.parts = {{.n = p->last_key}}, .id = p->last_id};
        struct buf cursor;
        buf_init(&cursor, b->arena, BUF_CAP_LINE);
        list_cursor_write(&cursor, cursor_tag, cursor_shape, &last);
        buf_append_url(b, cursor.data); /* [A-Za-z0-9._-] for any id of ours: as it is */
    }
    if (p->fragment != NULL)
        buf_append_str(b, p->fragment);
}

void web_pager_nav(struct buf *b, const struct web_pager *p)
{
    bool older = p->more && p->last_id != NULL;
    if (!p->at->set && !older)
        return;
    buf_append_str(b, "<nav class=\"pager\" aria-label=\"");
    buf_append_html(b, p->label);
    buf_append_str(b, "\">");
    if (p->at->set) {
        buf_append_str(b, "<a href=\"");
        link_to(b, p, false);
        buf_append_str(b, "\">Newest ");
        buf_append_html(b, p->what);
        buf_append_str(b, "</a>");
    }
    if (older) {
        buf_append_str(b, "<a rel=\"next\" href=\"");
        link_to(b, p, true);
        buf_append_str(b, "\">Older ");
        buf_append_html(b, p->what);
        buf_append_str(b, "</a>");
    }
    buf_append_str(b, "</nav>\n");
}
