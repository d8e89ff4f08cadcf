/* page_school_approvals.c — home approval on the school's dashboard: the
 * setting (applications of the school's students wait for its approval
 * before their hosts see them) and the applications waiting, each with
 * Release and Refuse (a note is required); POST /school/settings and POST
 * /school/applications/{id}/{release|refuse}. */
#include <string.h>

#include "domain/applications.h"
#include "domain/schools.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "store/schools.h"
#include "views/money.h"
#include "web/web.h"

static void render_setting(struct buf *b, const char *csrf_token, const char *school_id, bool on)
{
    buf_append_str(b, "<form class=\"stack\" method=\"post\" action=\"/school/settings?school=");
    buf_append_url(b, school_id);
    buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\"><div class=\"field\"><label><input type=\"checkbox\" name=\"home_approval\" value=\"1\"");
    if (on)
        buf_append_str(b, " checked");
    buf_append_str(b, "> Our students' applications wait for our approval before the host sees them</label></div>"
                      "<button type=\"submit\" class=\"secondary\">Save the setting</button></form>\n");
}

static void render_waiting(struct buf *b, const char *csrf_token, const char *school_id,
                           const struct store_application *a, const struct web_school_approval_error *error)
{
    bool failed = error != NULL && error->application_id != NULL && strcmp(error->application_id, a->id) == 0;
    buf_append_str(b, "<li class=\"card\"><p><strong>");
    buf_append_html(b, a->student_name);
    buf_append_str(b, "</strong> — ");
    buf_append_html(b, a->offering_title);
    buf_append_str(b, " at ");
    buf_append_html(b, a->host_name);
    buf_append_str(b, ", ");
    view_date(b, a->block_start);
    buf_append_str(b, " to ");
    view_date(b, a->block_end);
    buf_append_str(b, "</p>\n<div class=\"actions decision\">");
    for (int refuse = 0; refuse < 2; refuse++) {
        buf_append_str(b, "<form class=\"inline\" method=\"post\" action=\"/school/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, refuse ? "/refuse?school=" : "/release?school=");
        buf_append_url(b, school_id);
        buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf_token);
        buf_append_str(b, "\">");
        if (refuse) {
            buf_append_str(b, "<label for=\"why-");
            buf_append_html(b, a->id);
            buf_append_str(b, "\">Why refuse</label><input type=\"text\" name=\"note\" required maxlength=\"" LIMIT_TEXT(
                                  NOTE_MAX_CHARS) "\" id=\"why-");
            buf_append_html(b, a->id);
            buf_append_char(b, '"');
            if (failed) {
                buf_append_str(b, " aria-invalid=\"true\" aria-describedby=\"approvals-error\" value=\"");
                buf_append_html(b, error->note != NULL ? error->note : "");
                buf_append_char(b, '"');
            }
            buf_append_char(b, '>');
        }
        buf_append_str(b, refuse ? "<button type=\"submit\" class=\"secondary\">Refuse"
                                 : "<button type=\"submit\">Release to the host");
        buf_append_str(b, "<span class=\"visually-hidden\">: ");
        buf_append_html(b, a->student_name);
        buf_append_str(b, ", ");
        buf_append_html(b, a->offering_title);
        buf_append_str(b, "</span></button></form>");
    }
    buf_append_str(b, "</div></li>\n");
}

void web_school_approvals_section(struct http_request *req, struct buf *b, const char *csrf_token,
                                  const struct store_user *user, const char *school_id,
                                  const struct web_school_approval_error *error)
{
    bool on = false;
    if (store_school_home_approval(req->db, school_id, &on) != DB_OK)
        on = false;
    struct store_application *items = NULL;
    size_t count = 0;
    struct error err = {0};
    if (school_approvals(req->db, &req->arena, user, school_id, NULL, &items, &count, &err) != 0)
        count = 0;
    buf_appendf(b, "<section aria-labelledby=\"approvals-heading\"><h2 id=\"approvals-heading\" tabindex=\"-1\">"
                   "Waiting for your approval (%zu)</h2>\n",
                count);
    if (error != NULL && error->message != NULL) {
        buf_append_str(b, "<div class=\"notice error\" role=\"alert\" id=\"approvals-error\"><a href=\"#why-");
        buf_append_html(b, error->application_id != NULL ? error->application_id : "");
        buf_append_str(b, "\">");
        buf_append_html(b, error->message);
        buf_append_str(b, "</a></div>\n");
    }
    render_setting(b, csrf_token, school_id, on);
    if (count == 0) {
        buf_append_str(b, on ? "<p>No application waits for your approval.</p></section>\n"
                             : "<p>Home approval is off: your students' applications go straight to the "
                               "hosts.</p></section>\n");
        return;
    }
    buf_append_str(b, "<ul class=\"approvals\">\n");
    for (size_t i = 0; i < count; i++)
        render_waiting(b, csrf_token, school_id, &items[i], error);
    buf_append_str(b, "</ul></section>\n");
}

/* /school?school=…&done=… after a decision. */
static void back_to_dashboard(struct http_request *req, const char *school_id, const char *done)
{
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/school?school=");
    buf_append_url(&location, school_id != NULL ? school_id : "");
    buf_append_str(&location, "&done=");
    buf_append_str(&location, done);
    buf_append_str(&location, "#approvals-heading");
    http_redirect(req, buf_ok(&location) ? location.data : "/school");
}

void web_page_school_settings(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    if (!web_current_user(req, &user) || http_query(req, &query) != 0)
        return;
    const char *school_id = http_kv_get(query, "school"), *on = http_form(req, "home_approval");
    struct store_organization school;
    struct error err = {0};
    if (school_set_home_approval(req->db, &req->arena, &user, school_id, on != NULL && strcmp(on, "1") == 0, &school,
                                 &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    back_to_dashboard(req, school.id, "settings");
}

void web_page_school_application_action(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    if (!web_current_user(req, &user) || http_query(req, &query) != 0)
        return;
    const char *action = http_param(req, "action"), *id = http_param(req, "id");
    const char *school_id = http_kv_get(query, "school");
    bool release = strcmp(action, "release") == 0;
    if (!release && strcmp(action, "refuse") != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such action");
        return;
    }
    struct store_application a;
    struct error err = {0};
    if (application_get_visible(req->db, &req->arena, id, &user, "school decision", &a, &err) != 0 ||
        !application_school_side(&a, &user)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such application");
        return;
    }
    const char *note = http_form(req, "note");
    size_t note_len = note != NULL ? strlen(note) : 0;
    if (note != NULL && (!utf8_valid(note, note_len) || utf8_count(note, note_len) > NOTE_MAX_CHARS)) {
        struct web_school_approval_error e = {a.id, "Keep the note under " LIMIT_TEXT(NOTE_MAX_CHARS) " characters.",
                                              utf8_valid(note, note_len) ? note : ""};
        web_school_dashboard(req, 400, school_id, NULL, &e);
        return;
    }
    if (application_transition(req->db, &req->arena, a.id, action, &user, note, &a, &err) != 0) {
        if (err.code == ERR_VALIDATION_FAILED) {
            struct web_school_approval_error e = {a.id, "Say why you refuse the application: the student reads it.",
                                                  note};
            web_school_dashboard(req, 400, school_id, NULL, &e);
            return;
        }
        http_reply_problem(req, &err);
        return;
    }
    back_to_dashboard(req, school_id, release ? "released" : "app_refused");
}
