/* money_views.c — the pieces of money every page shows the same way: the
 * refund policy as a table of dates and amounts for a block, and the rules
 * no host can change. The amounts come from refund_quote (domain/refunds.h)
 * through refund_schedule; nothing here computes a refund. */
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/money.h"
#include "domain/refunds.h"
#include "lib/cents.h"
#include "lib/clock.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

void web_refund_table(struct buf *b, const struct refund_policy *policy, int32_t start_day, int64_t paid_cents,
                      int64_t fee_cents, const char *caption)
{
    struct refund_schedule_row rows[REFUND_TIERS_MAX + 1];
    size_t n = refund_schedule(policy, start_day, paid_cents, fee_cents, rows, REFUND_TIERS_MAX + 1);
    int32_t today = clock_today_days();
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records refund-table\"><caption>");
    buf_append_html(b, caption);
    buf_append_str(b, "</caption><thead><tr><th scope=\"col\">If you cancel</th><th scope=\"col\">You get back</th>"
                      "</tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        char date[11];
        clock_date_from_days(rows[i].deadline_day, date);
        bool passed = !rows[i].from && rows[i].deadline_day < today;
        buf_append_str(b, passed ? "<tr class=\"passed\"><td data-label=\"If you cancel\">"
                                 : "<tr><td data-label=\"If you cancel\">");
        buf_append_str(b, rows[i].from ? "From " : "By ");
        view_date(b, date);
        if (passed)
            buf_append_str(b, " <span class=\"muted\">(passed)</span>");
        buf_append_str(b, "</td><td data-label=\"You get back\">");
        const struct refund_answer *a = &rows[i].answer;
        if (a->refund_cents == 0) {
            buf_append_str(b, "Nothing");
        } else {
            buf_append_str(b, "<strong>");
            view_money_amount(b, a->refund_cents);
            buf_appendf(b, "</strong> <span class=\"muted\">(%lld%%%s)</span>", (long long)a->percent,
                        a->tier >= 0 && !policy->tiers[a->tier].fee_refunded && fee_cents > 0 ? ", fee kept" : "");
        }
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
}

void web_refund_rules(struct buf *b)
{
    buf_append_str(b, "<p class=\"hint\">Whatever the table says: if the host cancels, or the rotation cannot happen, "
                      "everything you paid comes back; if your visa is refused (with proof), everything comes back "
                      "except the platform fee.</p>\n");
}

/* ---- the money card of the application page ---- */

static void fact(struct buf *b, const char *term)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
}

void web_money_card(struct buf *b, const struct store_application *a, const struct money_view *v, bool student,
                    bool staff, const char *csrf_token)
{
    buf_append_str(b, "<section class=\"card money\" aria-labelledby=\"money-heading\"><h2 id=\"money-heading\">"
                      "Payment</h2>\n");
    if (v->price_cents == 0) {
        buf_append_str(b, "<p>This rotation is free: there is nothing to pay.</p></section>\n");
        return;
    }
    buf_append_str(b, "<dl class=\"facts\">");
    fact(b, "Price");
    view_money_amount(b, v->price_cents);
    buf_append_str(b, " <span class=\"muted\">(tuition ");
    view_money_amount(b, v->tuition_cents);
    buf_append_str(b, " + platform fee ");
    view_money_amount(b, v->fee_cents);
    buf_append_str(b, ")</span></dd>");
    if (v->has_terms) {
        fact(b, "Paid");
        view_money_amount(b, v->paid_cents);
        buf_append_str(b, "</dd>");
        if (v->balance_cents > 0 && application_status_takes_seat(application_status_of(a))) {
            fact(b, "Still due");
            view_money_amount(b, v->balance_cents);
            if (v->balance_due_on != NULL && application_status_of(a) != APPLICATION_HELD) {
                buf_append_str(b, " by ");
                view_date(b, v->balance_due_on);
            }
            buf_append_str(b, "</dd>");
        }
        if (v->refunded_cents > 0 || v->refund_owed_cents > 0) {
            fact(b, "Refunded");
            view_money_amount(b, v->refunded_cents);
            if (v->refund_owed_cents > 0) {
                buf_append_str(b, " <span class=\"muted\">(");
                view_money_amount(b, v->refund_owed_cents);
                buf_append_str(b, " more on its way)</span>");
            }
            buf_append_str(b, "</dd>");
        }
    } else if (application_status_before_acceptance(application_status_of(a))) {
        fact(b, "To book");
        view_money_amount(b, v->deposit_due_cents);
        buf_append_str(b, v->deposit_due_cents < v->price_cents ? " deposit" : " (the full price)");
        buf_append_str(b, student ? ", once you accept an offer</dd>" : ", once the student accepts an offer</dd>");
    }
    buf_append_str(b, "</dl>\n");
    if (v->cancellable && v->has_terms) {
        buf_append_str(b, student ? "<p class=\"if-cancel\"><strong>If you cancel today: "
                                  : "<p class=\"if-cancel\"><strong>If the student cancels today: ");
        if (v->cancel_today.refund_cents > 0)
            view_money_amount(b, v->cancel_today.refund_cents);
        else
            buf_append_str(b, "nothing");
        buf_append_str(b, " back.</strong></p>\n");
    }
    bool can_pay = v->can_pay[MONEY_PLAN_DEPOSIT] || v->can_pay[MONEY_PLAN_FULL] || v->can_pay[MONEY_PLAN_BALANCE];
    if (student)
        buf_append_str(b, "<p class=\"actions wrap\">");
    if (student && can_pay) {
        buf_append_str(b, "<a class=\"button\" href=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, v->can_pay[MONEY_PLAN_BALANCE] ? "/checkout\">Pay the balance</a> " : "/checkout\">Pay to book</a> ");
    }
    if (student)
        buf_append_str(b, "<a href=\"/payments\">Payments and receipts</a></p>\n");
    int64_t left = v->received_cents - v->refunded_cents - v->refund_owed_cents;
    if (staff && left > 0) {
        char action[160], hint[160], amount[CENTS_TEXT_MAX];
        snprintf(action, sizeof(action), "/applications/%s/refunds", a->id);
        snprintf(hint, sizeof(hint), "Beyond the policy, at most %s (what is left of what was paid).",
                 cents_format(amount, sizeof(amount), left));
        buf_append_str(b, "<details><summary>Goodwill refund (staff)</summary>\n");
        view_form_begin(b, action, csrf_token);
        view_input(b, "Amount (USD)", "text", "amount", NULL, "off", true, hint, NULL);
        /* Its own id: the actions' form below has a "reason" too (why a booking is cancelled). */
        view_textarea_id(b, "f-refund-reason", "Reason", "reason", NULL, 3, REASON_MAX_CHARS,
                         "Kept in the audit trail.", NULL);
        view_form_end(b, "Refund");
        buf_append_str(b, "</details>\n");
    }
    buf_append_str(b, "</section>\n");
}
