/* page_confirm.c — confirming an account's email address: GET/POST
 * /confirm/{token} (the emailed link: a button confirms, then a welcome with
 * what to do next), POST /account/confirm-email ("Send the link again"), and
 * the boxes other pages show while the address is not confirmed (the
 * account page's welcome, the offering page's apply section). */
#include <string.h>

#include "domain/email_confirmation.h"
#include "lib/limits.h"
#include "web/web.h"

/* The three things a new student does next, as a list of links. */
static void next_steps(struct buf *b)
{
    buf_append_str(b, "<li><a href=\"/account#profile\">Complete your profile</a>: school, graduation, USMLE "
                      "and visa. Hosts read it with every application.</li>\n"
                      "<li><a href=\"/wallet\">Upload your documents</a> once to your wallet (passport, diploma, "
                      "USMLE reports, immunisations): every application can use them.</li>\n"
                      "<li><a href=\"/search\">Search rotations</a> by specialty, state and dates, and apply.</li>\n");
}

/* The "Send the link again" button. */
static void resend_button(struct buf *b, const char *csrf_token)
{
    struct view_button button = {"/account/confirm-email", "Send the link again", "secondary", NULL, NULL, NULL};
    view_button_form(b, csrf_token, &button);
}

void web_confirm_welcome(struct buf *b, const char *csrf_token, const struct store_user *user, const char *status)
{
    buf_append_str(b, "<section class=\"card welcome\" id=\"welcome\" aria-labelledby=\"welcome-heading\">"
                      "<h2 id=\"welcome-heading\">Welcome to Rounds: what to do next</h2>\n");
    if (status != NULL && strcmp(status, "sent") == 0)
        view_notice(b, "A new link is on its way. It works once, for 7 days.");
    else if (status != NULL && strcmp(status, "limited") == 0)
        view_alert(b, "We sent you 3 links in the last hour: use the newest one, or ask again in an hour.");
    buf_append_str(b, "<ol class=\"steps\"><li><strong>Confirm your email address.</strong> We sent a link to "
                      "<strong id=\"confirm-email\">");
    buf_append_html(b, user->email);
    buf_append_str(b, "</strong>. Until you open it you cannot apply for rotations, and we send this address "
                      "nothing else. No email? Check your spam folder, or:");
    resend_button(b, csrf_token);
    buf_append_str(b, "</li>\n");
    next_steps(b);
    buf_append_str(b, "</ol></section>\n");
}

void web_confirm_notice(struct buf *b, const char *csrf_token, const struct store_user *user)
{
    buf_append_str(b, "<div class=\"notice error\" id=\"confirm-first\"><p>Confirm your email address before you "
                      "apply: open the link we sent to <strong>");
    buf_append_html(b, user->email);
    buf_append_str(b, "</strong>.</p>");
    resend_button(b, csrf_token);
    buf_append_str(b, "</div>\n");
}

static void render_button(struct http_request *req, const char *token)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Confirm your email address", NULL))
        return;
    struct buf action;
    buf_init(&action, &req->arena, BUF_CAP_LINE);
    buf_append_str(&action, "/confirm/");
    buf_append_url(&action, token);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Confirm your email address</h1>\n"
                       "<p>One click and your Rounds account can apply for rotations.</p>\n");
    view_form_begin(&b, buf_ok(&action) ? action.data : "/confirm", page.csrf_token);
    view_form_end(&b, "Confirm my email address");
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

static void render_expired(struct http_request *req)
{
    web_page_link_expired(req, "<p>A confirmation link works once, for 7 days, and the newest one you asked for "
                               "replaces the others once one is used.</p>\n"
                               "<p><a href=\"/login?next=%2Faccount\">Log in</a> and choose \"Send the link "
                               "again\" on your account page, or go to <a href=\"/account\">your account</a>.</p>");
}

static void render_confirmed(struct http_request *req, bool first)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Your email address is confirmed", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow welcome\"><h1>Your email address is confirmed</h1>\n");
    buf_append_str(&b, first ? "<p>Welcome to Rounds: you can now apply for rotations. We emailed you these steps "
                               "too.</p>\n"
                             : "<p>It was confirmed already: you can apply for rotations.</p>\n");
    if (page.user_name == NULL)
        buf_append_str(&b, "<p><a class=\"button\" href=\"/login?next=%2Faccount\">Log in</a></p>\n");
    buf_append_str(&b, "<h2>What to do next</h2><ol class=\"steps\">");
    next_steps(&b);
    buf_append_str(&b, "</ol></section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

void web_page_confirm(struct http_request *req)
{
    const char *token = http_param(req, "token");
    struct error err = {0};
    if (email_confirmation_check(req->db, &req->arena, token, &err) != 0) {
        if (err.code == ERR_NOT_FOUND)
            render_expired(req);
        else
            http_reply_problem(req, &err);
        return;
    }
    render_button(req, token);
}

void web_page_confirm_post(struct http_request *req)
{
    struct store_user user;
    struct error err = {0};
    bool first = false;
    if (email_confirmation_confirm(req->db, &req->arena, http_param(req, "token"), &user, &first, &err) != 0) {
        if (err.code == ERR_NOT_FOUND)
            render_expired(req);
        else
            http_reply_problem(req, &err);
        return;
    }
    render_confirmed(req, first);
}

void web_page_confirm_resend(struct http_request *req)
{
    struct store_user user;
    if (store_user_by_id(req->db, &req->arena, req->auth.user_id, &user) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct error err = {0};
    int64_t retry_after = 0;
    if (email_confirmation_resend(req->db, &req->arena, &user, &retry_after, &err) != 0) {
        if (err.code == ERR_RATE_LIMITED)
            http_redirect(req, "/account?confirm=limited#welcome");
        else if (err.code == ERR_CONFLICT)
            http_redirect(req, "/account");
        else
            http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, "/account?confirm=sent#welcome");
}
