/* page_refunds.c — refunds as pages:
 *
 *   GET  /applications/{id}/cancel    the student's cancellation: what they get back today (to the
 *                                     cent, from refund_quote) and the table of dates, then a
 *                                     confirmation that posts /applications/{id}/cancel
 *   POST /applications/{id}/refunds   a goodwill refund by staff, with a reason (audited)
 *
 * The cancellation itself is the application page's action
 * (page_application.c), which sends a student who did not confirm here. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/money.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "views/forms.h"
#include "views/money.h"
#include "lib/cents.h"
#include "web/web.h"

void web_page_cancel(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Cancel your booking", &user))
        return;
    struct store_application a;
    int rc = store_application_get(req->db, &req->arena, http_param(req, "id"), &a);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (rc == DB_DONE || strcmp(a.student_id, user.id) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This application does not exist, or it is not yours");
        return;
    }
    struct money_view v;
    if (money_view_of(req->db, &req->arena, &a, &v) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    bool may = application_may(&a, &user, "cancel", true);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/applications/");
    buf_append_url(&b, a.id);
    buf_append_str(&b, "\">Back to the application</a></p>\n<section class=\"card\" aria-labelledby=\"cancel-heading\">"
                       "<h1 id=\"cancel-heading\">Cancel your booking?</h1>\n<p>");
    buf_append_html(&b, a.offering_title);
    buf_append_str(&b, ", ");
    buf_append_html(&b, a.host_name);
    buf_append_str(&b, ", from ");
    view_date(&b, a.block_start);
    buf_append_str(&b, ".</p>\n");
    if (!may) {
        buf_append_str(&b, "<p>This booking cannot be cancelled now (its status is \"");
        buf_append_html(&b, application_status_label(application_status_of(&a)));
        buf_append_str(&b, "\").</p></section>\n");
        view_page_end(&b);
        http_reply_html(req, 409, &b);
        return;
    }
    buf_append_str(&b, "<p class=\"refund-today\">You paid ");
    view_money_amount(&b, v.paid_cents);
    buf_append_str(&b, ". <strong>If you cancel today, you get ");
    if (v.cancel_today.refund_cents > 0)
        view_money_amount(&b, v.cancel_today.refund_cents);
    else
        buf_append_str(&b, "nothing");
    buf_append_str(&b, " back</strong>");
    if (v.cancel_today.refund_cents > 0)
        buf_append_str(&b, ", through the way you paid");
    buf_append_str(&b, ".</p>\n");
    web_refund_table(&b, &v.policy, v.start_day, v.paid_cents, v.fee_cents, "What the policy gives back, by date");
    web_refund_rules(&b);
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/cancel", a.id);
    view_form_begin(&b, action, page.csrf_token);
    buf_append_str(&b, "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n");
    view_textarea(&b, "Why are you cancelling? (optional)", "note", NULL, 3, NOTE_MAX_CHARS,
                  "Kept in the application's history; the host reads it.", NULL);
    buf_append_str(&b, "<div class=\"actions wrap\"><button type=\"submit\" class=\"danger\">Cancel my booking");
    if (v.cancel_today.refund_cents > 0) {
        buf_append_str(&b, " and get ");
        view_money_amount(&b, v.cancel_today.refund_cents);
        buf_append_str(&b, " back");
    }
    buf_append_str(&b, "</button> <a href=\"/applications/");
    buf_append_url(&b, a.id);
    buf_append_str(&b, "\">Keep my booking</a></div></form>\n</section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

void web_page_goodwill_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is nothing at this address");
        return;
    }
    const char *reason = http_form(req, "reason");
    int64_t cents = cents_parse_dollars(http_form(req, "amount") != NULL ? http_form(req, "amount") : "");
    struct error err = {0};
    if (cents <= 0)
        error_set(&err, ERR_VALIDATION_FAILED, "amount", "The amount must be in dollars, such as 150 or 150.50.");
    else if (reason == NULL || reason[0] == '\0' || !utf8_valid(reason, strlen(reason)) ||
             utf8_count(reason, strlen(reason)) > REASON_MAX_CHARS)
        error_set(&err, ERR_VALIDATION_FAILED, "reason",
                  "Say why, in at most " LIMIT_TEXT(REASON_MAX_CHARS) " characters: it goes to the audit trail.");
    else
        money_goodwill_refund(req->db, &req->arena, &user, id, cents, reason, &err);
    if (err.code == ERR_NONE) {
        web_redirect_done(req, "/applications/", id, "refund");
        return;
    }
    if (err.code == ERR_NOT_FOUND || err.code == ERR_UNAVAILABLE) {
        http_reply_problem(req, &err);
        return;
    }
    /* The form again, with what was typed and the error at the top, linked to its field. */
    struct view_page page;
    if (!web_page_setup(req, &page, "Goodwill refund", NULL))
        return;
    const char *field = err.field != NULL && strcmp(err.field, "reason") == 0 ? "reason" : "amount";
    const char *message = err.detail != NULL ? err.detail : error_title(err.code);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/applications/");
    buf_append_url(&b, id);
    buf_append_str(&b, "\">Back to the application</a></p>\n<section class=\"card\"><h1>Goodwill refund</h1>\n"
                       "<div class=\"notice error\" role=\"alert\"><p>The refund was not made: <a href=\"#f-");
    buf_append_str(&b, field);
    buf_append_str(&b, "\">");
    buf_append_html(&b, message);
    buf_append_str(&b, "</a></p></div>\n");
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/refunds", id);
    view_form_begin(&b, action, page.csrf_token);
    view_input(&b, "Amount (USD)", "text", "amount", http_form(req, "amount"), "off", true, NULL,
               strcmp(field, "amount") == 0 ? message : NULL);
    view_textarea(&b, "Reason", "reason", reason, 3, REASON_MAX_CHARS, "Kept in the audit trail.",
                  strcmp(field, "reason") == 0 ? message : NULL);
    view_form_end(&b, "Refund");
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, error_status(err.code), &b);
}
