/* page_preceptor_invite.c — the preceptor's page from the invitation email
 * that links their own account to their preceptor record:
 *
 *   GET  /invitations/preceptors/{token}         which host and record; signed in: the accept button;
 *                                                signed out: log in first (and come back here)
 *   POST /invitations/preceptors/{token}/accept  signed in: links the record to this account
 *
 * Only the signed-in holder of the link can accept, for their own account
 * (domain/preceptor_invitations.h). Unknown → 404 page; used or expired → a
 * 410 page that says what to do. */
#include <string.h>

#include "domain/preceptor_invitations.h"
#include "lib/limits.h"
#include "web/web.h"

static void render_message(struct http_request *req, int status, const char *title, const char *text)
{
    struct view_page page;
    if (!web_page_setup(req, &page, title, NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow invitation-message\"><h1>");
    buf_append_html(&b, title);
    buf_append_str(&b, "</h1>\n<p>");
    buf_append_html(&b, text);
    buf_append_str(&b, "</p>\n</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

static void reply_invalid(struct http_request *req, const struct error *err)
{
    switch (err->code) {
    case ERR_INVITATION_USED:
        render_message(req, 410, "This invitation link has already been used",
                       "A preceptor record is linked to an account through it. If that was not you, tell the "
                       "host's coordinator.");
        return;
    case ERR_INVITATION_EXPIRED:
        render_message(req, 410, "This invitation link has expired",
                       "Invitation links work for " LIMIT_TEXT(PRECEPTOR_INVITATION_DAYS)
                       " days. Ask the host's coordinator to send a new one.");
        return;
    case ERR_CONFLICT:
        render_message(req, 409, "This preceptor record is linked already",
                       "It is linked to another account. If it should be yours, tell the host's coordinator.");
        return;
    case ERR_NOT_FOUND:
        render_message(req, 404, "This invitation link is not valid",
                       "Check that you opened the whole link from the email; some email programs break long links "
                       "in two.");
        return;
    default:
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
}

void web_page_preceptor_invite(struct http_request *req)
{
    const char *token = http_param(req, "token");
    struct preceptor_invitation_view view;
    struct error err = {0};
    if (preceptor_invitation_open(req->db, &req->arena, token, &view, &err) != 0) {
        reply_invalid(req, &err);
        return;
    }
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Link your account", &user))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Link your account to your preceptor profile</h1>\n"
                       "<dl class=\"facts\"><dt>Host</dt><dd>");
    buf_append_html(&b, view.host_name);
    buf_append_str(&b, "</dd><dt>Preceptor profile</dt><dd>");
    buf_append_html(&b, view.preceptor.name);
    buf_append_str(&b, "</dd></dl>\n<p>Linked, your account sees and decides the applications to this preceptor's "
                       "rotations, with the documents the students attach.</p>\n");
    if (!req->auth.authenticated) {
        buf_append_str(&b, "<p>Log in to your own Rounds account first; you come back here to accept.</p>\n"
                           "<p><a class=\"button\" href=\"/login?next=");
        buf_append_url(&b, req->path);
        buf_append_str(&b, "\">Log in</a></p>\n<p class=\"muted\">No account yet? Ask the host's coordinator or "
                           "Rounds staff for one.</p>\n");
    } else {
        buf_append_str(&b, "<p>You are signed in as <strong>");
        buf_append_html(&b, user.name);
        buf_append_str(&b, "</strong> (");
        buf_append_html(&b, user.email);
        buf_append_str(&b, "). Accept only if this profile is yours.</p>\n<form class=\"stack\" method=\"post\" "
                           "action=\"/invitations/preceptors/");
        buf_append_url(&b, token);
        buf_append_str(&b, "/accept\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(&b, page.csrf_token);
        buf_append_str(&b, "\">\n<button type=\"submit\">Link my account</button>\n</form>\n");
    }
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

void web_page_preceptor_invite_accept(struct http_request *req)
{
    const char *token = http_param(req, "token");
    struct store_user user = {0};
    struct view_page page;
    if (!web_page_setup(req, &page, "Account linked", &user))
        return;
    struct store_preceptor p;
    struct error err = {0};
    if (preceptor_invitation_accept(req->db, &req->arena, &user, token, &p, &err) != 0) {
        reply_invalid(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Your account is linked</h1>\n<p>");
    buf_append_html(&b, user.name);
    buf_append_str(&b, " is now the account of the preceptor profile ");
    buf_append_html(&b, p.name);
    buf_append_str(&b, ".</p>\n<p><a href=\"/applications\">See the applications to your rotations</a></p>\n"
                       "</section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
