/* page_checkout.c — the student pays:
 *
 *   GET  /applications/{id}/checkout              what is due, the refund table for this block, the
 *                                                 plan (deposit, full price, balance) and the method
 *   POST /applications/{id}/checkout              opens the checkout: the demo provider pays at once,
 *                                                 a bank transfer shows its page, Stripe's hosted
 *                                                 page is where the browser goes next
 *   GET  /applications/{id}/checkout/{checkout}   a checkout: the bank details and the reference, or
 *                                                 "waiting for Stripe's confirmation", or paid
 *
 * Amounts come from the server (money_view_of); the form sends a plan and a
 * method, never an amount. Only the application's student sees these pages;
 * anyone else gets 404. */
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/catalog_index.h"
#include "domain/money.h"
#include "lib/clock.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_checkout_params[] = {"cancelled", NULL};

/* The student's application, or a reply (404, 503) and false. */
static bool own_application(struct http_request *req, const struct store_user *user, const char *id,
                            struct store_application *a)
{
    int rc = store_application_get(req->db, &req->arena, id, a);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    if (rc == DB_DONE || strcmp(a->student_id, user->id) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This application does not exist, or it is not yours to pay");
        return false;
    }
    return true;
}

static void plan_choice(struct buf *b, const struct money_view *v, enum money_plan plan, bool checked,
                        const char *words)
{
    buf_appendf(b, "<label class=\"choice\"><input type=\"radio\" name=\"plan\" value=\"%s\"%s> <strong>",
                money_plan_name(plan), checked ? " checked" : "");
    view_money_amount(b, v->plan_cents[plan]);
    buf_append_str(b, "</strong> — ");
    buf_append_html(b, words);
    buf_append_str(b, "</label>\n");
}

static void method_choice(struct buf *b, enum payment_method m, bool checked, const char *words)
{
    buf_appendf(b, "<label class=\"choice\"><input type=\"radio\" name=\"method\" value=\"%s\"%s> <strong>",
                payment_method_name(m), checked ? " checked" : "");
    buf_append_html(b, payment_method_label(m));
    buf_append_str(b, "</strong> — ");
    buf_append_html(b, words);
    buf_append_str(b, "</label>\n");
}

/* The form: plan, method, and what the refund would be. */
static void render_form(struct buf *b, const struct store_application *a, const struct money_view *v,
                        const char *csrf, const char *error)
{
    char action[160];
    snprintf(action, sizeof(action), "/applications/%s/checkout", a->id);
    if (error != NULL)
        buf_append_str(b, "<div class=\"notice error\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\">");
    if (error != NULL) {
        buf_append_html(b, error);
        buf_append_str(b, "</div>\n");
    }
    view_form_begin(b, action, csrf);
    buf_append_str(b, "<fieldset class=\"choices\" id=\"f-plan\"><legend>What to pay</legend>\n");
    bool first = true;
    if (v->can_pay[MONEY_PLAN_DEPOSIT]) {
        plan_choice(b, v, MONEY_PLAN_DEPOSIT, first, "the deposit books your seat; the rest is due later");
        first = false;
    }
    if (v->can_pay[MONEY_PLAN_FULL]) {
        plan_choice(b, v, MONEY_PLAN_FULL, first, "everything now");
        first = false;
    }
    if (v->can_pay[MONEY_PLAN_BALANCE])
        plan_choice(b, v, MONEY_PLAN_BALANCE, first, "the balance of your booking");
    buf_append_str(b, "</fieldset>\n<fieldset class=\"choices\" id=\"f-method\"><legend>How to pay</legend>\n");
    first = true;
    if (payments_provider(PAYMENT_STRIPE) != NULL) {
        method_choice(b, PAYMENT_STRIPE, first, "on Stripe's secure page; your card never reaches Rounds");
        first = false;
    }
    if (payments_provider(PAYMENT_BANK_TRANSFER) != NULL) {
        method_choice(b, PAYMENT_BANK_TRANSFER, first, "we show the account and a reference to quote");
        first = false;
    }
    if (payments_provider(PAYMENT_DEMO) != NULL)
        method_choice(b, PAYMENT_DEMO, first, "this server is a demo: it pays at once and no money moves");
    if (first && payments_provider(PAYMENT_DEMO) == NULL)
        buf_append_str(b, "<p class=\"notice error\">No payment method is set up on this server yet. Please "
                          "contact Rounds.</p>");
    buf_append_str(b, "</fieldset>\n");
    view_form_end(b, "Continue to payment");
}

