/* page_school.c — GET /school: a school coordinator's dashboard — the
 * school's students (linked ones with their applications in numbers, a link
 * to each; requests to join with Approve and Refuse), the invitations still
 * open and those held until an address is confirmed, and the form that invites a cohort from a CSV file. POST
 * /school/invitations reads the CSV (multipart "file") and shows the report
 * on the same page: how many were invited, the students whose invitation is
 * held until their account confirms its address, and every refused line with
 * its reason; a file of which no line can be used answers 422 with every
 * refused line in the error summary at the top. POST /school/students/{id}/{approve|refuse} answers a request.
 * A coordinator of several schools (or staff) picks one with ?school=. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/schools.h"
#include "lib/limits.h"
#include "web/web.h"

const char *const web_school_params[] = {"school", "done", "rounds_cursor", NULL};

enum { INVITATIONS_SHOWN = 200 };

/* The school the page is about: ?school= when given (and managed), else the
 * user's first school. NULL with *reply_done after a 404 (or a staff member
 * without ?school=, who is shown the list instead). */
static const char *page_school_id(struct http_request *req, const struct store_user *user, const char *asked)
{
    if (asked != NULL && asked[0] != '\0')
        return school_may_manage(user, asked) ? asked : NULL;
    for (size_t i = 0; i < user->membership_count; i++)
        if (role_parse(user->memberships[i].role) == ROLE_SCHOOL_COORDINATOR)
            return user->memberships[i].organization_id;
    (void)req;
    return NULL;
}

static void render_school_choice(struct http_request *req, struct buf *b)
{
    struct store_organization *schools = NULL;
    size_t count = 0;
    if (store_schools_list(req->db, &req->arena, &schools, &count) != DB_OK)
        count = 0;
    buf_append_str(b, "<h1>Schools</h1>\n<ul class=\"plain-list\">\n");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li><a href=\"/school?school=");
        buf_append_url(b, schools[i].id);
        buf_append_str(b, "\">");
        buf_append_html(b, schools[i].name);
        buf_append_str(b, "</a></li>\n");
    }
    buf_append_str(b, "</ul>\n");
}

/* One small form per request: Approve, or Refuse with a note. */
static void render_request(struct buf *b, const char *csrf_token, const char *school_id,
                           const struct store_school_student *l)
{
    buf_append_str(b, "<li class=\"request\"><strong>");
    buf_append_html(b, l->student_name);
    buf_append_str(b, "</strong> <span class=\"muted\">");
    buf_append_html(b, l->student_email);
    buf_append_str(b, "</span><div class=\"actions decision\">");
    for (int refuse = 0; refuse < 2; refuse++) {
        buf_append_str(b, "<form class=\"inline\" method=\"post\" action=\"/school/students/");
        buf_append_url(b, l->student_id);
        buf_append_str(b, refuse ? "/refuse?school=" : "/approve?school=");
        buf_append_url(b, school_id);
        buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf_token);
        buf_append_str(b, "\">");
        if (refuse) {
            buf_append_str(b, "<label class=\"visually-hidden\" for=\"note-");
            buf_append_html(b, l->student_id);
            buf_append_str(b, "\">Why (optional)</label><input type=\"text\" name=\"note\" maxlength=\"500\" "
                              "placeholder=\"Why (optional)\" id=\"note-");
            buf_append_html(b, l->student_id);
            buf_append_str(b, "\">");
        }
        buf_append_str(b, refuse ? "<button type=\"submit\" class=\"secondary\">Refuse"
                                 : "<button type=\"submit\">Approve");
        buf_append_str(b, "<span class=\"visually-hidden\">: ");
        buf_append_html(b, l->student_name);
        buf_append_str(b, "</span></button></form>");
    }
    buf_append_str(b, "</div></li>\n");
}

