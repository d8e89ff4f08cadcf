/* page_saved.c — a student's "Saved" page: starred rotations (cards, each
 * with a button to unstar), saved searches (a link to run each, whether it
 * emails, a button to delete) and waitlist places (newest first, a page at
 * a time: ?waitlist_cursor= from "Older places"); and the POSTs behind it:
 * saving a search from the search page (the form comes back here with what
 * was typed when the search cannot be saved), deleting one, starring or
 * unstarring an offering (back to where the form was). */
#include <string.h>

#include "domain/alerts.h"
#include "domain/catalog_index.h"
#include "lib/limits.h"
#include "store/alerts.h"
#include "store/waitlist.h"
#include "views/html.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_saved_params[] = {"done", "waitlist_cursor", NULL};
const char *const web_favourite_params[] = {"next", NULL};

static void render_favourites(struct http_request *req, struct buf *b, const struct view_page *page)
{
    const char **ids;
    size_t count = 0;
    buf_append_str(b, "<section aria-labelledby=\"stars-heading\"><h2 id=\"stars-heading\">Saved rotations</h2>\n");
    if (store_favourites_of(req->db, &req->arena, req->auth.user_id, &ids, &count) != DB_OK || count == 0) {
        buf_append_str(b, "<p>No saved rotations yet. Use <strong>Save rotation</strong> on a rotation's page to "
                          "keep it here; you are told when it gets new dates or a seat opens.</p></section>\n");
        return;
    }
    buf_append_str(b, "<ol class=\"results\">\n");
    for (size_t i = 0; i < count; i++) {
        struct catalog_hit hit;
        if (!catalog_index_hit(&req->arena, ids[i], &hit))
            continue;
        web_search_card(b, &hit, NULL);
        struct buf action;
        buf_init(&action, &req->arena, BUF_CAP_LINE);
        buf_append_str(&action, "/offerings/");
        buf_append_url(&action, hit.id);
        buf_append_str(&action, "/favourite?next=/saved");
        if (buf_ok(&action))
            view_button_form(b, page->csrf_token,
                             &(struct view_button){.action = action.data, .label = "Remove from saved",
                                                   .css = "secondary", .context = hit.title});
    }
    buf_append_str(b, "</ol></section>\n");
}

static void render_searches(struct http_request *req, struct buf *b, const struct view_page *page)
{
    struct store_saved_search *items;
    size_t count = 0;
    buf_append_str(b, "<section aria-labelledby=\"searches-heading\"><h2 id=\"searches-heading\">Saved searches</h2>\n");
    if (store_saved_searches_of(req->db, &req->arena, req->auth.user_id, &items, &count) != DB_OK || count == 0) {
        buf_append_str(b, "<p>No saved searches yet. On the <a href=\"/search\">search page</a>, use "
                          "<strong>Save this search</strong>: when a new rotation or a freed seat matches it, you "
                          "are told here at once and by email at most once a day.</p></section>\n");
        return;
    }
    buf_append_str(b, "<ul class=\"plain-list saved-searches\">\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_saved_search *s = &items[i];
        buf_append_str(b, "<li><a href=\"");
        buf_append_html(b, alerts_search_link(&req->arena, s));
        buf_append_str(b, "\">");
        buf_append_html(b, s->name);
        buf_append_str(b, "</a> <span class=\"muted\">");
        buf_append_str(b, s->email_alerts ? "(alerts in the app and by email)" : "(alerts in the app only)");
        buf_append_str(b, "</span> ");
        struct buf action;
        buf_init(&action, &req->arena, BUF_CAP_LINE);
        buf_append_str(&action, "/saved-searches/");
        buf_append_url(&action, s->id);
        buf_append_str(&action, "/delete");
        if (buf_ok(&action))
            view_button_form(b, page->csrf_token, &(struct view_button){.action = action.data, .label = "Delete",
                                                                         .css = "secondary", .context = s->name});
        buf_append_str(b, "</li>\n");
    }
    buf_append_str(b, "</ul>\n");
    if (count >= SAVED_SEARCHES_MAX)
        buf_append_str(b, "<p class=\"muted\">You have " LIMIT_TEXT(SAVED_SEARCHES_MAX)
                          " saved searches, the most there can be: delete one to save another.</p>\n");
    buf_append_str(b, "</section>\n");
}

