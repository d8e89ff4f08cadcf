/* page_letters.c — GET /letters: a student's letter requests (author, state
 * in words, dates, the waiver, the ERAS Letter ID) and the form that asks for
 * a new one — from one of their rotations' preceptors, or anyone by name and
 * email, with the FERPA waiver chosen explicitly (no default). POST /letters
 * sends the request through letter_request and goes to the new letter's page
 * (303), or shows the form again as typed with every problem in the error
 * summary, each linked to its field. An author with an
 * account (a preceptor) sees "Letters asked of you" with small accept,
 * decline and upload forms; one person may be both.
 * Also the state badge, the ERAS Letter ID and date formatting the letter
 * pages share. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/letters.h"
#include "domain/validate.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

enum { LIST_LIMIT = 100, CHOICES_LIMIT = 200 };

/* ---- shared with the other letter pages ---- */

static const char *state_group(enum letter_state state)
{
    switch (state) {
    case LETTER_REQUESTED:
    case LETTER_ACCEPTED:
        return "waiting";
    case LETTER_UPLOADED:
    case LETTER_DELIVERED:
        return "good";
    default:
        return "closed";
    }
}

void web_letter_state(struct buf *b, enum letter_state state)
{
    buf_append_str(b, "<span class=\"status status-");
    buf_append_str(b, state_group(state));
    buf_append_str(b, "\">");
    buf_append_html(b, state != LETTER_STATE_UNKNOWN ? letter_state_label(state) : "Unknown");
    buf_append_str(b, "</span>");
}

void web_letter_rotation(struct http_request *req, struct buf *b, const char *application_id)
{
    struct store_application a;
    if (application_id == NULL || application_id[0] == '\0' ||
        store_application_get(req->db, &req->arena, application_id, &a) != DB_ROW)
        return;
    buf_append_str(b, "<dt>Rotation</dt><dd>");
    buf_append_html(b, a.offering_title);
    buf_append_str(b, " <span class=\"muted\">");
    buf_append_html(b, a.host_name);
    buf_append_str(b, ", ");
    view_date(b, a.block_start);
    buf_append_str(b, " to ");
    view_date(b, a.block_end);
    buf_append_str(b, "</span></dd>");
}

void web_letter_eras_id(struct buf *b, const struct store_letter *l)
{
    if (l->eras_letter_id != NULL && l->eras_letter_id[0] != '\0') {
        buf_append_str(b, "<code>");
        buf_append_html(b, l->eras_letter_id);
        buf_append_str(b, "</code>");
    } else {
        buf_append_str(b, "<span class=\"muted\">None yet</span>");
    }
}

/* ---- the request form ---- */

/* The values sent, to show again with every problem (each naming its input). */
struct request_form {
    const char *application_id, *author_name, *author_email, *waived, *eras_letter_id;
    struct web_form_errors errors;
};

static const char *field_error(const struct request_form *f, const char *name)
{
    return f != NULL ? web_form_error_for(&f->errors, name) : NULL;
}

/* Applications whose preceptor the student may ask: those that took a seat. */
static bool preceptor_status(const struct store_application *a)
{
    return application_status_takes_seat(application_status_of(a));
}

static void render_preceptor_select(struct http_request *req, struct buf *b, const struct store_user *user,
                                    const struct request_form *form)
{
    struct store_application_filter f = {.student_id = user->id, .limit = CHOICES_LIMIT};
    struct store_application *items = NULL;
    size_t count = 0;
    if (store_applications_list(req->db, &req->arena, &f, &items, &count) != DB_OK)
        count = 0;
    size_t shown = 0;
    for (size_t i = 0; i < count; i++)
        if (preceptor_status(&items[i]) && items[i].preceptor_name != NULL && items[i].preceptor_name[0])
            shown++;
    const char *error = field_error(form, "application_id");
    if (shown == 0) {
        buf_append_str(b, "<p class=\"muted\">When you have booked a rotation, its preceptor is offered here.</p>\n");
        if (error != NULL)
            view_alert(b, error);
        return;
    }
    const char *selected = form != NULL ? form->application_id : NULL;
    buf_append_str(b, "<div class=\"field\"><label for=\"f-application_id\">One of your preceptors</label>"
                      "<small id=\"h-application_id\">From your booked, current and completed rotations.</small>"
                      "<select id=\"f-application_id\" name=\"application_id\" aria-describedby=\"h-application_id");
    if (error != NULL)
        buf_append_str(b, " e-application_id\" aria-invalid=\"true");
    buf_append_str(b, "\"><option value=\"\">None: I will type a name and email below</option>");
    for (size_t i = 0; i < count; i++) {
        const struct store_application *a = &items[i];
        if (!preceptor_status(a) || a->preceptor_name == NULL || a->preceptor_name[0] == '\0')
            continue;
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, a->id);
        buf_append_char(b, '"');
        if (selected != NULL && strcmp(selected, a->id) == 0)
            buf_append_str(b, " selected");
        buf_append_char(b, '>');
        buf_append_html(b, a->preceptor_name);
        buf_append_str(b, " — ");
        buf_append_html(b, a->offering_title);
        buf_append_str(b, " (");
        view_date(b, a->block_start);
        buf_append_str(b, " to ");
        view_date(b, a->block_end);
        buf_append_str(b, ")</option>");
    }
    buf_append_str(b, "</select>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-application_id\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n<p class=\"or\">Or someone else:</p>\n");
}

