/* page_two_factor.c — /account/two-factor: two-factor sign-in for one's own
 * account. Off: what it is and "Set up" (POST /account/two-factor), which
 * shows the QR code and the secret for the authenticator app and asks for a
 * first code (POST /account/two-factor/confirm); right → the ten recovery
 * codes, shown this once. On: the recovery codes left and, unless a role
 * requires it, "Turn off" with a current code (POST /account/two-factor/
 * disable). A session that may only enrol lands here and reaches nothing
 * else until this is done. */
#include <string.h>

#include "domain/two_factor.h"
#include "lib/limits.h"
#include "views/qr.h"
#include "web/web.h"

const char *const web_two_factor_params[] = {"done", NULL};

/* What is wrong with the code typed, in words: nothing typed, not the shape
 * of a code (two_factor_code_check), or else wrong (the domain said so). */
static const char *code_sentence(const char *code, bool recovery_allowed, const char *wrong)
{
    struct error shape;
    if (code == NULL || code[0] == '\0')
        return recovery_allowed ? "Enter a code from your app or a recovery code." : "Enter the 6 digits your app shows.";
    if (two_factor_code_check(code, recovery_allowed, &shape) != 0)
        return recovery_allowed ? "A code is the 6 digits your app shows (such as 123456) or a recovery code (such as "
                                  "abcd-efgh-ijkl-mnop)."
                                : "The code is the 6 digits your app shows, such as 123456.";
    return wrong;
}

static bool begin(struct http_request *req, struct view_page *page, struct store_user *user, struct buf *b)
{
    if (!web_page_setup(req, page, "Two-factor sign-in", user))
        return false;
    buf_init(b, &req->arena, BUF_CAP_FORM);
    view_page_begin(b, page);
    buf_append_str(b, "<section class=\"card narrow\"><h1>Two-factor sign-in</h1>\n");
    return true;
}

static void finish(struct http_request *req, struct buf *b, int status)
{
    buf_append_str(b, "</section>\n");
    view_page_end(b);
    http_reply_html(req, status, b);
}

static void write_required_note(struct buf *b, bool enrol_only)
{
    if (enrol_only)
        view_alert(b, "Your role on Rounds requires two-factor sign-in. Set it up to continue: it takes a minute "
                      "and an authenticator app on your phone.");
}

/* The QR code, the secret as text and the form for the first code. */
static void render_setup(struct http_request *req, int status, const struct two_factor_setup *setup,
                         const char *code, const char *message)
{
    struct view_page page;
    struct store_user user;
    struct buf b;
    if (!begin(req, &page, &user, &b))
        return;
    if (message != NULL) {
        struct view_field_error e = {"f-code", message};
        view_error_summary(&b, "Two-factor sign-in is not on yet.", &e, 1);
    }
    write_required_note(&b, req->auth.enrol_only && message == NULL);
    buf_append_str(&b, "<h2>1. Add Rounds to your authenticator app</h2>\n"
                       "<p>In an authenticator app (such as FreeOTP, Aegis, Google Authenticator or 1Password), "
                       "add an account and scan this code:</p>\n");
    view_qr_svg(&b, setup->uri, "QR code to add Rounds to an authenticator app");
    buf_append_str(&b, "<p>Or type this key into the app (time-based, 6 digits):</p>\n<p class=\"secret\" "
                       "id=\"secret\">");
    for (size_t i = 0; setup->secret[i] != '\0'; i += 4) {
        if (i > 0)
            buf_append_char(&b, ' ');
        buf_append_html_len(&b, setup->secret + i, 4);
    }
    buf_append_str(&b, "</p>\n<h2>2. Type the code the app shows</h2>\n");
    view_form_begin(&b, "/account/two-factor/confirm", page.csrf_token);
    view_input(&b, "Code from the app", "text", "code", code, "one-time-code", true,
               "6 digits; a new one every 30 seconds.", message);
    view_form_end(&b, "Turn on two-factor sign-in");
    finish(req, &b, status);
}

static void render_status(struct http_request *req, int status, const struct two_factor_status *s, const char *done,
                          const char *code, const char *message)
{
    struct view_page page;
    struct store_user user;
    struct buf b;
    if (!begin(req, &page, &user, &b))
        return;
    if (message != NULL) {
        struct view_field_error e = {"f-code", message};
        view_error_summary(&b, "Two-factor sign-in is still on.", &e, 1);
    }
    if (done != NULL && strcmp(done, "off") == 0)
        view_notice(&b, "Two-factor sign-in is off. Your password alone signs you in again.");
    if (!s->enabled) {
        write_required_note(&b, req->auth.enrol_only);
        buf_append_str(&b, "<p>With two-factor sign-in, logging in takes your password and a 6-digit code from an "
                           "app on your phone, so a stolen password alone does not open your account.</p>\n");
        struct view_button start = {.action = "/account/two-factor", .label = "Set up two-factor sign-in"};
        view_button_form(&b, page.csrf_token, &start);
        finish(req, &b, status);
        return;
    }
    buf_appendf(&b, "<p><strong>Two-factor sign-in is on.</strong> You have %lld unused recovery code%s.</p>\n",
                (long long)s->recovery_left, s->recovery_left == 1 ? "" : "s");
    if (s->required) {
        buf_append_str(&b, "<p>Your role requires it. If you lose your phone and your recovery codes, Rounds staff "
                           "can reset it; you then set it up again.</p>\n");
    } else {
        buf_append_str(&b, "<h2>Turn it off</h2>\n");
        view_form_begin(&b, "/account/two-factor/disable", page.csrf_token);
        view_input(&b, "Code from the app, or a recovery code", "text", "code", code, "one-time-code", true, NULL,
                   message);
        view_form_end(&b, "Turn off two-factor sign-in");
    }
    buf_append_str(&b, "<p><a href=\"/account\">Back to your account</a></p>\n");
    finish(req, &b, status);
}