static void render_students(struct buf *b, const char *csrf_token, const char *school_id,
                            const struct store_school_student *links, size_t count)
{
    size_t active = 0, waiting = 0;
    for (size_t i = 0; i < count; i++) {
        enum school_link_status s = school_link_status_parse(links[i].status);
        active += s == SCHOOL_LINK_ACTIVE;
        waiting += s == SCHOOL_LINK_REQUESTED;
    }
    if (waiting > 0) {
        buf_appendf(b, "<section class=\"card\" aria-labelledby=\"requests-heading\"><h2 id=\"requests-heading\">"
                       "Asking to join (%zu)</h2>\n<ul class=\"plain-list\">\n", waiting);
        for (size_t i = 0; i < count; i++)
            if (school_link_status_parse(links[i].status) == SCHOOL_LINK_REQUESTED)
                render_request(b, csrf_token, school_id, &links[i]);
        buf_append_str(b, "</ul></section>\n");
    }
    buf_appendf(b, "<section aria-labelledby=\"students-heading\"><h2 id=\"students-heading\">Students (%zu)</h2>\n",
                active);
    if (active == 0) {
        buf_append_str(b, "<p>No student has joined yet: invite your cohort below.</p></section>\n");
        return;
    }
    buf_append_str(b, "<table class=\"records\"><thead><tr><th scope=\"col\">Student</th>"
                      "<th scope=\"col\">Graduation</th><th scope=\"col\">Applications in progress</th>"
                      "<th scope=\"col\">Booked or done</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_school_student *l = &links[i];
        if (school_link_status_parse(l->status) != SCHOOL_LINK_ACTIVE)
            continue;
        buf_append_str(b, "<tr><td data-label=\"Student\"><a href=\"/school/students/");
        buf_append_url(b, l->student_id);
        buf_append_str(b, "?school=");
        buf_append_url(b, school_id);
        buf_append_str(b, "\">");
        buf_append_html(b, l->student_name);
        buf_append_str(b, "</a></td><td data-label=\"Graduation\">");
        if (l->graduation_year > 0)
            buf_append_int(b, l->graduation_year);
        else
            buf_append_str(b, "<span class=\"muted\">Unknown</span>");
        buf_appendf(b, "</td><td data-label=\"Applications in progress\">%lld</td>"
                       "<td data-label=\"Booked or done\">%lld</td></tr>\n",
                    (long long)l->applications_active, (long long)l->applications_booked);
    }
    buf_append_str(b, "</tbody></table></section>\n");
}

/* The students of the upload whose invitation is held (their account has
 * not confirmed its address), each by line, name and address, and what
 * happens next. */
static void render_held(struct buf *b, const struct school_invite_report *r)
{
    if (r->held_count == 0)
        return;
    buf_append_str(b, "<h3 id=\"held-heading\">Held until they confirm their address</h3>\n<p>Rounds has not "
                      "emailed these students yet: each address belongs to a Rounds account that has not confirmed "
                      "it, and Rounds emails such an address nothing else. Their invitation is kept and sent as soon "
                      "as they confirm it (with the link Rounds emailed them when they signed up) within "
                      LIMIT_TEXT(SCHOOL_INVITATION_DAYS) " days; after that, upload these lines again.</p>\n"
                      "<ul aria-labelledby=\"held-heading\">\n");
    size_t row = 0; /* both lists follow the file's order */
    for (size_t i = 0; i < r->held_count; i++) {
        while (row < r->csv.row_count && r->csv.rows[row].line < r->held_lines[i])
            row++;
        buf_appendf(b, "<li>Line %u", r->held_lines[i]);
        if (row < r->csv.row_count && r->csv.rows[row].line == r->held_lines[i]) {
            buf_append_str(b, ": ");
            buf_append_html(b, r->csv.rows[row].name);
            buf_append_str(b, " <span class=\"muted\">");
            buf_append_html(b, r->csv.rows[row].email);
            buf_append_str(b, "</span>");
        }
        buf_append_str(b, "</li>\n");
    }
    buf_append_str(b, "</ul>\n");
}

/* The error summary of a refused upload, at the top of the page: its
 * sentence linked to the file input and, for a file of which no line could be
 * used (report not NULL), every refused line under it. */
static void render_invite_refusal(struct buf *b, struct arena *arena, const char *error,
                                  const struct school_invite_report *r)
{
    if (r == NULL) {
        web_error_summary(b, "file", error);
        return;
    }
    const char **details = arena_alloc(arena, (r->csv.problem_count + 1) * sizeof(*details));
    size_t count = 0;
    for (size_t i = 0; details != NULL && i < r->csv.problem_count; i++) {
        const char *line = arena_printf(arena, "Line %u: %s", r->csv.problems[i].line, r->csv.problems[i].message);
        if (line != NULL)
            details[count++] = line;
    }
    struct view_field_error e = {"f-file", error};
    view_error_summary_detailed(b, "Nobody was invited and nothing was saved.", &e, details, count);
}

