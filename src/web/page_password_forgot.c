/* page_password_forgot.c — GET/POST /password-reset: "Forgot your
 * password?". The visitor gives an email address; the page then says the
 * same whether or not it has an account (a link is on its way if it does).
 * Too many asks → the form again (429) saying when to try again. */
#include <string.h>

#include "domain/password_reset.h"
#include "lib/limits.h"
#include "web/web.h"

static void render(struct http_request *req, int status, const char *email, const char *message, bool sent)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Forgot your password?", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Forgot your password?</h1>\n");
    if (sent) {
        buf_append_str(&b, "<p class=\"notice\" role=\"status\">If an account has the "
                           "address <strong>");
        buf_append_html(&b, email);
        buf_append_str(&b, "</strong>, we have sent it a link to choose a new password. The link works once, for one "
                           "hour. Nothing came? Look in your spam folder, or ask again below.</p>\n");
    }
    if (message != NULL) {
        struct view_field_error e = {"f-email", message};
        view_error_summary(&b, NULL, &e, 1);
    }
    if (!sent)
        buf_append_str(&b, "<p>Give the email address of your account: we send it a link to choose a new password.</p>\n");
    view_form_begin(&b, "/password-reset", page.csrf_token);
    view_input(&b, "Email", "email", "email", email, "email", true, NULL, message);
    view_form_end(&b, sent ? "Send the link again" : "Send me a link");
    buf_append_str(&b, "<p><a href=\"/login\">Back to log in</a></p></section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_password_forgot(struct http_request *req)
{
    render(req, 200, NULL, NULL, false);
}

void web_page_password_forgot_post(struct http_request *req)
{
    const char *email = http_form(req, "email");
    if (email == NULL || email[0] == '\0') {
        render(req, 400, email, "Enter the email address of your account.", false);
        return;
    }
    if (strlen(email) > EMAIL_MAX_BYTES) {
        render(req, 400, NULL, "Enter an email address of at most " LIMIT_TEXT(EMAIL_MAX_BYTES) " characters.", false);
        return;
    }
    struct error err = {0};
    int64_t retry_after = 0;
    if (password_reset_request(req->db, &req->arena, email, req->client_addr,
                               req->options->password_resets_per_client, &retry_after, &err) != 0) {
        const char *message = "Enter an email address, like name@example.com.";
        if (err.code == ERR_RATE_LIMITED) {
            http_retry_after(req, retry_after);
            message = "Too many links were asked for. Try again in an hour.";
        } else if (err.code != ERR_VALIDATION_FAILED) {
            http_reply_problem(req, &err);
            return;
        }
        render(req, error_status(err.code), email, message, false);
        return;
    }
    render(req, 200, email, NULL, true);
}
