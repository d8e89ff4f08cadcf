/* page_payments.c — the student's money:
 *
 *   GET /payments                 every booking's statement: price, paid, still due (and by when),
 *                                 each payment (when, how, how much, its receipt) and each refund
 *   GET /payments/{id}/receipt    a printable receipt of one payment (its student, and staff)
 *
 * Another person's receipt is a 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/money.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

/* Every status in which an application may have money. */
static const char money_statuses[] = "held,booked,cleared,in_progress,completed,withdrawn,hold_expired,"
                                     "cancelled_by_student,cancelled_by_host,no_show,balance_unpaid";

static const char *method_words(const char *provider)
{
    enum payment_method m;
    return payment_method_from_name(provider, &m) ? payment_method_label(m) : provider;
}

static const char *reason_words(const char *reason)
{
    if (strcmp(reason, "policy") == 0)
        return "Cancellation, as the refund policy gives";
    if (strcmp(reason, "overpayment") == 0)
        return "Paid more than was due";
    if (strcmp(reason, "goodwill") == 0)
        return "Goodwill";
    return reason;
}

static void payments_table(struct buf *b, const struct store_payment *p, size_t n)
{
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Payments</caption><thead><tr>"
                      "<th scope=\"col\">Received</th><th scope=\"col\">How</th><th scope=\"col\">Amount</th>"
                      "<th scope=\"col\">Receipt</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        buf_append_str(b, "<tr><td data-label=\"Received\">");
        view_date(b, p[i].received_on);
        buf_append_str(b, "</td><td data-label=\"How\">");
        buf_append_html(b, method_words(p[i].provider));
        buf_append_str(b, "</td><td data-label=\"Amount\">");
        view_money_amount(b, p[i].amount_cents);
        buf_append_str(b, "</td><td data-label=\"Receipt\"><a href=\"/payments/");
        buf_append_url(b, p[i].id);
        buf_append_str(b, "/receipt\">Receipt</a></td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
}

static void refunds_table(const struct http_request *req, struct buf *b, const struct store_refund *r, size_t n)
{
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Refunds</caption><thead><tr>"
                      "<th scope=\"col\">Since</th><th scope=\"col\">Why</th><th scope=\"col\">Amount</th>"
                      "<th scope=\"col\">Where it is</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        buf_append_str(b, "<tr><td data-label=\"Since\">");
        web_write_date(req, b, r[i].created_at);
        buf_append_str(b, "</td><td data-label=\"Why\">");
        buf_append_html(b, reason_words(r[i].reason));
        buf_append_str(b, "</td><td data-label=\"Amount\">");
        view_money_amount(b, r[i].amount_cents);
        buf_append_str(b, "</td><td data-label=\"Where it is\">");
        if (strcmp(r[i].status, "sent") == 0) {
            buf_append_str(b, "Sent back on ");
            web_write_date(req, b, r[i].sent_at);
        } else {
            buf_append_str(b, "On its way");
        }
        buf_append_str(b, " <span class=\"muted\">· ");
        buf_append_html(b, method_words(r[i].provider));
        buf_append_str(b, "</span>");
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
}

