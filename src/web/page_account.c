/* page_account.c — GET/POST /account: who you are, your roles and
 * organisations, and (for students) the profile that eligibility uses. A
 * saved profile answers 303: to the page named by a local `next`, else to
 * /account?saved=profile, whose notice sits at the top of the page (on a
 * phone the form's end is screens away); a form with errors comes back (400)
 * as typed, with an error summary at the top. The time zone card and its
 * POST: page_account_time_zone.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "web/web.h"

const char *const web_account_params[] = {"confirm", "deletion", "next", "saved", NULL};

/* The profile form as typed (or as stored, formatted for typing). */
struct profile_form {
    const char *school, *country, *status, *graduation_year, *visa_kind, *step1, *step2ck_score, *ecfmg_status,
        *english_proof;
};

/* The errors of one submission, each naming its field. */
enum { PROFILE_FIELDS = 9 };
struct profile_errors {
    struct error items[PROFILE_FIELDS];
    size_t count;
};

static const char *error_for(const struct profile_errors *errors, const char *field)
{
    for (size_t i = 0; errors != NULL && i < errors->count; i++)
        if (errors->items[i].field != NULL && strcmp(errors->items[i].field, field) == 0)
            return errors->items[i].detail;
    return NULL;
}

static const char *number_text(struct arena *arena, int64_t n, int64_t none)
{
    char s[24] = "";
    if (n != none)
        snprintf(s, sizeof(s), "%lld", (long long)n);
    return arena_strdup(arena, s);
}

static void profile_form_from_user(struct arena *arena, const struct store_profile *p, struct profile_form *f)
{
    *f = (struct profile_form){
        .school = p->school,
        .country = p->country,
        .status = p->status,
        .graduation_year = p->graduation_year > 0 ? number_text(arena, p->graduation_year, 0) : "",
        .visa_kind = p->visa_kind,
        .step1 = p->step1,
        .step2ck_score = number_text(arena, p->step2ck_score, -1),
        .ecfmg_status = p->ecfmg_status,
        .english_proof = p->english_proof,
    };
}

/* next: the page to go back to once the profile is saved (a path on this
 * site, e.g. the offering whose rules it did not meet), or NULL. */
static void render_profile(struct buf *b, const char *csrf_token, const struct profile_form *f,
                           const struct profile_errors *errors, const char *next)
{
    if (next != NULL) {
        buf_append_str(b, "<p><a href=\"");
        buf_append_html(b, next);
        buf_append_str(b, "\">Back without saving</a>: saving brings you back there.</p>\n");
    }
    view_form_begin(b, "/account", csrf_token);
    if (next != NULL) {
        buf_append_str(b, "<input type=\"hidden\" name=\"next\" value=\"");
        buf_append_html(b, next);
        buf_append_str(b, "\">");
    }
    view_input(b, "Medical school", "text", "school", f->school, "organization", false, NULL,
               error_for(errors, "school"));
    view_input(b, "Country", "text", "country", f->country, "country-name", false, NULL, error_for(errors, "country"));
    view_select(b, "Status", "status", student_status_names, student_status_labels, f->status, error_for(errors, "status"));
    char year_hint[64];
    snprintf(year_hint, sizeof(year_hint), "Between %d and %d.", GRADUATION_YEAR_MIN,
             GRADUATION_YEAR_MAX);
    view_input(b, "Graduation year", "number", "graduation_year", f->graduation_year, NULL, false, year_hint,
               error_for(errors, "graduation_year"));
    view_select(b, "Visa", "visa_kind", visa_kind_names, visa_kind_labels, f->visa_kind, error_for(errors, "visa_kind"));
    view_select(b, "USMLE Step 1", "step1", step1_result_names, step1_result_labels, f->step1, error_for(errors, "step1"));
    char score_hint[64];
    snprintf(score_hint, sizeof(score_hint), "Between %d and %d; leave empty if not taken.", STEP2CK_SCORE_MIN,
             STEP2CK_SCORE_MAX);
    view_input(b, "USMLE Step 2 CK score", "number", "step2ck_score", f->step2ck_score, NULL, false, score_hint,
               error_for(errors, "step2ck_score"));
    view_select(b, "ECFMG certification", "ecfmg_status", ecfmg_status_names, ecfmg_status_labels, f->ecfmg_status,
                error_for(errors, "ecfmg_status"));
    view_select(b, "English proficiency", "english_proof", english_proof_names, english_proof_labels, f->english_proof,
                error_for(errors, "english_proof"));
    view_form_end(b, "Save profile");
}

/* The form's label of a field, for the error summary. */
static const char *field_label(const char *field)
{
    static const char *const labels[][2] = {
        {"school", "Medical school"},       {"country", "Country"},
        {"status", "Status"},               {"graduation_year", "Graduation year"},
        {"visa_kind", "Visa"},              {"step1", "USMLE Step 1"},
        {"step2ck_score", "USMLE Step 2 CK score"}, {"ecfmg_status", "ECFMG certification"},
        {"english_proof", "English proficiency"},
    };
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i][0], field) == 0)
            return labels[i][1];
    return field;
}

