/* money_json.c — the JSON shapes of money: checkouts, payments, refunds and
 * an application's statement; see money_api.h. */
#include <string.h>

#include <stdio.h>

#include "api/money_api.h"
#include "domain/applications.h"
#include "lib/clock.h"

static void write_instant(struct buf *b, const char *key, int64_t t)
{
    buf_appendf(b, ",\"%s\":", key);
    if (t <= 0) {
        buf_append_str(b, "null");
        return;
    }
    char s[21];
    clock_format_rfc3339(t, s);
    buf_appendf(b, "\"%s\"", s);
}

/* "Label: value; Label: value" as [{"label","value"}] (a line without ':' is a value alone). */
static void write_bank_details(struct buf *b, const char *details)
{
    buf_append_char(b, '[');
    bool first = true;
    for (const char *p = details; p != NULL && *p != '\0';) {
        const char *end = strchr(p, ';');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        while (n > 0 && *p == ' ') {
            p++;
            n--;
        }
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n > 0) {
            const char *colon = memchr(p, ':', n);
            size_t label_len = colon != NULL ? (size_t)(colon - p) : 0;
            const char *value = colon != NULL ? colon + 1 : p;
            size_t value_len = n - (size_t)(value - p);
            while (value_len > 0 && *value == ' ') {
                value++;
                value_len--;
            }
            char label[128], text[512];
            snprintf(label, sizeof(label), "%.*s", (int)label_len, p);
            snprintf(text, sizeof(text), "%.*s", (int)value_len, value);
            buf_append_str(b, first ? "{\"label\":" : ",{\"label\":");
            buf_append_json_string(b, label);
            buf_append_str(b, ",\"value\":");
            buf_append_json_string(b, text);
            buf_append_char(b, '}');
            first = false;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    buf_append_char(b, ']');
}

void api_write_checkout(struct buf *b, const struct money_checkout *mc)
{
    const struct store_checkout *c = &mc->checkout;
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, c->id);
    buf_append_str(b, ",\"application_id\":");
    buf_append_json_string(b, c->application_id);
    buf_append_str(b, ",\"method\":");
    buf_append_json_string(b, c->provider);
    buf_append_str(b, ",\"plan\":");
    buf_append_json_string(b, c->plan);
    buf_appendf(b, ",\"amount_cents\":%lld,\"currency\":\"USD\",\"status\":", (long long)c->amount_cents);
    buf_append_json_string(b, c->status);
    write_instant(b, "created_at", c->created_at);
    write_instant(b, "expires_at", c->expires_at);
    buf_append_str(b, ",\"redirect_url\":");
    buf_append_json_string(b, c->redirect_url);
    if (c->reference != NULL) {
        buf_append_str(b, ",\"bank_transfer\":{\"reference\":");
        buf_append_json_string(b, c->reference);
        buf_append_str(b, ",\"details\":");
        write_bank_details(b, mc->bank_details);
        buf_append_char(b, '}');
    }
    buf_append_char(b, '}');
}

void api_write_payment(struct buf *b, const struct store_payment *p)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, p->id);
    buf_append_str(b, ",\"application_id\":");
    buf_append_json_string(b, p->application_id);
    buf_append_str(b, ",\"checkout_id\":");
    buf_append_json_string(b, p->checkout_id);
    buf_append_str(b, ",\"method\":");
    buf_append_json_string(b, p->provider);
    buf_appendf(b, ",\"amount_cents\":%lld,\"expected_cents\":%lld,\"difference_cents\":%lld,\"currency\":\"USD\"",
                (long long)p->amount_cents, (long long)p->expected_cents,
                (long long)(p->expected_cents > 0 ? p->amount_cents - p->expected_cents : 0));
    buf_append_str(b, ",\"received_on\":");
    buf_append_json_string(b, p->received_on);
    buf_append_str(b, ",\"note\":");
    buf_append_json_string(b, p->note);
    write_instant(b, "recorded_at", p->created_at);
    buf_append_char(b, '}');
}

void api_write_refund(struct buf *b, const struct store_refund *r)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, r->id);
    buf_append_str(b, ",\"application_id\":");
    buf_append_json_string(b, r->application_id);
    buf_append_str(b, ",\"payment_id\":");
    buf_append_json_string(b, r->payment_id);
    buf_append_str(b, ",\"method\":");
    buf_append_json_string(b, r->provider);
    buf_appendf(b, ",\"amount_cents\":%lld,\"currency\":\"USD\",\"reason\":", (long long)r->amount_cents);
    buf_append_json_string(b, r->reason);
    buf_append_str(b, ",\"note\":");
    buf_append_json_string(b, r->note);
    buf_append_str(b, ",\"status\":");
    buf_append_json_string(b, r->status);
    buf_append_str(b, ",\"student\":");
    buf_append_json_string(b, r->student_name);
    buf_append_str(b, ",\"last_error\":");
    buf_append_json_string(b, r->last_error);
    write_instant(b, "created_at", r->created_at);
    write_instant(b, "sent_at", r->sent_at);
    buf_append_char(b, '}');
}