/* Loads the user and their status; false after replying. */
static bool load(struct http_request *req, struct store_user *user, struct two_factor_status *status)
{
    struct error err = {0};
    if (store_user_by_id(req->db, &req->arena, req->auth.user_id, user) != DB_ROW ||
        two_factor_status(req->db, &req->arena, user, req->options->two_factor_roles, status, &err) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    return true;
}

void web_page_two_factor(struct http_request *req)
{
    struct store_user user;
    struct two_factor_status status;
    struct http_kv_list *query;
    if (http_query(req, &query) != 0 || !load(req, &user, &status))
        return;
    if (status.pending) {
        struct two_factor_setup setup;
        struct error err = {0};
        if (two_factor_enrol_pending(req->db, &req->arena, &user, &setup, &err) != 0) {
            http_reply_problem(req, &err);
            return;
        }
        render_setup(req, 200, &setup, NULL, NULL);
        return;
    }
    render_status(req, 200, &status, http_kv_get(query, "done"), NULL, NULL);
}

void web_page_two_factor_start(struct http_request *req)
{
    struct store_user user;
    struct two_factor_status status;
    if (!load(req, &user, &status))
        return;
    struct two_factor_setup setup;
    struct error err = {0};
    if (two_factor_enrol_begin(req->db, &req->arena, &user, &setup, &err) != 0) {
        if (err.code == ERR_CONFLICT)
            http_redirect(req, "/account/two-factor");
        else
            http_reply_problem(req, &err);
        return;
    }
    render_setup(req, 200, &setup, NULL, NULL);
}

static void render_recovery_codes(struct http_request *req, char codes[RECOVERY_CODE_COUNT][20])
{
    struct view_page page;
    struct store_user user;
    struct buf b;
    if (!begin(req, &page, &user, &b))
        return;
    view_notice(&b, "Two-factor sign-in is on. From now on, logging in asks for a code from your app.");
    buf_append_str(&b, "<h2>Your recovery codes</h2>\n<p>Each code signs you in once instead of the app, if you "
                       "lose your phone. Write them down or print this page and keep them somewhere safe: "
                       "<strong>they are shown only now</strong>.</p>\n<ol class=\"recovery-codes\">");
    for (size_t i = 0; i < RECOVERY_CODE_COUNT; i++) {
        buf_append_str(&b, "<li><code>");
        buf_append_html(&b, codes[i]);
        buf_append_str(&b, "</code></li>");
    }
    buf_append_str(&b, "</ol>\n<p><a href=\"/account\">I have kept them: continue</a></p>\n");
    finish(req, &b, 200);
}

void web_page_two_factor_confirm(struct http_request *req)
{
    struct store_user user;
    struct two_factor_status status;
    if (!load(req, &user, &status))
        return;
    const char *code = http_form(req, "code");
    char codes[RECOVERY_CODE_COUNT][20];
    struct error err = {0};
    if (two_factor_enrol_confirm(req->db, &req->arena, &user, code, codes, &err) != 0) {
        struct two_factor_setup setup;
        struct error again = {0};
        if (err.code == ERR_VALIDATION_FAILED &&
            two_factor_enrol_pending(req->db, &req->arena, &user, &setup, &again) == 0)
            render_setup(req, 400, &setup, code,
                         code_sentence(code, false, "That is not the code your app shows now. Check that the "
                                                    "phone's clock is right and type the newest one."));
        else if (err.code == ERR_NOT_FOUND)
            http_redirect(req, "/account/two-factor");
        else
            http_reply_problem(req, &err);
        return;
    }
    req->auth.enrol_only = false;
    render_recovery_codes(req, codes);
    explicit_bzero(codes, sizeof(codes));
}

void web_page_two_factor_disable(struct http_request *req)
{
    struct store_user user;
    struct two_factor_status status;
    if (!load(req, &user, &status))
        return;
    const char *code = http_form(req, "code");
    struct error err = {0};
    if (two_factor_disable(req->db, &req->arena, &user, req->options->two_factor_roles, code, &err) != 0) {
        if (err.code == ERR_VALIDATION_FAILED)
            render_status(req, 400, &status, NULL, code,
                          code_sentence(code, true, "That is not a current code or an unused recovery code."));
        else if (err.code == ERR_NOT_FOUND)
            http_redirect(req, "/account/two-factor");
        else
            http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, "/account/two-factor?done=off");
}