/* One booking's statement; false (and nothing written) when it has no money. */
static bool statement_card(struct http_request *req, struct buf *b, const struct store_application *a)
{
    struct money_view v;
    struct store_payment *payments;
    struct store_refund *refunds;
    size_t np = 0, nr = 0;
    if (money_view_of(req->db, &req->arena, a, &v) != DB_OK || !v.has_terms || v.price_cents == 0 ||
        store_payments_of_application(req->db, &req->arena, a->id, &payments, &np) != DB_OK ||
        store_refunds_of_application(req->db, &req->arena, a->id, &refunds, &nr) != DB_OK)
        return false;
    buf_append_str(b, "<section class=\"card statement\" id=\"app-");
    buf_append_html(b, a->id);
    buf_append_str(b, "\"><h2><a href=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_str(b, "\">");
    buf_append_html(b, a->offering_title);
    buf_append_str(b, "</a></h2>\n<p class=\"where\">");
    buf_append_html(b, a->host_name);
    buf_append_str(b, " · ");
    view_date(b, a->block_start);
    buf_append_str(b, " · ");
    web_application_status(b, application_status_of(a));
    buf_append_str(b, "</p>\n<dl class=\"facts\"><dt>Price</dt><dd>");
    view_money_amount(b, v.price_cents);
    buf_append_str(b, "</dd><dt>Paid</dt><dd>");
    view_money_amount(b, v.paid_cents);
    buf_append_str(b, "</dd>");
    if (v.balance_cents > 0 && application_status_takes_seat(application_status_of(a))) {
        buf_append_str(b, "<dt>Still due</dt><dd><strong>");
        view_money_amount(b, v.balance_cents);
        buf_append_str(b, "</strong>");
        if (v.balance_due_on != NULL && application_status_of(a) != APPLICATION_HELD) {
            buf_append_str(b, " by ");
            view_date(b, v.balance_due_on);
        }
        buf_append_str(b, " <a href=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/checkout\">Pay</a></dd>");
    }
    if (v.refunded_cents + v.refund_owed_cents > 0) {
        buf_append_str(b, "<dt>Refunded</dt><dd>");
        view_money_amount(b, v.refunded_cents + v.refund_owed_cents);
        buf_append_str(b, "</dd>");
    }
    buf_append_str(b, "</dl>\n");
    if (np > 0)
        payments_table(b, payments, np);
    if (nr > 0)
        refunds_table(req, b, refunds, nr);
    buf_append_str(b, "</section>\n");
    return true;
}

void web_page_payments(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Payments", &user))
        return;
    struct store_application *apps;
    size_t count = 0;
    if (store_student_applications(req->db, &req->arena, user.id, money_statuses, NULL, &apps, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Payments</h1>\n<p>What each booking costs, what you paid and when, what is still due, "
                       "and every refund. Amounts are in U.S. dollars.</p>\n");
    size_t shown = 0;
    for (size_t i = 0; i < count; i++)
        shown += statement_card(req, &b, &apps[i]);
    if (shown == 0)
        buf_append_str(&b, "<p class=\"muted\">Nothing yet: payments show here once you accept an offer.</p>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

void web_page_receipt(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Receipt", &user))
        return;
    struct store_payment p;
    int rc = store_payment_get(req->db, &req->arena, http_param(req, "id"), &p);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (rc == DB_DONE || (strcmp(p.student_id, user.id) != 0 && !account_has_role(&user, ROLE_STAFF))) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such receipt");
        return;
    }
    struct store_application a;
    if (store_application_get(req->db, &req->arena, p.application_id, &a) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<article class=\"card receipt\" aria-labelledby=\"receipt-heading\"><h1 id=\"receipt-heading\">"
                       "Receipt</h1>\n<dl class=\"facts\"><dt>Receipt number</dt><dd>");
    buf_append_html(&b, p.id);
    buf_append_str(&b, "</dd><dt>Received</dt><dd>");
    view_date(&b, p.received_on);
    buf_append_str(&b, "</dd><dt>From</dt><dd>");
    buf_append_html(&b, a.student_name);
    buf_append_str(&b, "</dd><dt>For</dt><dd>");
    buf_append_html(&b, a.offering_title);
    buf_append_str(&b, ", ");
    buf_append_html(&b, a.host_name);
    buf_append_str(&b, ", ");
    view_date(&b, a.block_start);
    buf_append_str(&b, " to ");
    view_date(&b, a.block_end);
    buf_append_str(&b, "</dd><dt>Paid by</dt><dd>");
    buf_append_html(&b, method_words(p.provider));
    buf_append_str(&b, "</dd><dt>Amount</dt><dd><strong>");
    view_money_amount(&b, p.amount_cents);
    buf_append_str(&b, " USD</strong></dd></dl>\n<p class=\"hint\">Issued by Rounds. Keep it for your records; "
                       "use your browser's Print to print it or save it as a PDF.</p>\n<p class=\"no-print\">"
                       "<a href=\"/payments\">Back to your payments</a></p></article>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