static void write_plan(struct buf *b, const struct money_view *v, enum money_plan plan)
{
    buf_appendf(b, "%s\"%s\":", plan > 0 ? "," : "", money_plan_name(plan));
    if (v->can_pay[plan])
        buf_appendf(b, "%lld", (long long)v->plan_cents[plan]);
    else
        buf_append_str(b, "null");
}

int api_write_statement(struct http_request *req, struct buf *b, const struct store_application *a)
{
    struct money_view v;
    struct store_payment *payments;
    struct store_refund *refunds;
    size_t np = 0, nr = 0;
    if (money_view_of(req->db, &req->arena, a, &v) != DB_OK ||
        store_payments_of_application(req->db, &req->arena, a->id, &payments, &np) != DB_OK ||
        store_refunds_of_application(req->db, &req->arena, a->id, &refunds, &nr) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return -1;
    }
    buf_append_str(b, "{\"application_id\":");
    buf_append_json_string(b, a->id);
    buf_append_str(b, ",\"status\":");
    buf_append_json_string(b, a->status);
    buf_appendf(b,
                ",\"currency\":\"USD\",\"terms_fixed\":%s,\"price_cents\":%lld,\"tuition_cents\":%lld,"
                "\"fee_cents\":%lld,\"deposit_due_cents\":%lld,\"paid_cents\":%lld,\"balance_cents\":%lld,"
                "\"received_cents\":%lld,\"refunded_cents\":%lld,\"refund_owed_cents\":%lld,\"balance_due_on\":",
                v.has_terms ? "true" : "false", (long long)v.price_cents, (long long)v.tuition_cents,
                (long long)v.fee_cents, (long long)v.deposit_due_cents, (long long)v.paid_cents,
                (long long)v.balance_cents, (long long)v.received_cents, (long long)v.refunded_cents,
                (long long)v.refund_owed_cents);
    buf_append_json_string(b, v.balance_due_on);
    buf_append_str(b, ",\"pay_now\":{");
    for (int p = 0; p < MONEY_PLAN_COUNT; p++)
        write_plan(b, &v, (enum money_plan)p);
    buf_append_str(b, "},\"if_cancelled_today\":");
    if (v.cancellable)
        buf_appendf(b, "{\"refund_cents\":%lld,\"kept_cents\":%lld,\"percent\":%lld}",
                    (long long)v.cancel_today.refund_cents, (long long)v.cancel_today.kept_cents,
                    (long long)v.cancel_today.percent);
    else
        buf_append_str(b, "null");
    buf_append_str(b, ",\"refund_policy\":");
    api_write_refund_policy(b, &v.policy);
    int64_t basis = v.paid_cents > 0 ? v.paid_cents : v.price_cents;
    buf_appendf(b, ",\"refund_schedule_paid_cents\":%lld,\"refund_schedule\":", (long long)basis);
    api_write_refund_schedule(b, &v.policy, v.start_day, basis, v.fee_cents);
    buf_append_str(b, ",\"payments\":[");
    for (size_t i = 0; i < np; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        api_write_payment(b, &payments[i]);
    }
    buf_append_str(b, "],\"refunds\":[");
    for (size_t i = 0; i < nr; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        api_write_refund(b, &refunds[i]);
    }
    buf_append_str(b, "]}");
    return 0;
}

int api_month_param(struct http_request *req, bool last, const char **month)
{
    const char *m = NULL;
    if (api_query_param(req, "month", &m) != 0)
        return -1;
    if (m == NULL) {
        char today[11];
        clock_today(today);
        if (last) {
            /* The day before the first of this month is in last month. */
            int32_t first = clock_today_days() - (int32_t)((today[8] - '0') * 10 + (today[9] - '0')) + 1;
            clock_date_from_days(first - 1, today);
        }
        char *text = arena_alloc(&req->arena, 8);
        if (text == NULL) {
            http_reply_error(req, ERR_INTERNAL, NULL, NULL);
            return -1;
        }
        snprintf(text, 8, "%.7s", today);
        *month = text;
        return 0;
    }
    char probe[11];
    snprintf(probe, sizeof(probe), "%.7s-01", m);
    if (strlen(m) != 7 || !json_date_valid(probe)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "month", "must be a month YYYY-MM");
        return -1;
    }
    *month = m;
    return 0;
}