/* The notice of what was just done (?saved=, from the redirect after a save), or NULL. */
static const char *done_message(const char *saved)
{
    if (saved != NULL && strcmp(saved, "time_zone") == 0)
        return "Time zone saved.";
    return saved != NULL && strcmp(saved, "profile") == 0 ? "Profile saved." : NULL;
}

/* The errors of a refused profile, at the top of the page, each linked to its field. */
static void render_error_summary(struct http_request *req, struct buf *b, const struct profile_errors *errors)
{
    struct view_field_error summary[PROFILE_FIELDS];
    for (size_t i = 0; i < errors->count; i++) {
        struct buf m;
        buf_init(&m, &req->arena, 512);
        buf_append_str(&m, field_label(errors->items[i].field));
        buf_append_char(&m, ' ');
        buf_append_str(&m, errors->items[i].detail);
        buf_append_char(&m, '.');
        struct buf id;
        buf_init(&id, &req->arena, 64);
        buf_append_str(&id, "f-");
        buf_append_str(&id, errors->items[i].field);
        summary[i].field_id = buf_ok(&id) ? id.data : NULL;
        summary[i].message = buf_ok(&m) ? m.data : errors->items[i].detail;
    }
    view_error_summary(b, "Your profile was not saved. Everything you typed is still in the form.", summary,
                       errors->count);
}

/* Who you are: name, email, roles, organisations, and the links that go with them. */
static void render_account_card(struct buf *b, const struct store_user *user)
{
    buf_append_str(b, "<section class=\"card\"><h1>Your account</h1>\n<dl class=\"facts\"><dt>Name</dt><dd "
                      "id=\"account-name\">");
    buf_append_html(b, user->name);
    buf_append_str(b, "</dd><dt>Email</dt><dd id=\"account-email\">");
    buf_append_html(b, user->email);
    buf_append_str(b, "</dd><dt>Roles</dt><dd>");
    for (size_t i = 0; i < user->role_count; i++) {
        if (i > 0)
            buf_append_str(b, ", ");
        buf_append_html(b, role_label(role_parse(user->roles[i])));
    }
    buf_append_str(b, "</dd>");
    if (user->membership_count > 0) {
        buf_append_str(b, "<dt>Organisations</dt><dd><ul>");
        for (size_t i = 0; i < user->membership_count; i++) {
            buf_append_str(b, "<li>");
            buf_append_html(b, user->memberships[i].organization_name);
            buf_append_str(b, " (");
            buf_append_html(b, role_label(role_parse(user->memberships[i].role)));
            buf_append_str(b, ")</li>");
        }
        buf_append_str(b, "</ul></dd>");
    }
    buf_append_str(b, "</dl>");
    if (account_has_role(user, ROLE_HOST_COORDINATOR) || account_has_role(user, ROLE_STAFF))
        buf_append_str(b, "<p><a class=\"button\" href=\"/host\">Manage offerings</a></p>");
    buf_append_str(b, "<p><a href=\"/account/two-factor\">Two-factor sign-in</a>");
    if (account_has_role(user, ROLE_STAFF))
        buf_append_str(b, " · <a href=\"/staff/two-factor\">Reset someone's second factor</a>"
                          " · <a href=\"/staff/deletions\">Account deletions</a>");
    buf_append_str(b, "</p></section>\n");
}

/* The page, top to bottom: what just happened (saved, or the errors), who you
 * are, the welcome while the address is unconfirmed, the student's profile
 * (what most visits are for), the calendar, and last your data and deleting
 * the account. */