static void render(struct http_request *req, int status, const char *id, const char *notice, const char *error)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Pay for your rotation", &user))
        return;
    struct store_application a;
    struct money_view v;
    if (!own_application(req, &user, id, &a))
        return;
    if (money_view_of(req->db, &req->arena, &a, &v) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/applications/");
    buf_append_url(&b, a.id);
    buf_append_str(&b, "\">Back to the application</a></p>\n<h1>Pay for ");
    buf_append_html(&b, a.offering_title);
    buf_append_str(&b, "</h1>\n<p class=\"where\">");
    buf_append_html(&b, a.host_name);
    buf_append_str(&b, " · ");
    view_date(&b, a.block_start);
    buf_append_str(&b, " to ");
    view_date(&b, a.block_end);
    buf_append_str(&b, "</p>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    bool any = v.can_pay[MONEY_PLAN_DEPOSIT] || v.can_pay[MONEY_PLAN_FULL] || v.can_pay[MONEY_PLAN_BALANCE];
    buf_append_str(&b, "<div class=\"offering-layout\"><div class=\"offering-main\">\n<section class=\"card\" "
                       "aria-labelledby=\"due-heading\"><h2 id=\"due-heading\">What you pay</h2>\n<dl class=\"facts\">"
                       "<dt>Price</dt><dd>");
    view_money_amount(&b, v.price_cents);
    buf_append_str(&b, "</dd><dt>Paid so far</dt><dd>");
    view_money_amount(&b, v.paid_cents);
    buf_append_str(&b, "</dd>");
    if (v.balance_due_on != NULL && v.deposit_due_cents < v.price_cents) {
        buf_append_str(&b, "<dt>Balance due by</dt><dd>");
        view_date(&b, v.balance_due_on);
        buf_append_str(&b, " <span class=\"muted\">(unpaid after that date, the seat is released)</span></dd>");
    }
    if (application_status_of(&a) == APPLICATION_HELD && a.hold_expires_at > 0) {
        buf_append_str(&b, "<dt>Seat held until</dt><dd>");
        web_write_instant(req, &b, a.hold_expires_at);
        buf_append_str(&b, "</dd>");
    }
    buf_append_str(&b, "</dl>\n");
    if (any)
        render_form(&b, &a, &v, page.csrf_token, error);
    else
        buf_append_str(&b, "<p>There is nothing to pay on this application now.</p>");
    buf_append_str(&b, "</section>\n</div><div class=\"offering-side\">\n<section class=\"card\" "
                       "aria-labelledby=\"refund-heading\"><h2 id=\"refund-heading\">If you cancel</h2>\n");
    int64_t after_deposit = v.paid_cents + (v.can_pay[MONEY_PLAN_DEPOSIT] ? v.plan_cents[MONEY_PLAN_DEPOSIT] : 0);
    if (v.can_pay[MONEY_PLAN_DEPOSIT])
        web_refund_table(&b, &v.policy, v.start_day, after_deposit, v.fee_cents, "Having paid the deposit");
    web_refund_table(&b, &v.policy, v.start_day, v.price_cents, v.fee_cents, "Having paid the full price");
    web_refund_rules(&b);
    buf_append_str(&b, "</section>\n</div></div>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_checkout(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *cancelled = http_kv_get(query, "cancelled");
    render(req, 200, http_param(req, "id"),
           cancelled != NULL ? "You left the payment page without paying. Your seat stays held until the time "
                               "shown; you can pay again below."
                             : NULL,
           NULL);
}

/* Stripe's page is ready (or Stripe is unreachable): where the browser goes. */
static void collected(struct http_request *req, void *ctx)
{
    struct money_collect_job *job = ctx;
    struct error err = {0};
    if (money_collect_finish(req->db, job, &err) != 0) {
        render(req, 502, job->application_id, NULL, err.detail);
        return;
    }
    http_redirect(req, job->session.url);
}

void web_page_checkout_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    enum payment_method method;
    enum money_plan plan;
    if (!payment_method_from_name(http_form(req, "method"), &method) || method == PAYMENT_MANUAL ||
        !money_plan_from_name(http_form(req, "plan"), &plan)) {
        render(req, 400, id, NULL, "Choose what to pay and how to pay it.");
        return;
    }
    struct money_checkout c;
    struct error err = {0};
    if (money_checkout_open(req->db, &req->arena, &user, id, method, plan, &c, &err) != 0) {
        if (err.code == ERR_NOT_FOUND || err.code == ERR_UNAVAILABLE) {
            http_reply_problem(req, &err);
            return;
        }
        render(req, error_status(err.code), id, NULL,
               err.code == ERR_HOLD_EXPIRED ? "The hold on this seat has expired, so it can no longer be paid for."
               : err.detail != NULL         ? err.detail
                                            : error_title(err.code));
        return;
    }
    catalog_index_sync(req->db);
    if (strcmp(c.checkout.status, "paid") == 0) {
        web_redirect_done(req, "/applications/", id, "paid");
        return;
    }
    if (!c.needs_provider) {
        /* A bank transfer's page, or Stripe's page of a checkout opened before. */
        char location[200];
        snprintf(location, sizeof(location), "/applications/%s/checkout/%s", id, c.checkout.id);
        http_redirect(req, c.checkout.redirect_url != NULL ? c.checkout.redirect_url : location);
        return;
    }
    struct store_application a;
    struct money_collect_job *job = http_offload_alloc(sizeof(*job));
    if (job == NULL || store_application_get(req->db, &req->arena, id, &a) != DB_ROW) {
        http_offload_free(job);
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    money_collect_job_init(job, &c.checkout, &a, user.email, &req->arena);
    http_offload_start(req, job, money_collect_work, collected);
}

/* "Label: value; …" as a definition list. */
static void bank_details(struct buf *b, const char *details)
{
    buf_append_str(b, "<dl class=\"facts bank\">");
    for (const char *p = details; p != NULL && *p != '\0';) {
        const char *end = strchr(p, ';');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        while (n > 0 && *p == ' ') {
            p++;
            n--;
        }
        const char *colon = memchr(p, ':', n);
        if (colon != NULL) {
            buf_append_str(b, "<dt>");
            buf_append_html_len(b, p, (size_t)(colon - p));
            buf_append_str(b, "</dt><dd>");
            const char *v = colon + 1;
            size_t vn = n - (size_t)(v - p);
            while (vn > 0 && *v == ' ') {
                v++;
                vn--;
            }
            buf_append_html_len(b, v, vn);
            buf_append_str(b, "</dd>");
        } else if (n > 0) {
            buf_append_str(b, "<dt>Account</dt><dd>");
            buf_append_html_len(b, p, n);
            buf_append_str(b, "</dd>");
        }
        p = end != NULL ? end + 1 : NULL;
    }
    buf_append_str(b, "</dl>\n");
}

void web_page_checkout_status(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Your payment", &user))
        return;
    struct store_application a;
    struct store_checkout c;
    if (!own_application(req, &user, http_param(req, "id"), &a))
        return;
    int rc = store_checkout_get(req->db, &req->arena, http_param(req, "checkout"), &c);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(c.application_id, a.id) != 0)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such payment");
        return;
    }
    if (rc != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/applications/");
    buf_append_url(&b, a.id);
    buf_append_str(&b, "\">Back to the application</a></p>\n<section class=\"card\"><h1>");
    bool paid = strcmp(c.status, "paid") == 0, bank = strcmp(c.provider, "bank_transfer") == 0;
    buf_append_str(&b, paid ? "Payment received" : bank ? "Pay by bank transfer" : "Your card payment");
    buf_append_str(&b, "</h1>\n<p>");
    view_money_amount(&b, c.amount_cents);
    buf_append_str(&b, " for ");
    buf_append_html(&b, a.offering_title);
    buf_append_str(&b, ".</p>\n");
    if (paid) {
        buf_append_str(&b, "<p>Thank you: it is recorded. See <a href=\"/payments\">your payments and receipts</a>.</p>");
    } else if (bank && strcmp(c.status, "open") == 0) {
        buf_append_str(&b, "<p>Send exactly this amount to the account below, quoting the reference, so that we "
                           "can match it to your booking:</p>\n<p class=\"reference\">Reference: <strong>");
        buf_append_html(&b, c.reference);
        buf_append_str(&b, "</strong></p>\n");
        bank_details(&b, payments_settings()->bank_transfer_details);
        buf_append_str(&b, "<p class=\"hint\">Rounds staff record the transfer when it arrives (often 1–3 business "
                           "days); you are told in the app. A transfer of less counts as part-payment, more is "
                           "paid back. Please pay before ");
        web_write_instant(req, &b, c.expires_at);
        buf_append_str(&b, ".</p>");
    } else if (strcmp(c.status, "open") == 0) {
        buf_append_str(&b, "<p>Waiting for Stripe to confirm your payment. It usually takes a few seconds: "
                           "<a href=\"\">check again</a>. If you did not finish paying, "
                           "<a href=\"/applications/");
        buf_append_url(&b, a.id);
        buf_append_str(&b, "/checkout\">start again</a>.</p>");
    } else {
        buf_append_str(&b, "<p class=\"notice error\">This payment did not go through. Your seat is not lost "
                           "while it is held: <a href=\"/applications/");
        buf_append_url(&b, a.id);
        buf_append_str(&b, "/checkout\">try again</a>.</p>");
    }
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