/* The invitation report after an upload (NULL: none). */
static void render_report(struct buf *b, const struct school_invite_report *r)
{
    if (r == NULL)
        return;
    size_t total = r->csv.lines;
    buf_append_str(b, "<section class=\"card report\" aria-labelledby=\"report-heading\" tabindex=\"-1\" "
                      "id=\"report\"><h2 id=\"report-heading\">Invitations sent</h2>\n");
    buf_appendf(b, "<p><progress max=\"%zu\" value=\"%zu\"></progress> %zu of %zu students invited", total,
                r->invited, r->invited, total);
    if (r->already_count > 0)
        buf_appendf(b, ", %zu already linked", r->already_count);
    if (r->held_count > 0)
        buf_appendf(b, ", %zu held until they confirm their address", r->held_count);
    if (r->csv.problem_count > 0)
        buf_appendf(b, ", %zu line%s refused", r->csv.problem_count, r->csv.problem_count == 1 ? "" : "s");
    buf_append_str(b, ".</p>\n");
    if (r->csv.problem_count > 0) {
        buf_append_str(b, "<p>Correct these lines and upload them again (the others are done):</p>\n<ul>\n");
        for (size_t i = 0; i < r->csv.problem_count; i++) {
            buf_appendf(b, "<li>Line %u: ", r->csv.problems[i].line);
            buf_append_html(b, r->csv.problems[i].message);
            buf_append_str(b, "</li>\n");
        }
        buf_append_str(b, "</ul>\n");
    }
    render_held(b, r);
    buf_append_str(b, "</section>\n");
}

static void render_invite_form(struct buf *b, const char *csrf_token, const char *school_id, const char *error)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"invite-heading\"><h2 id=\"invite-heading\">"
                      "Invite a cohort</h2>\n<p>Upload a CSV file with one student per line: name, email, "
                      "graduation year (a first line naming the columns is fine). Each student gets an email "
                      "with a link to join (a student whose Rounds account has not confirmed its address gets it "
                      "once they confirm it: the report lists them); nothing is shared with the school until they "
                      "accept.</p>\n");
    buf_append_str(b, "<form class=\"stack\" method=\"post\" enctype=\"multipart/form-data\" "
                      "action=\"/school/invitations?school=");
    buf_append_url(b, school_id);
    buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\"><div class=\"field\"><label for=\"f-file\">CSV file</label>"
                      "<small id=\"h-file\">name,email,graduation_year — at most " LIMIT_TEXT(
                          SCHOOL_INVITE_MAX_ROWS) " students.</small><input type=\"file\" id=\"f-file\" "
                      "name=\"file\" accept=\".csv,text/csv\" required aria-describedby=\"h-file");
    buf_append_str(b, error != NULL ? " e-file\" aria-invalid=\"true\">" : "\">");
    if (error != NULL) { /* a browser never fills a file input again: the error asks for the file */
        buf_append_str(b, "<span class=\"field-error\" id=\"e-file\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div><button type=\"submit\">Send the invitations</button></form></section>\n");
}

static void render_invitations(struct http_request *req, struct buf *b, const char *school_id)
{
    struct store_school_invitation *items = NULL;
    size_t count = 0;
    if (store_school_invitations_pending(req->db, &req->arena, school_id, INVITATIONS_SHOWN, &items, &count) != DB_OK ||
        count == 0)
        return;
    buf_appendf(b, "<section aria-labelledby=\"pending-heading\"><h2 id=\"pending-heading\">Invitations not accepted "
                   "yet (%zu%s)</h2>\n<ul class=\"plain-list\">\n",
                count, count == INVITATIONS_SHOWN ? "+" : "");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li>");
        buf_append_html(b, items[i].name);
        buf_append_str(b, " <span class=\"muted\">");
        buf_append_html(b, items[i].email);
        buf_append_str(b, " — until ");
        web_write_date(req, b, items[i].expires_at);
        buf_append_str(b, "</span></li>\n");
    }
    buf_append_str(b, "</ul></section>\n");
}

/* The invitations held until their address is confirmed (this school's
 * only: the page is for those who manage it). */
static void render_holds(struct http_request *req, struct buf *b, const char *school_id)
{
    struct store_school_invitation *items = NULL;
    size_t count = 0;
    if (store_school_holds_page(req->db, &req->arena, school_id, NULL, INVITATIONS_SHOWN, &items, &count) != DB_OK ||
        count == 0)
        return;
    buf_appendf(b, "<section aria-labelledby=\"holds-heading\"><h2 id=\"holds-heading\">Waiting for the student to "
                   "confirm their address (%zu%s)</h2>\n<p>Emailed once they confirm it, if within "
                   LIMIT_TEXT(SCHOOL_INVITATION_DAYS) " days of the upload.</p>\n<ul class=\"plain-list\">\n",
                count, count == INVITATIONS_SHOWN ? "+" : "");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li>");
        buf_append_html(b, items[i].name);
        buf_append_str(b, " <span class=\"muted\">");
        buf_append_html(b, items[i].email);
        buf_append_str(b, " — uploaded ");
        web_write_date(req, b, items[i].created_at);
        buf_append_str(b, "</span></li>\n");
    }
    buf_append_str(b, "</ul></section>\n");
}