/* The waiver as two radio buttons, neither chosen until the student chooses. */
static void render_waiver(struct buf *b, const struct request_form *form)
{
    const char *error = field_error(form, "waived");
    const char *chosen = form != NULL ? form->waived : NULL;
    buf_append_str(b, "<fieldset class=\"choices waiver\" id=\"f-waived\" aria-describedby=\"h-waived");
    if (error != NULL)
        buf_append_str(b, " e-waived\" aria-invalid=\"true");
    buf_append_str(b, "\"><legend>Your right to see the letter</legend>"
                      "<p id=\"h-waived\" class=\"hint\">The law (FERPA) lets you read letters written about you, "
                      "unless you waive that right. Programs give more weight to letters the applicant has not "
                      "seen, so most applicants waive it — but it is your choice, and never required. If you "
                      "waive it you will see the letter's state and dates, never its content, and the waiver "
                      "cannot be taken back.</p>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-waived\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "<label><input type=\"radio\" name=\"waived\" value=\"yes\" required");
    if (chosen != NULL && strcmp(chosen, "yes") == 0)
        buf_append_str(b, " checked");
    buf_append_str(b, "> I waive my right to see this letter</label><label><input type=\"radio\" name=\"waived\" "
                      "value=\"no\" required");
    if (chosen != NULL && strcmp(chosen, "no") == 0)
        buf_append_str(b, " checked");
    buf_append_str(b, "> I do not waive my right to see this letter</label></fieldset>\n");
}

static void render_request_form(struct http_request *req, struct buf *b, const struct store_user *user,
                                const char *csrf_token, const struct request_form *form)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"request-heading\"><h2 id=\"request-heading\">"
                      "Ask for a letter</h2>\n<p>The author gets an email with a link to accept and upload the "
                      "letter; they need no Rounds account. Programs usually ask for 3 letters, and at least 1 "
                      "from a practising U.S. physician helps.</p>\n");
    if (form != NULL)
        web_form_error_summary(b, &req->arena, "The request was not sent. Everything you typed is still in the form.",
                               &form->errors);
    view_form_begin(b, "/letters", csrf_token);
    buf_append_str(b, "<fieldset class=\"author\"><legend>Who should write it?</legend>\n");
    render_preceptor_select(req, b, user, form);
    view_input(b, "Author's name", "text", "author_name", form != NULL ? form->author_name : NULL, "off", false,
               NULL, field_error(form, "author_name"));
    view_input(b, "Author's email", "email", "author_email", form != NULL ? form->author_email : NULL, "off",
               false, "The invitation link goes to this address.", field_error(form, "author_email"));
    buf_append_str(b, "</fieldset>\n");
    render_waiver(b, form);
    view_input(b, "ERAS Letter ID (optional)", "text", "eras_letter_id", form != NULL ? form->eras_letter_id : NULL,
               "off", false, "From the Letter Request Form in MyERAS: letters, digits and dashes. You can add it later.",
               field_error(form, "eras_letter_id"));
    view_form_end(b, "Send the request");
    buf_append_str(b, "</section>\n");
}

/* ---- the lists ---- */

static void cell_date(const struct http_request *req, struct buf *b, const char *label, int64_t t)
{
    buf_append_str(b, "<td data-label=\"");
    buf_append_str(b, label);
    buf_append_str(b, "\">");
    if (t > 0)
        web_write_date(req, b, t);
    else
        buf_append_str(b, "<span class=\"muted\">Not yet</span>");
    buf_append_str(b, "</td>");
}

