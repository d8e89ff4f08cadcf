/* page_register.c — GET/POST /register: a student creates an account and is
 * signed in. The form is re-shown with the values, and an error summary linked
 * to the field, on failure. ?next=/that/page (from "Create a student account"
 * on an offering or the login page) is carried through the form, and the new
 * account goes back there; next must be a path on this site (http_local_path),
 * anything else gives /account. */
#include <string.h>

#include "domain/auth.h"
#include "lib/limits.h"
#include "web/web.h"

const char *const web_register_params[] = {"next", NULL};

/* The form's fields: name, input id, and how a sentence about it starts. */
static const char *const fields[][3] = {
    {"name", "f-name", "Your full name"},
    {"email", "f-email", "The email address"},
    {"password", "f-password", "The password"},
};

static size_t field_index(const char *field)
{
    size_t i = 0;
    while (field != NULL && i < sizeof(fields) / sizeof(fields[0]) && strcmp(fields[i][0], field) != 0)
        i++;
    return field != NULL ? i : sizeof(fields) / sizeof(fields[0]);
}

/* The refusal as a sentence: the domain's details for a field are lower-case
 * fragments ("is required", "must be an email address"). */
static const char *error_sentence(struct arena *arena, const struct error *err)
{
    const char *detail = err->detail != NULL && err->detail[0] != '\0' ? err->detail : error_title(err->code);
    size_t i = field_index(err->field);
    if (err->field != NULL && strcmp(err->field, "email") == 0 && strncmp(detail, "must be an email", 16) == 0)
        return "Enter an email address, like name@example.com.";
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    if (i < sizeof(fields) / sizeof(fields[0]) && (strncmp(detail, "is ", 3) == 0 || strncmp(detail, "must ", 5) == 0)) {
        buf_append_str(&b, fields[i][2]);
        buf_append_char(&b, ' ');
        buf_append_str(&b, detail);
    } else {
        buf_append_char(&b, detail[0] >= 'a' && detail[0] <= 'z' ? (char)(detail[0] - 'a' + 'A') : detail[0]);
        buf_append_str(&b, detail + 1);
    }
    if (b.len > 0 && b.data[b.len - 1] != '.')
        buf_append_char(&b, '.');
    return buf_ok(&b) ? b.data : detail;
}

static void render(struct http_request *req, int status, const char *name, const char *email, const char *next,
                   const struct error *err)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Create account", NULL))
        return;
    const char *field = err != NULL ? err->field : NULL;
    const char *detail = err != NULL ? error_sentence(&req->arena, err) : NULL;
    size_t i = field_index(field);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Create a student account</h1>"
                       "<p>For medical students and graduates looking for U.S. clinical rotations. Physicians and "
                       "hospitals are invited by our staff.</p>\n");
    if (err != NULL) {
        struct view_field_error e = {i < sizeof(fields) / sizeof(fields[0]) ? fields[i][1] : NULL, detail};
        view_error_summary(&b, "Your account was not created.", &e, 1);
    }
    view_form_begin(&b, "/register", page.csrf_token);
    if (http_local_path(next)) {
        buf_append_str(&b, "<input type=\"hidden\" name=\"next\" value=\"");
        buf_append_html(&b, next);
        buf_append_str(&b, "\">\n");
    }
    view_input(&b, "Full name", "text", "name", name, "name", true, NULL,
               field != NULL && strcmp(field, "name") == 0 ? detail : NULL);
    view_input(&b, "Email", "email", "email", email, "email", true, NULL,
               field != NULL && strcmp(field, "email") == 0 ? detail : NULL);
    view_input(&b, "Password", "password", "password", NULL, "new-password", true,
               "At least 12 characters. A few unrelated words make a strong password.",
               field != NULL && strcmp(field, "password") == 0 ? detail : NULL);
    view_form_end(&b, "Create account");
    buf_append_str(&b, "<p>Already registered? <a href=\"");
    if (http_local_path(next)) {
        buf_append_str(&b, "/login?next=");
        buf_append_url(&b, next);
    } else {
        buf_append_str(&b, "/login");
    }
    buf_append_str(&b, "\">Log in</a>.</p></section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

/* Where a new account goes: next when it is a path on this site. */
static const char *after_register(const char *next)
{
    return http_local_path(next) ? next : "/account";
}

void web_page_register(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *next = http_kv_get(query, "next");
    if (req->auth.authenticated) {
        http_redirect(req, after_register(next));
        return;
    }
    render(req, 200, NULL, NULL, next, NULL);
}

static void register_done(struct http_request *req, void *ctx)
{
    struct auth_register_job *job = ctx;
    const char *next = http_form(req, "next");
    struct store_user user;
    struct error err = {0};
    if (auth_register_finish(req->db, &req->arena, job, &user, &err) != 0) {
        render(req, error_status(err.code), job->name, job->email, next, &err);
        return;
    }
    if (http_session_start(req, user.id, true, NULL, NULL) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, after_register(next));
}

void web_page_register_post(struct http_request *req)
{
    const char *name = http_form(req, "name");
    const char *email = http_form(req, "email");
    const char *password = http_form(req, "password");
    const char *next = http_form(req, "next");
    struct error err = {0};
    struct auth_register_job *job = http_offload_alloc(sizeof(*job));
    if (job == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct auth_register_client client = {req->client_addr, req->options->registrations_per_client};
    if (auth_register_begin(req->db, &req->arena, email, name, password, ROLE_STUDENT, NULL, &client, job, &err) != 0) {
        http_retry_after(req, job->retry_after);
        http_offload_free(job);
        render(req, error_status(err.code), name, email, next, &err);
        return;
    }
    http_offload_start(req, job, auth_register_work, register_done);
}