static void render(struct http_request *req, int status, const struct store_user *user,
                   const struct profile_form *typed, const struct profile_errors *errors, const char *next,
                   const struct web_time_zone_form *zone)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Your account", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    view_page_begin(&b, &page);
    const char *notice =
        errors == NULL && zone == NULL ? done_message(http_kv_get(req->query_params, "saved")) : NULL;
    if (notice != NULL)
        view_notice(&b, notice);
    if (errors != NULL && errors->count > 0)
        render_error_summary(req, &b, errors);
    if (zone != NULL && zone->error != NULL) {
        struct view_field_error summary = {"f-time_zone", "Time zone is not one of the choices."};
        view_error_summary(&b, "Your time zone was not saved.", &summary, 1);
    }
    render_account_card(&b, user);
    if (user->email_confirmed_at == 0)
        web_confirm_welcome(&b, page.csrf_token, user, http_kv_get(req->query_params, "confirm"));
    if (account_has_role(user, ROLE_STUDENT)) {
        buf_append_str(&b, "<section class=\"card\" id=\"profile\"><h2>Your profile</h2><p>Hosts use it to check "
                           "that you are eligible for a rotation, and read it with each application.</p>\n");
        struct profile_form stored;
        if (typed == NULL) {
            profile_form_from_user(&req->arena, &user->profile, &stored);
            typed = &stored;
        }
        render_profile(&b, page.csrf_token, typed, errors, http_local_path(next) ? next : NULL);
        buf_append_str(&b, "</section>\n");
    }
    web_time_zone_card(req, &b, user, page.csrf_token, zone);
    web_calendar_card(req, &b, user, page.csrf_token);
    buf_append_str(&b, "<section class=\"card\"><h2>Your data</h2><p>Download everything Rounds holds about you: "
                       "your account and profile, applications, documents with their files, and letter requests "
                       "(a letter you waived the right to see is listed, never included), as a zip.</p>"
                       "<p><a class=\"button\" href=\"/api/v1/me/export\" download>Download your data</a></p>"
                       "</section>\n");
    web_deletion_card(req, &b, user, page.csrf_token);
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_account(struct http_request *req)
{
    struct store_user user;
    if (store_user_by_id(req->db, &req->arena, req->auth.user_id, &user) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    render(req, 200, &user, NULL, NULL, http_kv_get(req->query_params, "next"), NULL);
}

void web_account_render_time_zone(struct http_request *req, const struct store_user *user,
                                  const struct web_time_zone_form *form)
{
    render(req, 400, user, NULL, NULL, NULL, form);
}

/* Adds an error naming field to errors. */
static void add_error(struct profile_errors *errors, const char *field, const char *detail)
{
    if (errors->count < PROFILE_FIELDS)
        errors->items[errors->count++] = (struct error){ERR_VALIDATION_FAILED, field, detail};
}

/* An empty field clears the value; anything else must be one of values. */
static const char *form_choice(const char *typed, const char *const *values, const char *field,
                               struct profile_errors *errors)
{
    if (typed == NULL || typed[0] == '\0')
        return NULL;
    for (size_t i = 0; values[i] != NULL; i++)
        if (strcmp(values[i], typed) == 0)
            return values[i];
    add_error(errors, field, "is not one of the choices");
    return NULL;
}

static int64_t form_number(struct arena *arena, const char *typed, int64_t min, int64_t max, int64_t empty,
                           const char *field, struct profile_errors *errors)
{
    if (typed == NULL || typed[0] == '\0')
        return empty;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(typed, &end, 10);
    if (errno != 0 || end == typed || *end != '\0' || n < min || n > max) {
        char *detail = arena_alloc(arena, 96);
        if (detail != NULL)
            snprintf(detail, 96, "must be a whole number between %lld and %lld", (long long)min, (long long)max);
        add_error(errors, field, detail != NULL ? detail : "is out of range");
        return empty;
    }
    return n;
}

static const char *form_text(const char *typed, size_t max, const char *field, struct profile_errors *errors)
{
    if (typed == NULL || typed[0] == '\0')
        return NULL;
    if (!utf8_valid(typed, strlen(typed)) || utf8_count(typed, strlen(typed)) > max)
        add_error(errors, field, "is too long");
    return typed;
}

void web_page_account_post(struct http_request *req)
{
    struct store_user user;
    if (store_user_by_id(req->db, &req->arena, req->auth.user_id, &user) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    const char *next = http_form(req, "next");
    if (!account_has_role(&user, ROLE_STUDENT)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only students have a profile");
        return;
    }
    struct profile_form typed = {
        .school = http_form(req, "school"),
        .country = http_form(req, "country"),
        .status = http_form(req, "status"),
        .graduation_year = http_form(req, "graduation_year"),
        .visa_kind = http_form(req, "visa_kind"),
        .step1 = http_form(req, "step1"),
        .step2ck_score = http_form(req, "step2ck_score"),
        .ecfmg_status = http_form(req, "ecfmg_status"),
        .english_proof = http_form(req, "english_proof"),
    };
    struct profile_errors errors = {0};
    struct store_profile p = {
        .school = form_text(typed.school, SCHOOL_MAX_CHARS, "school", &errors),
        .country = form_text(typed.country, COUNTRY_MAX_CHARS, "country", &errors),
        .status = form_choice(typed.status, student_status_names, "status", &errors),
        .graduation_year = form_number(&req->arena, typed.graduation_year, GRADUATION_YEAR_MIN,
                                       GRADUATION_YEAR_MAX, 0, "graduation_year", &errors),
        .visa_kind = form_choice(typed.visa_kind, visa_kind_names, "visa_kind", &errors),
        .step1 = form_choice(typed.step1, step1_result_names, "step1", &errors),
        .step2ck_score = form_number(&req->arena, typed.step2ck_score, STEP2CK_SCORE_MIN, STEP2CK_SCORE_MAX, -1,
                                     "step2ck_score", &errors),
        .ecfmg_status = form_choice(typed.ecfmg_status, ecfmg_status_names, "ecfmg_status", &errors),
        .english_proof = form_choice(typed.english_proof, english_proof_names, "english_proof", &errors),
    };
    if (errors.count > 0) {
        /* Nothing is saved; the form comes back with everything as typed. */
        render(req, 400, &user, &typed, &errors, next, NULL);
        return;
    }
    if (store_user_set_profile(req->db, user.id, &p) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    /* Back to the page that sent the student here, else the notice at the top of this one. */
    http_redirect(req, http_local_path(next) ? next : "/account?saved=profile");
}
