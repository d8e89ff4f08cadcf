/* page_password_reset.c — GET/POST /password-reset/{token}: the page the
 * emailed link opens, where the new password is chosen. A link that was
 * used, has expired or never was → a page that says so with the way to ask
 * for a new one (404). Success ends every session of the account and goes
 * to /login?done=reset. */
#include <string.h>

#include "domain/password_reset.h"
#include "lib/limits.h"
#include "web/web.h"

static void render_form(struct http_request *req, int status, const char *token, const char *message)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Choose a new password", NULL))
        return;
    struct buf action;
    buf_init(&action, &req->arena, BUF_CAP_LINE);
    buf_append_str(&action, "/password-reset/");
    buf_append_url(&action, token);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Choose a new password</h1>\n");
    if (message != NULL) {
        struct view_field_error e = {"f-password", message};
        view_error_summary(&b, "The password was not changed.", &e, 1);
    }
    buf_append_str(&b, "<p>Every session of your account ends when you save it: you then log in with the new "
                       "one.</p>\n");
    view_form_begin(&b, buf_ok(&action) ? action.data : "/password-reset", page.csrf_token);
    view_input(&b, "New password", "password", "password", NULL, "new-password", true,
               "At least 12 characters. A few unrelated words make a strong password.", message);
    view_form_end(&b, "Save the new password");
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

static void render_expired(struct http_request *req)
{
    web_page_link_expired(req, "<p>A link to choose a new password works once, for one hour, and only the newest "
                               "one you asked for counts once one is used.</p>\n"
                               "<p><a href=\"/password-reset\">Ask for a new link</a> or <a href=\"/login\">log "
                               "in</a>.</p>");
}

void web_page_password_reset(struct http_request *req)
{
    const char *token = http_param(req, "token");
    struct error err = {0};
    if (password_reset_check(req->db, &req->arena, token, &err) != 0) {
        if (err.code == ERR_NOT_FOUND)
            render_expired(req);
        else
            http_reply_problem(req, &err);
        return;
    }
    render_form(req, 200, token, NULL);
}

/* The password's problem in a person's words ("The new password is too common."). */
static const char *password_message(struct http_request *req, const struct error *err)
{
    const char *detail = err->detail != NULL ? err->detail : error_title(err->code);
    if (detail[0] < 'a' || detail[0] > 'z')
        return detail;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    buf_appendf(&b, "The new password %s.", detail);
    return buf_ok(&b) ? b.data : detail;
}

static void reset_done(struct http_request *req, void *ctx)
{
    struct password_reset_job *job = ctx;
    struct error err = {0};
    if (password_reset_finish(req->db, &req->arena, job, &err) != 0) {
        if (err.code == ERR_NOT_FOUND)
            render_expired(req);
        else if (err.code == ERR_WEAK_PASSWORD || err.code == ERR_VALIDATION_FAILED)
            render_form(req, error_status(err.code), http_param(req, "token"), password_message(req, &err));
        else
            http_reply_problem(req, &err);
        return;
    }
    /* This browser's session (if any) ended with the others: forget its cookie too. */
    if (req->auth.authenticated)
        (void)http_session_end(req);
    http_redirect(req, "/login?done=reset");
}

void web_page_password_reset_post(struct http_request *req)
{
    const char *token = http_param(req, "token");
    const char *password = http_form(req, "password");
    if (password == NULL || password[0] == '\0') {
        struct error check = {0};
        if (password_reset_check(req->db, &req->arena, token, &check) != 0 && check.code == ERR_NOT_FOUND)
            render_expired(req);
        else
            render_form(req, 400, token, "Enter the new password.");
        return;
    }
    struct password_reset_job *job = http_offload_alloc(sizeof(*job));
    struct error err = {0};
    if (job == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (password_reset_begin(req->db, &req->arena, token, password, job, &err) != 0) {
        http_offload_free(job);
        if (err.code == ERR_NOT_FOUND)
            render_expired(req);
        else if (err.field != NULL && strcmp(err.field, "password") == 0)
            render_form(req, error_status(err.code), token, password_message(req, &err));
        else
            http_reply_problem(req, &err);
        return;
    }
    http_offload_start(req, job, password_reset_work, reset_done);
}