static void render_waitlists(struct http_request *req, struct buf *b, const struct web_cursor *at)
{
    struct store_waitlist_entry *items;
    size_t count = 0;
    if (store_waitlist_of_student(req->db, &req->arena, req->auth.user_id, at->key, at->set ? at->id : NULL,
                                  WEB_WAITLIST_SHOWN_MAX + 1, &items, &count) != DB_OK ||
        (count == 0 && !at->set))
        return;
    bool more = count > WEB_WAITLIST_SHOWN_MAX;
    count = more ? WEB_WAITLIST_SHOWN_MAX : count;
    buf_append_str(b, "<section aria-labelledby=\"waitlists-heading\"><h2 id=\"waitlists-heading\">Waitlists</h2>\n"
                      "<ul class=\"plain-list waitlists\">\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_waitlist_entry *e = &items[i];
        buf_append_str(b, "<li><a href=\"/offerings/");
        buf_append_url(b, e->offering_id);
        buf_append_str(b, "#dates\">");
        buf_append_html(b, e->offering_title);
        buf_append_str(b, "</a>, from ");
        view_date(b, e->block_start);
        buf_append_str(b, ": ");
        if (waitlist_status_parse(e->status) == WAITLIST_WAITING)
            buf_appendf(b, "waiting, %lld ahead of you", (long long)e->ahead);
        else if (waitlist_status_parse(e->status) == WAITLIST_OFFERED && e->application_id != NULL) {
            buf_append_str(b, "a seat was offered to you: <a href=\"/applications/");
            buf_append_url(b, e->application_id);
            buf_append_str(b, "\">see the offer</a>");
        } else
            buf_append_str(b, "you left the list");
        buf_append_str(b, "</li>\n");
    }
    buf_append_str(b, "</ul>\n");
    if (count == 0)
        buf_append_str(b, "<p>No older places.</p>\n");
    const struct store_waitlist_entry *last = count > 0 ? &items[count - 1] : NULL;
    web_pager_nav(b, &(struct web_pager){.label = "Pages of your waitlist places", .what = "places", .path = "/saved",
                                         .name = "waitlist_cursor", .fragment = "#waitlists-heading", .at = at,
                                         .more = more, .last_key = last != NULL ? last->created_at : 0,
                                         .last_id = last != NULL ? last->id : NULL});
    buf_append_str(b, "</section>\n");
}

static void render_saved(struct http_request *req, struct view_page *page, const char *notice,
                         const char *form_html, const struct web_cursor *waitlist_at)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, page);
    buf_append_str(&b, "<h1>Saved</h1>\n");
    if (form_html != NULL)
        buf_append_str(&b, form_html); /* markup of save_search_post */
    if (notice != NULL)
        view_notice(&b, notice);
    render_favourites(req, &b, page);
    render_searches(req, &b, page);
    render_waitlists(req, &b, waitlist_at);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, form_html != NULL ? 400 : 200, &b);
}

void web_page_saved(struct http_request *req)
{
    struct view_page page;
    struct web_cursor waitlist_at;
    if (web_cursor_read(req, "waitlist_cursor", &waitlist_at) != 0 || !web_page_setup(req, &page, "Saved", NULL))
        return;
    const char *done = http_kv_get(req->query_params, "done");
    const char *notice = done == NULL                      ? NULL
                         : strcmp(done, "saved") == 0      ? "Search saved. You will be told when something new matches it."
                         : strcmp(done, "deleted") == 0    ? "Saved search deleted."
                         : strcmp(done, "unstarred") == 0  ? "Removed from your saved rotations."
                                                           : NULL;
    render_saved(req, &page, notice, NULL, &waitlist_at);
}