static const char *done_message(const char *done)
{
    if (done == NULL)
        return NULL;
    if (strcmp(done, "approved") == 0)
        return "The student is linked to the school.";
    if (strcmp(done, "refused") == 0)
        return "The request was refused; the student has been told.";
    if (strcmp(done, "settings") == 0)
        return "The setting is saved.";
    if (strcmp(done, "released") == 0)
        return "The application went on to the host.";
    if (strcmp(done, "app_refused") == 0)
        return "The application was refused; the student has been told why.";
    return NULL;
}

/* The dashboard, with the report of an upload or an error of the form. */
static void render(struct http_request *req, int status, const char *school_asked, const char *done,
                   const struct school_invite_report *report, const char *invite_error,
                   const struct web_school_approval_error *approval_error)
{
    struct view_page page;
    struct store_user user;
    struct web_cursor rounds_at;
    if (web_cursor_read(req, "rounds_cursor", &rounds_at) != 0 || !web_page_setup(req, &page, "School", &user))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    const char *school_id = page_school_id(req, &user, school_asked);
    struct store_organization school;
    struct error err = {0};
    if (school_id == NULL && account_has_role(&user, ROLE_STAFF) && (school_asked == NULL || school_asked[0] == '\0')) {
        view_page_begin(&b, &page);
        render_school_choice(req, &b);
        view_page_end(&b);
        http_reply_html(req, 200, &b);
        return;
    }
    if (school_id == NULL || school_managed(req->db, &req->arena, &user, school_id, &school, &err) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "You coordinate no school here");
        return;
    }
    struct store_school_student *links = NULL;
    size_t count = 0;
    if (store_school_students_list(req->db, &req->arena, school.id, NULL, &links, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    page.title = school.name;
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>");
    buf_append_html(&b, school.name);
    buf_append_str(&b, "</h1>\n");
    if (done_message(done) != NULL)
        view_notice(&b, done_message(done));
    if (invite_error != NULL)
        render_invite_refusal(&b, &req->arena, invite_error, report);
    else
        render_report(&b, report);
    web_school_approvals_section(req, &b, page.csrf_token, &user, school.id, approval_error);
    web_school_rounds_section(req, &b, page.csrf_token, school.id, &rounds_at);
    render_students(&b, page.csrf_token, school.id, links, count);
    render_invite_form(&b, page.csrf_token, school.id, invite_error);
    render_invitations(req, &b, school.id);
    render_holds(req, &b, school.id);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_school(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_kv_get(query, "school"), http_kv_get(query, "done"), NULL, NULL, NULL);
}

void web_school_dashboard(struct http_request *req, int status, const char *school_asked, const char *done,
                          const struct web_school_approval_error *error)
{
    render(req, status, school_asked, done, NULL, NULL, error);
}

void web_page_school_invite(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    if (!web_current_user(req, &user) || http_query(req, &query) != 0)
        return;
    const char *school_id = page_school_id(req, &user, http_kv_get(query, "school"));
    const struct http_part *file = http_part(req, "file");
    if (file == NULL || file->len == 0) {
        render(req, 400, school_id, NULL, NULL, "Choose the CSV file to upload.", NULL);
        return;
    }
    struct school_invite_report report;
    struct error err = {0};
    if (school_invite_csv(req->db, &req->arena, &user, school_id, file->data, file->len, &report, &err) != 0) {
        if (err.code == ERR_NOT_FOUND || err.code == ERR_INTERNAL || err.code == ERR_NONE) {
            http_reply_error(req, err.code == ERR_NONE ? ERR_INTERNAL : err.code, NULL, NULL);
            return;
        }
        if (err.code == ERR_RATE_LIMITED)
            http_retry_after(req, report.retry_after);
        if (err.code == ERR_INVITE_NO_USABLE_LINE) {
            render(req, 422, school_id, NULL, &report,
                   "No line of the file can be used: correct the lines listed, then choose the file again.", NULL);
            return;
        }
        render(req, error_status(err.code), school_id, NULL, NULL, err.detail, NULL);
        return;
    }
    render(req, 200, school_id, NULL, &report, NULL, NULL);
}

void web_page_school_student_action(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    if (!web_current_user(req, &user) || http_query(req, &query) != 0)
        return;
    const char *action = http_param(req, "action");
    bool approve = strcmp(action, "approve") == 0;
    if (!approve && strcmp(action, "refuse") != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such action");
        return;
    }
    const char *school_id = page_school_id(req, &user, http_kv_get(query, "school"));
    struct store_school_student link;
    struct error err = {0};
    if (school_decide(req->db, &req->arena, &user, school_id, http_param(req, "id"), approve, http_form(req, "note"),
                      &link, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/school?school=");
    buf_append_url(&location, school_id);
    buf_append_str(&location, approve ? "&done=approved" : "&done=refused");
    http_redirect(req, buf_ok(&location) ? location.data : "/school");
}
