/* page_account.c — GET/POST /account: who you are, your roles and
 * organisations, and (for students) the profile that eligibility uses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "lib/limits.h"
#include "web/web.h"

static void render(struct http_request *req, int status, const struct store_user *user, const char *message,
                   const struct error *err)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Your account", NULL))
        return;
    const char *field = err != NULL ? err->field : NULL;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card\"><h1>Your account</h1>\n<dl class=\"facts\"><dt>Name</dt><dd "
                       "id=\"account-name\">");
    buf_append_html(&b, user->name);
    buf_append_str(&b, "</dd><dt>Email</dt><dd id=\"account-email\">");
    buf_append_html(&b, user->email);
    buf_append_str(&b, "</dd><dt>Roles</dt><dd>");
    for (size_t i = 0; i < user->role_count; i++) {
        if (i > 0)
            buf_append_str(&b, ", ");
        buf_append_html(&b, role_label(role_parse(user->roles[i])));
    }
    buf_append_str(&b, "</dd>");
    if (user->membership_count > 0) {
        buf_append_str(&b, "<dt>Organisations</dt><dd><ul>");
        for (size_t i = 0; i < user->membership_count; i++) {
            buf_append_str(&b, "<li>");
            buf_append_html(&b, user->memberships[i].organization_name);
            buf_append_str(&b, " (");
            buf_append_html(&b, role_label(role_parse(user->memberships[i].role)));
            buf_append_str(&b, ")</li>");
        }
        buf_append_str(&b, "</ul></dd>");
    }
    buf_append_str(&b, "</dl>");
    if (account_has_role(user, ROLE_HOST_COORDINATOR) || account_has_role(user, ROLE_STAFF))
        buf_append_str(&b, "<p><a class=\"button\" href=\"/host\">Manage offerings</a></p>");
    buf_append_str(&b, "</section>\n");

    if (account_has_role(user, ROLE_STUDENT)) {
        const struct store_profile *p = &user->profile;
        buf_append_str(&b, "<section class=\"card\"><h2>Your profile</h2><p>Hosts use it to check that you are "
                           "eligible for a rotation.</p>\n");
        if (message != NULL)
            view_notice(&b, message);
        if (err != NULL)
            view_alert(&b, err->detail != NULL ? err->detail : error_title(err->code));
        view_form_begin(&b, "/account", page.csrf_token);
        view_input(&b, "Medical school", "text", "school", p->school, "organization", false, NULL, NULL);
        view_input(&b, "Country", "text", "country", p->country, "country-name", false, NULL, NULL);
        view_select(&b, "Status", "status", student_status_names, student_status_labels, p->status, NULL);
        char year[24] = "";
        if (p->graduation_year > 0)
            snprintf(year, sizeof(year), "%lld", (long long)p->graduation_year);
        view_input(&b, "Graduation year", "number", "graduation_year", year, NULL, false, NULL,
                   field != NULL && strcmp(field, "graduation_year") == 0 ? err->detail : NULL);
        view_select(&b, "Visa", "visa_kind", visa_kind_names, visa_kind_labels, p->visa_kind, NULL);
        view_select(&b, "USMLE Step 1", "step1", step1_result_names, step1_result_labels, p->step1, NULL);
        char score[24] = "";
        if (p->step2ck_score >= 0)
            snprintf(score, sizeof(score), "%lld", (long long)p->step2ck_score);
        view_input(&b, "USMLE Step 2 CK score", "number", "step2ck_score", score, NULL, false, NULL,
                   field != NULL && strcmp(field, "step2ck_score") == 0 ? err->detail : NULL);
        view_select(&b, "ECFMG certification", "ecfmg_status", ecfmg_status_names, ecfmg_status_labels, p->ecfmg_status,
                    NULL);
        view_select(&b, "English proof", "english_proof", english_proof_names, english_proof_labels, p->english_proof,
                    NULL);
        view_form_end(&b, "Save profile");
        buf_append_str(&b, "</section>\n");
    }
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
    render(req, 200, &user, NULL, NULL);
}

/* An empty field clears the value; anything else must be one of values. */
static int form_choice(struct http_request *req, const char *name, const char *const *values, const char **out,
                       struct error *err)
{
    const char *v = http_form(req, name);
    *out = NULL;
    if (v == NULL || v[0] == '\0')
        return 0;
    for (size_t i = 0; values[i] != NULL; i++)
        if (strcmp(values[i], v) == 0) {
            *out = values[i];
            return 0;
        }
    return error_set(err, ERR_VALIDATION_FAILED, name, "is not one of the choices");
}

static int form_number(struct http_request *req, const char *name, int64_t min, int64_t max, int64_t empty,
                       int64_t *out, struct error *err)
{
    const char *v = http_form(req, name);
    *out = empty;
    if (v == NULL || v[0] == '\0')
        return 0;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
        return error_set(err, ERR_VALIDATION_FAILED, name, "must be a whole number in range");
    *out = n;
    return 0;
}

static const char *form_text(struct http_request *req, const char *name, size_t max, struct error *err, int *failed)
{
    const char *v = http_form(req, name);
    if (v == NULL || v[0] == '\0')
        return NULL;
    if (strlen(v) > max) {
        error_set(err, ERR_VALIDATION_FAILED, name, "is too long");
        *failed = 1;
    }
    return v;
}

void web_page_account_post(struct http_request *req)
{
    struct store_user user;
    if (store_user_by_id(req->db, &req->arena, req->auth.user_id, &user) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (!account_has_role(&user, ROLE_STUDENT)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only students have a profile");
        return;
    }
    struct store_profile p = {0};
    struct error err = {0};
    int failed = 0;
    p.school = form_text(req, "school", SCHOOL_MAX_CHARS, &err, &failed);
    p.country = form_text(req, "country", COUNTRY_MAX_CHARS, &err, &failed);
    if (failed || form_choice(req, "status", student_status_names, &p.status, &err) != 0 ||
        form_number(req, "graduation_year", GRADUATION_YEAR_MIN, GRADUATION_YEAR_MAX, 0, &p.graduation_year,
                    &err) != 0 ||
        form_choice(req, "visa_kind", visa_kind_names, &p.visa_kind, &err) != 0 ||
        form_choice(req, "step1", step1_result_names, &p.step1, &err) != 0 ||
        form_number(req, "step2ck_score", STEP2CK_SCORE_MIN, STEP2CK_SCORE_MAX, -1, &p.step2ck_score, &err) != 0 ||
        form_choice(req, "ecfmg_status", ecfmg_status_names, &p.ecfmg_status, &err) != 0 ||
        form_choice(req, "english_proof", english_proof_names, &p.english_proof, &err) != 0) {
        render(req, 400, &user, NULL, &err);
        return;
    }
    if (store_user_set_profile(req->db, user.id, &p) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    user.profile = p;
    render(req, 200, &user, "Profile saved.", NULL);
}
