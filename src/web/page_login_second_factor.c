/* page_login_second_factor.c — the second step of a login on the pages.
 * After the right password (page_login.c) an account with two-factor
 * sign-in gets this form instead of a session: the challenge travels in a
 * hidden field (it is worth nothing without a code, lasts 5 minutes and 5
 * tries), with next. POST /login/second-factor checks the code (the app's
 * 6 digits or a recovery code) and signs in; a wrong one shows the form
 * again with what was typed; a challenge used up or expired goes back to
 * the password. A role that requires a second factor not yet set up is
 * signed in to a session that reaches only /account/two-factor. */
#include <string.h>

#include "domain/two_factor.h"
#include "lib/limits.h"
#include "web/web.h"

static void render_code_form(struct http_request *req, int status, const char *challenge, const char *next,
                             const char *code, const char *message)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Enter your code", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Enter your code</h1>\n");
    if (message != NULL) {
        struct view_field_error e = {"f-code", message};
        view_error_summary(&b, NULL, &e, 1);
    }
    buf_append_str(&b, "<p>Open the authenticator app on your phone and type the 6-digit code it shows for "
                       "Rounds. Lost the phone? Type one of your recovery codes instead.</p>\n");
    view_form_begin(&b, "/login/second-factor", page.csrf_token);
    buf_append_str(&b, "<input type=\"hidden\" name=\"challenge\" value=\"");
    buf_append_html(&b, challenge);
    buf_append_str(&b, "\">\n");
    if (http_local_path(next)) {
        buf_append_str(&b, "<input type=\"hidden\" name=\"next\" value=\"");
        buf_append_html(&b, next);
        buf_append_str(&b, "\">\n");
    }
    view_input(&b, "Code", "text", "code", code, "one-time-code", true,
               "6 digits from the app, or a recovery code such as abcd-efgh-ijkl-mnop.", message);
    view_form_end(&b, "Log in");
    buf_append_str(&b, "<p>No code and no recovery code? Ask Rounds staff to reset your second factor.</p>"
                       "</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_after_password(struct http_request *req, const struct store_user *user, const char *next)
{
    enum two_factor_next step = TWO_FACTOR_NONE;
    char challenge[44];
    struct error err = {0};
    if (two_factor_after_password(req->db, &req->arena, user, req->options->two_factor_roles, &step, challenge,
                                  &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    if (step == TWO_FACTOR_CHALLENGE) {
        render_code_form(req, 200, challenge, next, NULL, NULL);
        return;
    }
    if (http_session_start(req, user->id, true, NULL, NULL) != DB_OK ||
        (step == TWO_FACTOR_ENROL && two_factor_restrict_session(req->db, req->auth.token_hash) != 0)) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, step == TWO_FACTOR_ENROL ? "/account/two-factor" : web_after_login(next));
}

void web_page_login_second_factor_post(struct http_request *req)
{
    const char *challenge = http_form(req, "challenge");
    const char *code = http_form(req, "code");
    const char *next = http_form(req, "next");
    if (challenge == NULL || !two_factor_challenge_alive(req->db, challenge)) {
        web_login_render(req, 401, NULL, next, NULL,
                         "The code was wrong too many times or the 5 minutes ran out. Log in again.");
        return;
    }
    if (code == NULL || code[0] == '\0') {
        render_code_form(req, 400, challenge, next, code, "Enter the code from your app.");
        return;
    }
    struct auth_login_limits limits = {req->options->login_failures_per_account_client,
                                       req->options->login_failures_per_account, req->options->login_failures_per_client};
    struct store_user user;
    struct error err = {0};
    int64_t retry_after = 0;
    if (two_factor_login(req->db, &req->arena, challenge, code, req->client_addr, &limits, &user, &retry_after,
                         &err) != 0) {
        http_retry_after(req, retry_after);
        if (err.code == ERR_INVALID_CREDENTIALS && !two_factor_challenge_alive(req->db, challenge))
            web_login_render(req, 401, NULL, next, NULL,
                             "The code was wrong too many times or the 5 minutes ran out. Log in again.");
        else if (err.code == ERR_INVALID_CREDENTIALS && two_factor_code_check(code, true, &err) != 0)
            render_code_form(req, 401, challenge, next, code,
                             "That is not a code: type the 6 digits your app shows (such as 123456) or a recovery "
                             "code (such as abcd-efgh-ijkl-mnop).");
        else if (err.code == ERR_INVALID_CREDENTIALS)
            render_code_form(req, 401, challenge, next, code,
                             "Wrong code. Type the newest code your app shows, or an unused recovery code.");
        else
            render_code_form(req, error_status(err.code), challenge, next, code,
                             web_login_message(req, &err, retry_after));
        return;
    }
    if (http_session_start(req, user.id, true, NULL, NULL) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, web_after_login(next));
}
