/* page_staff_two_factor.c — /staff/two-factor: staff reset the second factor
 * of someone who lost both their phone and their recovery codes. The form
 * takes the account's email; the reset removes the secret and the codes,
 * ends every session of the account and is audited; the person sets it up
 * again at their next login. Anyone but staff gets 404. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/two_factor.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "web/web.h"

static void render(struct http_request *req, int status, const struct view_page *page, const char *email,
                   const char *notice, const char *message)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, page);
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Reset a second factor</h1>\n");
    if (message != NULL) {
        struct view_field_error e = {"f-email", message};
        view_error_summary(&b, "Nothing was reset.", &e, 1);
    }
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p>For someone who lost their phone and their recovery codes: check who they are first "
                       "(as for a password). Their second factor and recovery codes are removed and every session "
                       "of theirs ends; they set it up again at their next login. The reset is in the audit "
                       "trail.</p>\n");
    view_form_begin(&b, "/staff/two-factor", page->csrf_token);
    view_input(&b, "Email of the account", "email", "email", email, "off", true, NULL, message);
    view_form_end(&b, "Reset their second factor");
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_staff_two_factor(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (web_staff_page_setup(req, &page, "Reset a second factor", &user))
        render(req, 200, &page, NULL, NULL, NULL);
}

void web_page_staff_two_factor_reset(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_staff_page_setup(req, &page, "Reset a second factor", &user))
        return;
    const char *email = http_form(req, "email");
    if (email == NULL || email[0] == '\0') {
        render(req, 400, &page, email, NULL, "Enter the email of the account.");
        return;
    }
    struct error err = {0};
    if (two_factor_reset_email(req->db, &req->arena, &user, email, &err) != 0) {
        if (err.code == ERR_NOT_FOUND)
            render(req, 404, &page, email, NULL, "No account has this email.");
        else
            http_reply_problem(req, &err);
        return;
    }
    struct buf notice;
    buf_init(&notice, &req->arena, BUF_CAP_LINE);
    buf_append_str(&notice, "The second factor of ");
    buf_append_str(&notice, email);
    buf_append_str(&notice, " is reset and their sessions have ended.");
    render(req, 200, &page, NULL, buf_ok(&notice) ? notice.data : "Reset.", NULL);
}
