/* page_me_schools.c — GET /me/schools: a student's schools — every link with
 * its status in words and what it means (what the school sees while linked),
 * a Leave button on each active link or waiting request, and the form that
 * asks a school to be let in. POST /me/schools {school_id} asks; POST
 * /me/schools/{id}/leave ends the link at once. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/match_rounds.h"
#include "domain/schools.h"
#include "lib/limits.h"
#include "web/web.h"

const char *const web_me_schools_params[] = {"done", NULL};

static const char *done_message(const char *done)
{
    if (done == NULL)
        return NULL;
    if (strcmp(done, "asked") == 0)
        return "Your request was sent: the school will answer here.";
    if (strcmp(done, "left") == 0)
        return "You left the school: it no longer sees your applications or readiness.";
    if (strcmp(done, "joined") == 0)
        return "You joined the school.";
    return NULL;
}

static void render_link(struct buf *b, const char *csrf_token, const struct store_school_student *l)
{
    enum school_link_status s = school_link_status_parse(l->status);
    buf_append_str(b, "<section class=\"card\"><h2>");
    buf_append_html(b, l->school_name);
    buf_append_str(b, "</h2><p><span class=\"status status-");
    buf_append_str(b, s == SCHOOL_LINK_ACTIVE ? "good" : s == SCHOOL_LINK_REQUESTED ? "waiting" : "closed");
    buf_append_str(b, "\">");
    buf_append_html(b, school_link_status_label(s));
    buf_append_str(b, "</span> ");
    if (s == SCHOOL_LINK_ACTIVE)
        buf_append_str(b, "The school's coordinators see your applications and placements, your onboarding "
                          "checklists and your Match readiness — never your letters' content or your documents' "
                          "files.");
    else if (s == SCHOOL_LINK_REQUESTED)
        buf_append_str(b, "Waiting for the school's answer. Nothing is shared until it approves.");
    else if (s == SCHOOL_LINK_REFUSED && l->note != NULL && l->note[0] != '\0') {
        buf_append_str(b, "The school said: ");
        buf_append_html(b, l->note);
    } else
        buf_append_str(b, "Nothing is shared with this school.");
    buf_append_str(b, "</p>");
    if (s == SCHOOL_LINK_ACTIVE || s == SCHOOL_LINK_REQUESTED) {
        buf_append_str(b, "<form method=\"post\" action=\"/me/schools/");
        buf_append_url(b, l->organization_id);
        buf_append_str(b, "/leave\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf_token);
        buf_append_str(b, "\"><button type=\"submit\" class=\"secondary\">");
        buf_append_str(b, s == SCHOOL_LINK_ACTIVE ? "Leave the school" : "Withdraw the request");
        buf_append_str(b, "<span class=\"visually-hidden\">: ");
        buf_append_html(b, l->school_name);
        buf_append_str(b, "</span></button></form>");
    }
    buf_append_str(b, "</section>\n");
}

/* The match rounds the student is in, with a link to each ranking page. */
static void render_rounds(struct http_request *req, struct buf *b, const char *student_id)
{
    struct web_rounds r;
    struct web_cursor first = {0};
    if (web_rounds_page(req, &(struct store_match_rounds_filter){.student_id = student_id}, &first, &r) != DB_OK ||
        r.count == 0)
        return;
    struct store_match_round *items = r.items;
    size_t count = r.count;
    buf_append_str(b, "<section aria-labelledby=\"rounds-heading\"><h2 id=\"rounds-heading\">Match rounds</h2>\n"
                      "<ul class=\"plain-list\">\n");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li><a href=\"/rounds/");
        buf_append_url(b, items[i].id);
        buf_append_str(b, "\">");
        buf_append_html(b, items[i].name);
        buf_append_str(b, "</a> <span class=\"muted\">");
        buf_append_html(b, match_round_status_label(match_round_status_parse(items[i].status)));
        buf_append_str(b, "</span></li>\n");
    }
    buf_append_str(b, "</ul>\n");
    web_rounds_pager(b, &r, &first, "/rounds", "cursor", NULL); /* the older ones go on at /rounds */
    buf_append_str(b, "</section>\n");
}

static void render_ask_form(struct http_request *req, struct buf *b, const char *csrf_token, const char *error)
{
    struct store_organization *schools = NULL;
    size_t count = 0;
    if (store_schools_list(req->db, &req->arena, &schools, &count) != DB_OK || count == 0)
        return;
    const char **values = arena_calloc(&req->arena, count + 2, sizeof(char *));
    const char **labels = arena_calloc(&req->arena, count + 2, sizeof(char *));
    if (values == NULL || labels == NULL)
        return;
    for (size_t i = 0; i < count; i++) { /* view_select adds the empty choice */
        values[i] = schools[i].id;
        labels[i] = schools[i].name;
    }
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"ask-heading\"><h2 id=\"ask-heading\">Ask to join a "
                      "school</h2>\n<p>Your school's coordinators must approve. You can also join with the link in "
                      "an invitation email.</p>\n");
    view_form_begin(b, "/me/schools", csrf_token);
    view_select(b, "School", "school_id", values, labels, NULL, error);
    view_form_end(b, "Ask to join");
    buf_append_str(b, "</section>\n");
}

static void render(struct http_request *req, int status, const char *done, const char *error)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "My school", &user))
        return;
    if (!account_has_role(&user, ROLE_STUDENT)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This page is for students");
        return;
    }
    struct store_school_student *links = NULL;
    size_t count = 0;
    if (store_student_schools(req->db, &req->arena, user.id, &links, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>My school</h1>\n");
    if (done_message(done) != NULL)
        view_notice(&b, done_message(done));
    if (error != NULL)
        view_alert(&b, error);
    if (count == 0)
        buf_append_str(&b, "<p>You are not linked to a school.</p>\n");
    else {
        for (size_t i = 0; i < count; i++)
            render_link(&b, page.csrf_token, &links[i]);
    }
    render_rounds(req, &b, user.id);
    render_ask_form(req, &b, page.csrf_token, error);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_me_schools(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_kv_get(query, "done"), NULL);
}

void web_page_me_schools_ask(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *school_id = http_form(req, "school_id");
    if (school_id == NULL || school_id[0] == '\0') {
        render(req, 400, NULL, "Choose your school.");
        return;
    }
    struct store_school_student link;
    struct error err = {0};
    if (school_ask(req->db, &req->arena, &user, school_id, &link, &err) != 0) {
        if (err.code == ERR_INTERNAL || err.code == ERR_NONE || err.code == ERR_FORBIDDEN) {
            http_reply_problem(req, &err);
            return;
        }
        render(req, error_status(err.code), NULL, err.detail != NULL ? err.detail : error_title(err.code));
        return;
    }
    http_redirect(req, "/me/schools?done=asked");
}

void web_page_me_school_leave(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct error err = {0};
    if (school_leave(req->db, &req->arena, &user, http_param(req, "id"), &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, "/me/schools?done=left");
}