static void render_mine(const struct http_request *req, struct buf *b, const struct store_letter *items, size_t count)
{
    buf_append_str(b, "<section class=\"letters-mine\" aria-labelledby=\"mine-heading\"><h2 id=\"mine-heading\">Your letter requests</h2>\n");
    if (count == 0) {
        buf_append_str(b, "<p>You have not asked for a letter yet.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records letters\"><caption>Your requests, newest "
                      "first</caption><thead><tr><th scope=\"col\">Author</th><th scope=\"col\">State</th>"
                      "<th scope=\"col\">Requested</th><th scope=\"col\">Accepted</th><th scope=\"col\">Uploaded</th>"
                      "<th scope=\"col\">Delivered</th><th scope=\"col\">ERAS Letter ID</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_letter *l = &items[i];
        buf_append_str(b, "<tr><td data-label=\"Author\"><a href=\"/letters/");
        buf_append_url(b, l->id);
        buf_append_str(b, "\">");
        buf_append_html(b, l->author_name);
        buf_append_str(b, "</a><br><span class=\"muted\">");
        buf_append_html(b, l->author_email);
        buf_append_str(b, "</span></td><td data-label=\"State\">");
        web_letter_state(b, letter_state_of(l));
        if (l->waived)
            buf_append_str(b, "<br><small class=\"confidential\">Confidential — you waived the right to see it"
                              "</small>");
        buf_append_str(b, "</td>");
        cell_date(req, b, "Requested", l->requested_at);
        if (letter_state_of(l) == LETTER_DECLINED) {
            buf_append_str(b, "<td data-label=\"Accepted\">Declined ");
            web_write_date(req, b, l->declined_at);
            buf_append_str(b, "</td>");
        } else {
            cell_date(req, b, "Accepted", l->accepted_at);
        }
        cell_date(req, b, "Uploaded", l->uploaded_at);
        cell_date(req, b, "Delivered", l->delivered_at);
        buf_append_str(b, "<td data-label=\"ERAS ID\">");
        web_letter_eras_id(b, l);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

void web_letter_form_begin(struct buf *b, const char *letter_id, const char *action, const char *csrf, bool upload,
                           const char *line_end)
{
    buf_append_str(b, "<form class=\"stack\" method=\"post\" action=\"/letters/");
    buf_append_url(b, letter_id);
    buf_append_char(b, '/');
    buf_append_str(b, action);
    buf_append_char(b, '"');
    if (upload)
        buf_append_str(b, " enctype=\"multipart/form-data\"");
    buf_append_str(b, ">");
    buf_append_str(b, line_end);
    buf_append_str(b, "<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\">");
    buf_append_str(b, line_end);
}

static void render_author_letter(struct http_request *req, struct buf *b, const struct store_letter *l,
                                 const char *csrf)
{
    struct buf id;
    buf_init(&id, &req->arena, BUF_CAP_LINE);
    buf_append_str(b, "<li class=\"letter-card\"><h3><a href=\"/letters/");
    buf_append_url(b, l->id);
    buf_append_str(b, "\">Letter for ");
    buf_append_html(b, l->student_name);
    buf_append_str(b, "</a></h3><p>");
    web_letter_state(b, letter_state_of(l));
    buf_append_str(b, " · asked ");
    web_write_date(req, b, l->requested_at);
    buf_append_str(b, l->waived ? " · the student waived the right to see it"
                                : " · the student did not waive the right to see it");
    buf_append_str(b, "</p>");
    enum letter_state state = letter_state_of(l);
    bool open = state == LETTER_REQUESTED || state == LETTER_ACCEPTED;
    if (state == LETTER_REQUESTED) {
        web_letter_form_begin(b, l->id, "accept", csrf, false, "");
        buf_append_str(b, "<button type=\"submit\">Accept</button></form>");
    }
    if (open || state == LETTER_UPLOADED) {
        buf_reset(&id);
        buf_append_str(&id, "file-");
        buf_append_str(&id, l->id);
        web_letter_form_begin(b, l->id, "upload", csrf, true, "");
        buf_append_str(b, "<div class=\"field\"><label for=\"");
        buf_append_html(b, id.data);
        buf_append_str(b, "\">");
        buf_append_str(b, state == LETTER_UPLOADED ? "A new version (PDF, at most 1 MB)"
                                                   : "The letter (PDF, at most 1 MB)");
        buf_append_str(b, "</label><input type=\"file\" id=\"");
        buf_append_html(b, id.data);
        buf_append_str(b, "\" name=\"file\" accept=\"application/pdf,.pdf\" required></div>"
                          "<button type=\"submit\">Upload</button></form>");
    }
    if (open) {
        buf_reset(&id);
        buf_append_str(&id, "reason-");
        buf_append_str(&id, l->id);
        buf_append_str(b, "<details class=\"decline\"><summary>Decline</summary>");
        web_letter_form_begin(b, l->id, "decline", csrf, false, "");
        view_input_id(b, buf_ok(&id) ? id.data : "reason", "Reason (optional, the student reads it)", "text",
                      "reason", NULL, false, NULL, NULL);
        buf_append_str(b, "<button type=\"submit\" class=\"danger\">Decline to write it</button></form></details>");
    }
    buf_append_str(b, "</li>\n");
}

static void render_asked(struct http_request *req, struct buf *b, const struct store_letter *items, size_t count,
                         const char *csrf)
{
    buf_append_str(b, "<section aria-labelledby=\"asked-heading\"><h2 id=\"asked-heading\">Letters asked of you"
                      "</h2>\n");
    if (count == 0) {
        buf_append_str(b, "<p>Nobody has asked you for a letter yet.</p></section>\n");
        return;
    }
    buf_append_str(b, "<ul class=\"letter-cards\">\n");
    for (size_t i = 0; i < count; i++)
        render_author_letter(req, b, &items[i], csrf);
    buf_append_str(b, "</ul></section>\n");
}

static void render(struct http_request *req, int status, const struct request_form *form)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Letters of recommendation", &user))
        return;
    bool student = account_has_role(&user, ROLE_STUDENT);
    struct store_letter *mine = NULL, *asked = NULL;
    size_t mine_count = 0, asked_count = 0;
    struct store_letter_filter fm = {.student_id = user.id, .limit = LIST_LIMIT};
    struct store_letter_filter fa = {.author_user_id = user.id, .limit = LIST_LIMIT};
    if ((student && store_letters_list(req->db, &req->arena, &fm, &mine, &mine_count) != DB_OK) ||
        store_letters_list(req->db, &req->arena, &fa, &asked, &asked_count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Letters of recommendation</h1>\n");
    if (student) {
        buf_append_str(&b, "<p class=\"lead\">Ask the physicians you worked with for letters, and follow them "
                           "until they reach ERAS. <a href=\"/readiness\">See your Match readiness</a>.</p>\n");
        render_mine(req, &b, mine, mine_count);
        render_request_form(req, &b, &user, page.csrf_token, form);
    }
    if (page.author || asked_count > 0)
        render_asked(req, &b, asked, asked_count, page.csrf_token);
    if (!student && !page.author && asked_count == 0)
        buf_append_str(&b, "<p>Letters are asked for by students and written by their preceptors. Nobody has asked "
                           "you for one.</p>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_letters(struct http_request *req)
{
    render(req, 200, NULL);
}

/* A form field, or NULL when empty. */
static const char *form_value(struct http_request *req, const char *name)
{
    const char *v = http_form(req, name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The preceptor of one of the student's seat-taking applications. */
static bool preceptor_of(struct http_request *req, const struct store_user *user, const char *application_id,
                         const char **preceptor_id, struct error *err)
{
    struct store_application a;
    int rc = store_application_get(req->db, &req->arena, application_id, &a);
    if (rc != DB_ROW && rc != DB_DONE) {
        error_set(err, ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    if (rc == DB_DONE || strcmp(a.student_id, user->id) != 0 || !preceptor_status(&a)) {
        error_set(err, ERR_VALIDATION_FAILED, "application_id", "Choose one of your preceptors from the list.");
        return false;
    }
    struct store_offering o;
    rc = store_offering_get(req->db, &req->arena, a.offering_id, &o);
    if (rc != DB_ROW || o.preceptor_id == NULL) {
        error_set(err, rc == DB_DONE ? ERR_VALIDATION_FAILED : ERR_UNAVAILABLE, rc == DB_DONE ? "application_id" : NULL,
                  rc == DB_DONE ? "Choose one of your preceptors from the list." : NULL);
        return false;
    }
    *preceptor_id = o.preceptor_id;
    return true;
}

/* The domain's refusal as a sentence for the form: its details are
 * lower-case fragments ("is required", "must be an email address"). */
static const char *request_error_detail(struct arena *arena, const struct error *err)
{
    static const char *const labels[][2] = {
        {"author_name", "The author's name"}, {"author_email", "The author's email"},
        {"eras_letter_id", "The ERAS Letter ID"}, {"waived", "The waiver"},
    };
    const char *detail = err->detail;
    if (detail == NULL || detail[0] == '\0')
        return error_title(err->code);
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    bool fragment = strncmp(detail, "is ", 3) == 0 || strncmp(detail, "must ", 5) == 0;
    const char *label = NULL;
    for (size_t i = 0; err->field != NULL && i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i][0], err->field) == 0)
            label = labels[i][1];
    if (fragment && label != NULL) {
        buf_append_str(&b, label);
        buf_append_char(&b, ' ');
        buf_append_str(&b, detail);
    } else {
        buf_append_char(&b, detail[0] >= 'a' && detail[0] <= 'z' ? (char)(detail[0] - 'a' + 'A') : detail[0]);
        buf_append_str(&b, detail + 1);
    }
    buf_append_char(&b, '.');
    return buf_ok(&b) ? b.data : detail;
}

/* The page's own checks of the request, every problem at once: an author
 * chosen or typed (not both), the lengths, the email's form, the ERAS Letter
 * ID's form, and the waiver chosen. */
static void check_form(struct request_form *f)
{
    struct web_form_errors *e = &f->errors;
    struct error text = {0};
    if (f->application_id != NULL && (f->author_name != NULL || f->author_email != NULL))
        web_form_error_add(e, "author_name", "Choose one of your preceptors or type a name and email, not both.");
    else if (f->application_id == NULL && f->author_name == NULL)
        web_form_error_add(e, "author_name", "Choose one of your preceptors, or type the author's name and email.");
    else if (f->author_name != NULL && strlen(f->author_name) > PERSON_NAME_MAX_CHARS)
        web_form_error_add(e, "author_name", "Keep the name under " LIMIT_TEXT(PERSON_NAME_MAX_CHARS) " characters.");
    else if (f->author_name != NULL &&
             validate_text(f->author_name, "author_name", 1, PERSON_NAME_MAX_CHARS, false, &text) != 0)
        web_form_error_add(e, "author_name", "Write the author's name in plain text, on one line.");
    if (f->application_id == NULL && f->author_email == NULL)
        web_form_error_add(e, "author_email", "Enter the author's email address.");
    else if (f->author_email != NULL && strlen(f->author_email) > EMAIL_MAX_BYTES)
        web_form_error_add(e, "author_email", "This email address is too long.");
    else if (f->author_email != NULL && f->application_id == NULL && !json_email_valid(f->author_email))
        web_form_error_add(e, "author_email", "Enter an email address, like name@example.com.");
    if (f->waived == NULL || (strcmp(f->waived, "yes") != 0 && strcmp(f->waived, "no") != 0))
        web_form_error_add(e, "waived", "Choose whether you waive your right to see this letter.");
    if (f->eras_letter_id != NULL && strlen(f->eras_letter_id) > ERAS_LETTER_ID_MAX_BYTES)
        web_form_error_add(e, "eras_letter_id", "This ERAS Letter ID is too long.");
    else if (f->eras_letter_id != NULL && !letter_eras_id_valid(f->eras_letter_id))
        web_form_error_add(e, "eras_letter_id", "An ERAS Letter ID has 1 to 32 letters, digits or dashes.");
}

void web_page_letters_request(struct http_request *req)
{
    struct store_user user;
    if (!web_signed_in_user(req, &user))
        return;
    if (!account_has_role(&user, ROLE_STUDENT)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "Only students ask for letters of recommendation");
        return;
    }
    struct request_form form = {.application_id = form_value(req, "application_id"),
                                .author_name = form_value(req, "author_name"),
                                .author_email = form_value(req, "author_email"),
                                .waived = form_value(req, "waived"),
                                .eras_letter_id = form_value(req, "eras_letter_id")};
    struct letter_request r = {.author_name = form.author_name,
                               .author_email = form.author_email,
                               .eras_letter_id = form.eras_letter_id};
    check_form(&form);
    if (form.errors.count > 0) {
        render(req, 400, &form);
        return;
    }
    r.waived = strcmp(form.waived, "yes") == 0;
    if (form.application_id != NULL) {
        struct error err = {0};
        if (!preceptor_of(req, &user, form.application_id, &r.preceptor_id, &err)) {
            if (err.code == ERR_UNAVAILABLE) {
                http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
                return;
            }
            web_form_error_add(&form.errors, err.field, err.detail);
            render(req, 400, &form);
            return;
        }
        r.application_id = form.application_id;
    }
    struct store_letter letter = {0};
    struct error err = {0};
    if (letter_request(req->db, &req->arena, &user, &r, &letter, &err) != 0) {
        if (err.code == ERR_NONE || error_status(err.code) >= 500) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        http_retry_after(req, r.retry_after);
        if (err.field != NULL && (strcmp(err.field, "preceptor_id") == 0 || strcmp(err.field, "application_id") == 0))
            web_form_error_add(&form.errors, "application_id", "Choose one of your preceptors from the list.");
        else
            web_form_error_add(&form.errors, err.field, request_error_detail(&req->arena, &err));
        render(req, error_status(err.code), &form);
        return;
    }
    web_redirect_done(req, "/letters/", letter.id, "requested");
}
