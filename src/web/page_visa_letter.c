/* page_visa_letter.c — the B-1 visa invitation letter of a booked rotation.
 *
 *   GET  /applications/{id}/visa-letter          the request's state; the student's form
 *                                                until asked; staff and the host's
 *                                                coordinators approve; the letter's PDF
 *   POST /applications/{id}/visa-letter          ask for it (the student)
 *   POST /applications/{id}/visa-letter/approve  approve and issue it
 *
 * Anyone else gets 404. A refused request shows the form again as typed with
 * every field's problem in the error summary, each linked to its field. */
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/visa_letters.h"
#include "lib/limits.h"
#include "web/web.h"

const char *const web_visa_letter_params[] = {"done", NULL};

struct visa_form {
    struct visa_letter_input in;
    struct error err;               /* the refusal, when not about the fields */
    struct web_form_errors fields;  /* every field's problem */
};

/* The form's fields in its order, and how a sentence about each starts. */
static const char *const form_fields[][2] = {
    {"passport_name", "Your name as in the passport"},
    {"passport_number", "The passport number"},
    {"nationality", "Your nationality"},
    {"consulate_city", "The city of the U.S. consulate"},
};

static const char *field_error(const struct visa_form *f, const char *field)
{
    return web_form_error_for(&f->fields, field);
}

/* Every problem of the fields typed, as sentences in the form's order. */
static void collect_field_errors(struct arena *arena, struct visa_form *f)
{
    struct error problems[VISA_LETTER_FIELDS];
    size_t count = visa_letter_input_problems(&f->in, problems, VISA_LETTER_FIELDS);
    for (size_t k = 0; k < sizeof(form_fields) / sizeof(form_fields[0]); k++)
        for (size_t i = 0; i < count; i++) {
            if (strcmp(problems[i].field, form_fields[k][0]) != 0)
                continue;
            struct buf m;
            buf_init(&m, arena, BUF_CAP_LINE);
            if (strcmp(problems[i].detail, "is required") == 0) {
                buf_append_str(&m, "Write ");
                buf_append_char(&m, (char)(form_fields[k][1][0] - 'A' + 'a'));
                buf_append_str(&m, form_fields[k][1] + 1);
            } else {
                buf_append_str(&m, form_fields[k][1]);
                buf_append_char(&m, ' ');
                buf_append_str(&m, problems[i].detail);
            }
            buf_append_char(&m, '.');
            web_form_error_add(&f->fields, form_fields[k][0], buf_ok(&m) ? m.data : problems[i].detail);
        }
}

static void render_state(struct buf *b, const struct visa_letter_view *v, const char *csrf_token)
{
    const struct store_visa_letter *l = &v->letter;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"visa-state-h\"><h2 id=\"visa-state-h\">The "
                      "request</h2>\n<p>For ");
    buf_append_html(b, l->passport_name);
    buf_append_str(b, " (passport ");
    buf_append_html(b, l->passport_number);
    buf_append_str(b, ", ");
    buf_append_html(b, l->nationality);
    buf_append_str(b, "), to the U.S. consulate in ");
    buf_append_html(b, l->consulate_city);
    buf_append_str(b, ".</p>\n");
    if (l->certificate_number != NULL) {
        buf_append_str(b, "<p>Issued: number <strong class=\"certificate-number\">");
        buf_append_html(b, l->certificate_number);
        buf_append_str(b, "</strong></p>\n<p><a href=\"/certificates/");
        buf_append_url(b, l->certificate_number);
        buf_append_str(b, "/pdf\">Download the letter (PDF)</a> · <a href=\"/verify/");
        buf_append_url(b, l->certificate_number);
        buf_append_str(b, "\">Its public page</a></p>\n");
    } else if (v->may_approve) {
        char action[160];
        snprintf(action, sizeof(action), "/applications/%s/visa-letter/approve", v->application.id);
        struct view_button approve = {.action = action, .label = "Approve and issue the letter"};
        buf_append_str(b, "<p>Waiting for approval. Check the booking before approving: the letter is signed on "
                          "the host's details.</p>\n");
        view_button_form(b, csrf_token, &approve);
    } else {
        buf_append_str(b, "<p>Waiting for approval by Rounds staff or the host. You are told when it is "
                          "ready.</p>\n");
    }
    buf_append_str(b, "</section>\n");
}

