/* page_register.c — GET/POST /register: a student creates an account and is
 * signed in. The form is re-shown with the values and the error on failure. */
#include <string.h>

#include "domain/auth.h"
#include "lib/limits.h"
#include "web/web.h"

static void render(struct http_request *req, int status, const char *name, const char *email,
                   const struct error *err)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Create account", NULL))
        return;
    const char *field = err != NULL ? err->field : NULL;
    const char *detail = err != NULL ? (err->detail != NULL ? err->detail : error_title(err->code)) : NULL;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Create a student account</h1>"
                       "<p>For medical students and graduates looking for U.S. clinical rotations. Physicians and "
                       "hospitals are invited by our staff.</p>\n");
    if (err != NULL && field == NULL)
        view_alert(&b, detail);
    else if (err != NULL)
        view_alert(&b, "Please correct the field marked below.");
    view_form_begin(&b, "/register", page.csrf_token);
    view_input(&b, "Full name", "text", "name", name, "name", true, NULL,
               field != NULL && strcmp(field, "name") == 0 ? detail : NULL);
    view_input(&b, "Email", "email", "email", email, "email", true, NULL,
               field != NULL && strcmp(field, "email") == 0 ? detail : NULL);
    view_input(&b, "Password", "password", "password", NULL, "new-password", true,
               "At least 12 characters. A few unrelated words make a strong password.",
               field != NULL && strcmp(field, "password") == 0 ? detail : NULL);
    view_form_end(&b, "Create account");
    buf_append_str(&b, "<p>Already registered? <a href=\"/login\">Log in</a>.</p></section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_register(struct http_request *req)
{
    if (req->auth.authenticated) {
        http_redirect(req, "/account");
        return;
    }
    render(req, 200, NULL, NULL, NULL);
}

static void register_done(struct http_request *req, void *ctx)
{
    struct auth_register_job *job = ctx;
    struct store_user user;
    struct error err = {0};
    if (auth_register_finish(req->db, &req->arena, job, &user, &err) != 0) {
        render(req, error_status(err.code), job->name, job->email, &err);
        return;
    }
    if (http_session_start(req, user.id, true, NULL, NULL) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, "/account");
}

void web_page_register_post(struct http_request *req)
{
    const char *name = http_form(req, "name");
    const char *email = http_form(req, "email");
    const char *password = http_form(req, "password");
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
        render(req, error_status(err.code), name, email, &err);
        return;
    }
    http_offload_start(req, job, auth_register_work, register_done);
}
