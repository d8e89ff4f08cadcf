/* pager.c — the "Newest" / "Older" links under a list a page shows newest
 * first and pages by key (the store reads a page and one more after the
 * cursor). The cursor in the address is "<key>.<id>": the sort key (a time)
 * and id of the last item of the page before. A cursor that is not one is a
 * 400 page that names the parameter; nothing else happens. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/limits.h"
#include "web/web.h"

static bool id_valid(const char *id)
{
    size_t len = strlen(id);
    if (len == 0 || len > ID_MAX_BYTES)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static bool parse(struct http_request *req, const char *s, struct web_cursor *out)
{
    const char *dot = strchr(s, '.');
    char digits[24];
    size_t len = dot != NULL ? (size_t)(dot - s) : 0;
    if (len == 0 || len >= sizeof(digits))
        return false;
    memcpy(digits, s, len);
    digits[len] = '\0';
    char *end = NULL;
    errno = 0;
    long long key = strtoll(digits, &end, 10);
    if (errno != 0 || end != digits + len || !id_valid(dot + 1))
        return false;
    out->key = key;
    out->id = arena_strdup(&req->arena, dot + 1);
    out->set = out->id != NULL;
    return out->set;
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
        buf_appendf(b, "=%lld.", (long long)p->last_key);
        buf_append_url(b, p->last_id);
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
