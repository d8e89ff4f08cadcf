/* page_school_invite.c — GET /invitations/schools/{token}: the page an
 * invitation email links to. It names the school and says what joining
 * shares; a signed-in student accepts with one button (POST
 * /invitations/schools/{token}/accept → /me/schools); anyone else is asked to
 * log in or create an account first, and comes back here afterwards (both
 * links carry ?next= to this page). A link
 * that is not one answers 404, a used or expired one 410. Tokens never reach
 * the logs (the router masks /invitations/…). */
#include <string.h>

#include "domain/accounts.h"
#include "domain/schools.h"
#include "lib/limits.h"
#include "web/web.h"

static void render_actions(struct buf *b, const struct view_page *page, const struct store_user *user,
                           const char *token)
{
    if (page->user_name == NULL) {
        buf_append_str(b, "<p>Log in to accept, or create a student account first: either way you come back "
                          "here.</p><p class=\"actions\"><a class=\"button\" "
                          "href=\"/login?next=/invitations/schools/");
        buf_append_url(b, token);
        buf_append_str(b, "\">Log in</a> <a class=\"button secondary\" href=\"/register?next=/invitations/schools/");
        buf_append_url(b, token);
        buf_append_str(b, "\">Create an account</a></p>\n");
        return;
    }
    if (!account_has_role(user, ROLE_STUDENT)) {
        view_alert(b, "Only a student account can join a school: log in with yours.");
        return;
    }
    buf_append_str(b, "<form method=\"post\" action=\"/invitations/schools/");
    buf_append_url(b, token);
    buf_append_str(b, "/accept\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, page->csrf_token);
    buf_append_str(b, "\"><button type=\"submit\">Join the school</button></form>\n");
}

void web_page_school_invitation(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Invitation", &user))
        return;
    const char *token = http_param(req, "token");
    struct store_school_invitation inv;
    struct error err = {0};
    if (school_invitation_open(req->db, &req->arena, token, &inv, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>");
    buf_append_html(&b, inv.school_name);
    buf_append_str(&b, " invites you</h1>\n<p>Dear ");
    buf_append_html(&b, inv.name);
    buf_append_str(&b, ", if you join, the school's coordinators see your applications and placements, your "
                       "onboarding checklists and your Match readiness. They never see your letters' content or your "
                       "documents' files, and you can leave at any time from “My school”.</p>\n<p class=\"muted\">"
                       "This invitation works until ");
    web_write_date(req, &b, inv.expires_at);
    buf_append_str(&b, ".</p>\n");
    render_actions(&b, &page, &user, token);
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

void web_page_school_invitation_accept(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct store_school_student link;
    struct error err = {0};
    if (school_invitation_accept(req->db, &req->arena, &user, http_param(req, "token"), &link, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, "/me/schools?done=joined");
}