/* The save form again, with what was typed and the error at the top. */
static const char *save_form_again(struct http_request *req, const struct view_page *page, const char *name,
                                   const struct alerts_filters *f, const struct error *err)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    buf_append_str(&b, "<div class=\"notice error\" role=\"alert\" id=\"error-summary\" tabindex=\"-1\">"
                       "<h2>The search could not be saved</h2><p><a href=\"#f-name\">");
    buf_append_html(&b, err->detail != NULL ? err->detail : error_title(err->code));
    if (err->field != NULL) {
        buf_append_str(&b, " (");
        buf_append_html(&b, err->field);
        buf_append_str(&b, ")");
    }
    buf_append_str(&b, "</a></p></div>\n");
    view_form_begin(&b, "/saved-searches", page->csrf_token);
    view_input(&b, "Name of the search", "text", "name", name, "off", true, NULL,
               err->field == NULL || strcmp(err->field, "name") == 0 ? err->detail : NULL);
    const char *values[] = {f->q, f->specialty, f->state, f->kind, f->start_from, f->start_to, f->max_tuition,
                            f->include_full, f->eligible};
    for (size_t i = 0; alerts_filter_names[i] != NULL; i++) {
        if (values[i] == NULL)
            continue;
        buf_append_str(&b, "<input type=\"hidden\" name=\"");
        buf_append_html(&b, alerts_filter_names[i]);
        buf_append_str(&b, "\" value=\"");
        buf_append_html(&b, values[i]);
        buf_append_str(&b, "\">");
    }
    view_form_end(&b, "Save this search");
    return buf_ok(&b) ? b.data : NULL;
}

void web_page_saved_search_post(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Saved", &user))
        return;
    const char *name = http_form(req, "name");
    struct alerts_filters f = {
        .q = http_form(req, "q"), .specialty = http_form(req, "specialty"), .state = http_form(req, "state"),
        .kind = http_form(req, "kind"), .start_from = http_form(req, "start_from"),
        .start_to = http_form(req, "start_to"), .max_tuition = http_form(req, "max_tuition"),
        .include_full = http_form(req, "include_full"), .eligible = http_form(req, "eligible"),
    };
    struct error err = {0};
    struct store_saved_search s;
    alerts_saved_search_create(req->db, &req->arena, &user, name, &f, &s, &err);
    if (err.code != ERR_NONE) {
        if (error_status(err.code) >= 500) {
            http_reply_problem(req, &err);
            return;
        }
        page.title = "Check your saved search · Saved";
        render_saved(req, &page, NULL, save_form_again(req, &page, name, &f, &err), &(struct web_cursor){0});
        return;
    }
    http_redirect(req, "/saved?done=saved");
}

void web_page_saved_search_delete(struct http_request *req)
{
    struct error err = {0};
    if (alerts_saved_search_delete(req->db, req->auth.user_id, http_param(req, "id"), &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, "/saved?done=deleted");
}

/* POST /offerings/{id}/favourite?next=… with on=1 (star) or without (unstar). */
void web_page_favourite_post(struct http_request *req)
{
    struct store_user user;
    struct view_page page;
    if (!web_page_setup(req, &page, "Saved", &user))
        return;
    const char *id = http_param(req, "id");
    bool on = http_form(req, "on") != NULL && strcmp(http_form(req, "on"), "1") == 0;
    struct error err = {0};
    if (alerts_favourite_set(req->db, &req->arena, &user, id, on, &err) != 0 && !error_is(err.code, ERR_NOT_FOUND)) {
        http_reply_problem(req, &err);
        return;
    }
    if (err.code != ERR_NONE && on) {
        http_reply_problem(req, &err);
        return;
    }
    /* Back where the form was: this offering's page, or the saved page. */
    const char *next = http_kv_get(req->query_params, "next");
    if (next != NULL && strcmp(next, "/saved") == 0) {
        http_redirect(req, on ? "/saved" : "/saved?done=unstarred");
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/offerings/");
    buf_append_url(&location, id);
    http_redirect(req, buf_ok(&location) ? location.data : "/saved");
}
