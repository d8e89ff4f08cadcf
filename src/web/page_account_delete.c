/* page_account_delete.c — deleting one's own account (domain/deletions.h):
 * the account page's "Delete your account" card (the pending request with its
 * date and a Cancel button, or a link to ask), /account/delete — what is
 * erased, what is kept and why, then "Delete my account" — and the two POSTs.
 * A request that cannot be accepted now (a rotation or money open) comes back
 * with the reason in the error summary. Staff and coaches see no card. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/deletions.h"
#include "lib/limits.h"
#include "web/web.h"

static bool may_ask(const struct store_user *user)
{
    return !account_has_role(user, ROLE_STAFF) && !account_has_role(user, ROLE_COACH);
}

void web_deletion_card(struct http_request *req, struct buf *b, const struct store_user *user, const char *csrf)
{
    if (!may_ask(user))
        return;
    struct store_deletion_request r;
    bool pending = store_deletion_request_latest(req->db, &req->arena, user->id, &r) == DB_ROW &&
                   strcmp(r.state, "pending") == 0;
    buf_append_str(b, "<section class=\"card\" id=\"deletion\" aria-labelledby=\"deletion-heading\">"
                      "<h2 id=\"deletion-heading\">Delete your account</h2>\n");
    const char *done = http_kv_get(req->query_params, "deletion");
    if (done != NULL && strcmp(done, "cancelled") == 0)
        view_notice(b, "Your request is cancelled: your account stays as it is.");
    if (pending) {
        if (done != NULL && strcmp(done, "requested") == 0)
            view_notice(b, "Your request is recorded.");
        buf_append_str(b, "<p id=\"deletion-status\">You asked to delete your account on ");
        web_write_date(req, b, r.requested_at);
        buf_append_str(b, ". It will be erased by ");
        web_write_date(req, b, r.due_at);
        buf_append_str(b, " at the latest (staff may do it sooner). Until then you can change your mind.</p>\n");
        struct view_button cancel = {.action = "/account/delete/cancel", .label = "Cancel the deletion"};
        view_button_form(b, csrf, &cancel);
    } else {
        buf_append_str(b, "<p>Your name, email, profile, documents and letters are erased within 30 days; "
                          "payment and audit records are kept under a pseudonym.</p>"
                          "<p><a href=\"/account/delete\">Delete your account…</a></p>\n");
    }
    buf_append_str(b, "</section>\n");
}

static const char erased_text[] =
    "<h2>What is erased</h2><ul>"
    "<li>Your name and email address: replaced by a pseudonym (\"Erased account …\") and an address that can "
    "never receive mail or sign in. Your email can be used for a new account.</li>"
    "<li>Your profile (school, country, visa, USMLE, ECFMG, English proficiency), your password, two-factor secret "
    "and recovery codes, and your calendar address. Every session ends at once.</li>"
    "<li>Your documents: their files are deleted.</li>"
    "<li>Your letters of recommendation: their files are deleted and no one (not even staff) can read them; "
    "the author's links stop working. The author keeps their own copy and ERAS keeps what was delivered.</li>"
    "<li>Your application statements, visa letter details (passport name and number), saved searches, "
    "favourites, waitlist places, notifications and email not yet sent.</li></ul>"
    "<h2>What is kept, and why</h2><ul>"
    "<li>Payment, refund and payout records (the ledger): accounting and tax law require them for years. "
    "They point to the pseudonym.</li>"
    "<li>The audit trail (who did what, when): it is the platform's security record; your name and email "
    "are replaced by the pseudonym in it.</li>"
    "<li>Your applications and rotations (dates, states, hours, evaluations) and certificates already "
    "issued: hosts and preceptors must keep records of the training they gave, and a certificate can still "
    "be verified. Reviews you wrote stay, signed \"Former student\".</li></ul>"
    "<p>The erasure happens 30 days after you ask (staff may do it sooner); until then you can cancel. "
    "It cannot be undone. Download your data first if you want a copy.</p>\n";

static void render(struct http_request *req, int status, const struct view_page *page, const struct store_user *user,
                   const char *problem)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, page);
    if (problem != NULL) {
        struct view_field_error e = {NULL, problem};
        view_error_summary(&b, "Your account was not set to be deleted.", &e, 1);
    }
    buf_append_str(&b, "<section class=\"card narrow\"><h1>Delete your account</h1>\n");
    if (!may_ask(user)) {
        buf_append_str(&b, "<p>Staff and coach accounts are closed by another member of staff, not by request.</p>"
                           "<p><a href=\"/account\">Back to your account</a></p></section>\n");
    } else {
        buf_append_str(&b, erased_text);
        view_form_begin(&b, "/account/delete", page->csrf_token);
        /* A danger button, not the page's primary action: the safe choices follow it. */
        buf_append_str(&b, "<button type=\"submit\" class=\"danger\">Delete my account</button></form>\n");
        buf_append_str(&b, "<p><a href=\"/api/v1/me/export\" download>Download your data</a> · "
                           "<a href=\"/account\">Keep my account</a></p></section>\n");
    }
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_account_delete(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (web_page_setup(req, &page, "Delete your account", &user))
        render(req, 200, &page, &user, NULL);
}

void web_page_account_delete_post(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Delete your account", &user))
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_request(req->db, &req->arena, &user, &r, &err) == 0 || err.code == ERR_DELETION_PENDING) {
        http_redirect(req, "/account?deletion=requested#deletion");
        return;
    }
    if (err.code == ERR_DELETION_BLOCKED || err.code == ERR_FORBIDDEN)
        render(req, error_status(err.code), &page, &user, err.detail);
    else
        http_reply_problem(req, &err);
}

void web_page_account_delete_cancel(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Delete your account", &user))
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_cancel(req->db, &req->arena, &user, &r, &err) == 0 || err.code == ERR_NOT_FOUND)
        http_redirect(req, "/account?deletion=cancelled#deletion");
    else
        http_reply_problem(req, &err);
}
