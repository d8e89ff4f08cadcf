/* money_check.c — the statement check of `rounds ledger check`: each
 * application's money as its pages show it (price, paid, payments, refunds
 * owed and sent) against its ledger accounts, and each provider's payments
 * and refunds against its clearing account; see money.h. The book itself
 * (balanced transactions, running balances) is checked by ledger.c in the
 * same walk that collects the balances compared here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/money_internal.h"

/* An application's ledger balances, found by id in an open-addressing table. */
struct app_balances {
    const char *application_id;
    int64_t receivable, deferred, refunds_payable;
};

struct balances {
    struct arena *arena;
    struct app_balances *slots;
    size_t size, used;
    int64_t clearing[PAYMENT_METHOD_COUNT];
    bool failed;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct app_balances *find(struct balances *b, const char *id, bool add)
{
    if (b->size == 0)
        return NULL;
    for (size_t i = hash(id) & (b->size - 1);; i = (i + 1) & (b->size - 1)) {
        if (b->slots[i].application_id == NULL) {
            if (!add)
                return NULL;
            b->slots[i].application_id = arena_strdup(b->arena, id);
            b->used++;
            return b->slots[i].application_id != NULL ? &b->slots[i] : NULL;
        }
        if (strcmp(b->slots[i].application_id, id) == 0)
            return &b->slots[i];
    }
}

/* Collects the balances of the accounts the check compares (called once per account, by ledger.c). */
static void on_balance(void *ctx, const char *account, int64_t balance)
{
    struct balances *b = ctx;
    enum ledger_account_kind kind;
    const char *colon = strchr(account, ':');
    if (!ledger_account_kind_of(account, &kind) || colon == NULL)
        return;
    if (kind == LEDGER_CLEARING) {
        enum payment_method method;
        if (payment_method_from_name(colon + 1, &method))
            b->clearing[method] = balance;
        return;
    }
    if (kind != LEDGER_RECEIVABLE && kind != LEDGER_DEFERRED && kind != LEDGER_REFUNDS_PAYABLE)
        return;
    if (b->used * 2 >= b->size) {
        b->failed = true; /* more accounts than the table was sized for: the counts changed under us */
        return;
    }
    struct app_balances *a = find(b, colon + 1, true);
    if (a == NULL) {
        b->failed = true;
        return;
    }
    if (kind == LEDGER_RECEIVABLE)
        a->receivable = balance;
    else if (kind == LEDGER_DEFERRED)
        a->deferred = balance;
    else
        a->refunds_payable = balance;
}

struct compare {
    struct balances *balances;
    struct ledger_check_report *report;
};

static void mismatch(struct ledger_check_report *r, const char *application_id, const char *what, long long shown,
                     const char *account_kind, long long in_ledger)
{
    if (!r->ok)
        return;
    r->ok = false;
    snprintf(r->problem, sizeof(r->problem),
             "application %s: its pages show %s of %lld cents, but its ledger account %s:%s says %lld", application_id,
             what, shown, account_kind, application_id, in_ledger);
}

static void compare_row(void *ctx, const struct store_money_row *row)
{
    struct compare *c = ctx;
    struct ledger_check_report *r = c->report;
    r->statements++;
    struct app_balances none = {0};
    struct app_balances *b = find(c->balances, row->application_id, false);
    if (b == NULL)
        b = &none;
    bool live = application_status_takes_seat(application_status_parse(row->status)) && row->price_cents > 0;
    long long still_due = live ? (long long)(row->price_cents - row->paid_cents) : 0;
    long long unearned = live && !row->started ? -(long long)row->price_cents : 0;
    if (b->receivable != still_due)
        mismatch(r, row->application_id, "a balance still due", still_due, "receivable", (long long)b->receivable);
    else if (b->deferred != unearned)
        mismatch(r, row->application_id, "an unearned price", unearned, "deferred", (long long)b->deferred);
    else if (b->refunds_payable != -row->refunds_owed_cents)
        mismatch(r, row->application_id, "refunds owed", (long long)row->refunds_owed_cents, "refunds_payable",
                 (long long)-b->refunds_payable);
    else if (row->payments_cents != row->paid_cents + row->overpaid_cents && r->ok) {
        r->ok = false;
        snprintf(r->problem, sizeof(r->problem),
                 "application %s: its payments add up to %lld cents, but it shows %lld paid and %lld paid over",
                 row->application_id, (long long)row->payments_cents, (long long)row->paid_cents,
                 (long long)row->overpaid_cents);
    } else if (row->refunds_owed_cents + row->refunds_sent_cents > row->payments_cents && r->ok) {
        r->ok = false;
        snprintf(r->problem, sizeof(r->problem), "application %s: %lld cents of refunds for %lld cents paid",
                 row->application_id, (long long)row->refunds_owed_cents + (long long)row->refunds_sent_cents,
                 (long long)row->payments_cents);
    }
}

/* Each provider's clearing account holds what its payments brought in less
 * its refunds (and, for the bank, the payouts sent from it). */
static int compare_providers(struct db_conn *conn, struct arena *arena, const struct balances *b,
                             struct ledger_check_report *r)
{
    struct store_provider_total *totals;
    size_t count = 0;
    int64_t payouts = 0;
    int rc = store_money_provider_totals(conn, arena, &totals, &count, &payouts);
    int64_t expected[PAYMENT_METHOD_COUNT] = {0};
    expected[PAYMENT_BANK_TRANSFER] = -payouts;
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        enum payment_method m;
        if (payment_method_from_name(totals[i].provider, &m))
            expected[m] += totals[i].received_cents - totals[i].refunded_cents;
    }
    for (int m = 0; rc == DB_OK && r->ok && m < PAYMENT_METHOD_COUNT; m++)
        if (expected[m] != b->clearing[m]) {
            r->ok = false;
            snprintf(r->problem, sizeof(r->problem),
                     "provider %s: its payments less refunds (and payouts) come to %lld cents, but the ledger "
                     "account clearing:%s holds %lld",
                     payment_method_name((enum payment_method)m), (long long)expected[m],
                     payment_method_name((enum payment_method)m), (long long)b->clearing[m]);
        }
    return rc;
}

int money_check_statements(struct db_conn *conn, struct arena *arena, struct ledger_check_report *report)
{
    int64_t transactions = 0, entries = 0, accounts = 0;
    int rc = store_ledger_counts(conn, &transactions, &entries, &accounts);
    if (rc != DB_OK)
        return rc;
    struct balances b = {.arena = arena, .size = 64};
    while (b.size < (size_t)accounts * 2 + 64)
        b.size *= 2;
    b.slots = calloc(b.size, sizeof(*b.slots));
    if (b.slots == NULL)
        return DB_ERROR;
    rc = ledger_check_with_balances(conn, arena, report, on_balance, &b);
    if (rc == DB_OK && b.failed) {
        report->ok = false;
        snprintf(report->problem, sizeof(report->problem), "the ledger changed while it was being checked; run it again");
    }
    struct compare c = {&b, report};
    if (rc == DB_OK && report->ok)
        rc = store_money_rows(conn, compare_row, &c);
    if (rc == DB_OK && report->ok)
        rc = compare_providers(conn, arena, &b, report);
    free(b.slots);
    return rc;
}