static void render_form(struct buf *b, const struct visa_letter_view *v, const struct visa_form *f,
                        const char *csrf_token)
{
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/visa-letter", v->application.id);
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"visa-form-h\"><h2 id=\"visa-form-h\">Ask for the "
                      "letter</h2>\n<p>Write your name and passport number exactly as in your passport.</p>\n");
    view_form_begin(b, action, csrf_token);
    view_input(b, "Name as in the passport", "text", "passport_name", f->in.passport_name, "name", true, NULL,
               field_error(f, "passport_name"));
    view_input(b, "Passport number", "text", "passport_number", f->in.passport_number, "off", true,
               "Letters and digits only", field_error(f, "passport_number"));
    view_input(b, "Nationality", "text", "nationality", f->in.nationality, "country-name", true, NULL,
               field_error(f, "nationality"));
    view_input(b, "City of the U.S. consulate", "text", "consulate_city", f->in.consulate_city, "off", true, NULL,
               field_error(f, "consulate_city"));
    view_form_end(b, "Ask for the letter");
    buf_append_str(b, "</section>\n");
}

static void render(struct http_request *req, int status, const char *id, const char *notice,
                   const struct visa_form *f)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Visa invitation letter", &user))
        return;
    struct visa_letter_view v;
    struct error err = {0};
    if (visa_letter_load(req->db, &req->arena, &user, id, &v, &err) != 0) {
        http_reply_error(req, err.code, NULL,
                         err.code == ERR_NOT_FOUND ? "This rotation does not exist, or it is not yours to see" : NULL);
        return;
    }
    struct visa_form blank = {0};
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    if (f != NULL && f->fields.count > 0)
        web_form_error_summary(&b, &req->arena, "The letter was not asked for. Everything you typed is still in "
                                                "the form.", &f->fields);
    else if (f != NULL && f->err.code != ERR_NONE)
        web_error_summary(&b, NULL, f->err.detail != NULL ? f->err.detail : error_title(f->err.code));
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p><a href=\"/applications/");
    buf_append_url(&b, v.application.id);
    buf_append_str(&b, "\">← The application</a></p>\n<h1>B-1 visa invitation letter</h1>\n<p class=\"lead\">");
    buf_append_html(&b, v.application.offering_title);
    buf_append_str(&b, ", ");
    buf_append_html(&b, v.application.host_name);
    bool student = strcmp(v.application.student_id, user.id) == 0;
    buf_append_str(&b, "</p>\n<p>A signed letter on the host's details for the U.S. consulate: the rotation, its "
                       "dates, that it is not employment, and that ");
    buf_append_str(&b, student ? "you pay" : "the student pays");
    buf_append_str(&b, " its costs. Anyone can check it at its public page.</p>\n");
    if (v.found)
        render_state(&b, &v, page.csrf_token);
    else if (v.may_request)
        render_form(&b, &v, f != NULL ? f : &blank, page.csrf_token);
    else if (application_status_takes_seat(application_status_of(&v.application)) &&
             application_status_of(&v.application) != APPLICATION_HELD)
        /* Booked already: "once the rotation is booked" would send the reader waiting for what has happened. */
        buf_append_str(&b, "<p class=\"notice\">No letter was asked for yet: the student has not asked for one.</p>\n");
    else
        buf_append_str(&b, "<p class=\"notice\">No letter was asked for yet. The student asks once the rotation is "
                           "booked.</p>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_visa_letter(struct http_request *req)
{
    const char *done = http_kv_get(req->query_params, "done");
    const char *notice = done == NULL                      ? NULL
                         : strcmp(done, "requested") == 0 ? "Your request is sent: you are told when the letter is ready."
                         : strcmp(done, "issued") == 0    ? "The letter is issued; the student is told."
                                                          : NULL;
    render(req, 200, http_param(req, "id"), notice, NULL);
}

static void after(struct http_request *req, const char *id, struct visa_form *f, int rc, const char *done)
{
    if (rc == 0) {
        char location[160];
        snprintf(location, sizeof(location), "/applications/%s/visa-letter?done=%s", id, done);
        http_redirect(req, location);
        return;
    }
    if (f->err.code == ERR_NOT_FOUND || f->err.code == ERR_UNAVAILABLE || f->err.code == ERR_INTERNAL ||
        f->err.code == ERR_FORBIDDEN) {
        http_reply_error(req, f->err.code, NULL,
                         f->err.code == ERR_NOT_FOUND ? "This rotation does not exist, or it is not yours to see"
                                                      : f->err.detail);
        return;
    }
    if (f->err.field != NULL)
        collect_field_errors(&req->arena, f);
    render(req, error_status(f->err.code), id, NULL, f);
}

void web_page_visa_letter_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct visa_form f = {.in = {http_form(req, "passport_name"), http_form(req, "passport_number"),
                                 http_form(req, "nationality"), http_form(req, "consulate_city")}};
    struct store_visa_letter v;
    int rc = visa_letter_request(req->db, &req->arena, &user, id, &f.in, &v, &f.err);
    after(req, id, &f, rc, "requested");
}

void web_page_visa_letter_approve(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct visa_form f = {0};
    struct store_certificate letter;
    int rc = visa_letter_approve(req->db, &req->arena, &user, id, &letter, &f.err);
    after(req, id, &f, rc, "issued");
}
