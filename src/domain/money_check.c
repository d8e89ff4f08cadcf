/* money_check.c — the statement check of `rounds ledger check`: each
 * application's money as its pages show it (price, paid, payments, refunds
 * owed and sent) against its ledger accounts, and each provider's payments
 * and refunds against its clearing account; see money.h. The book itself
 * (balanced transactions, running balances) is checked by ledger.c in the
 * same walk that hands over the balances compared here: the applications are
 * loaded first and found by id in a hash table as their accounts go by. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/money_internal.h"

/* An application's statement as its pages show it, and its ledger balances. */
struct statement {
    struct store_money_row row;
    int64_t receivable, deferred, refunds_payable;
};

/* The statements, found by application id through slots (index + 1; 0: empty). */
struct statements {
    struct arena *arena;
    struct statement *items;
    size_t count, capacity;
    uint32_t *slots;
    size_t mask;
    bool failed;
    int64_t clearing[PAYMENT_METHOD_COUNT];
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void collect_row(void *ctx, const struct store_money_row *row)
{
    struct statements *t = ctx;
    if (t->failed)
        return;
    if (t->count == t->capacity) {
        size_t capacity = t->capacity != 0 ? t->capacity * 2 : 1024;
        struct statement *grown = capacity < UINT32_MAX ? realloc(t->items, capacity * sizeof(*grown)) : NULL;
        if (grown == NULL) {
            t->failed = true;
            return;
        }
        t->items = grown;
        t->capacity = capacity;
    }
    struct statement *s = &t->items[t->count];
    *s = (struct statement){.row = *row};
    s->row.application_id = arena_strdup(t->arena, row->application_id != NULL ? row->application_id : "");
    s->row.status = arena_strdup(t->arena, row->status != NULL ? row->status : "");
    if (s->row.application_id == NULL || s->row.status == NULL)
        t->failed = true;
    else
        t->count++;
}

/* The hash table over the loaded statements: at most half full. */
static bool index_statements(struct statements *t)
{
    size_t size = 64;
    while (size < t->count * 2)
        size *= 2;
    t->slots = calloc(size, sizeof(*t->slots));
    if (t->slots == NULL)
        return false;
    t->mask = size - 1;
    for (size_t i = 0; i < t->count; i++) {
        size_t j = hash(t->items[i].row.application_id) & t->mask;
        while (t->slots[j] != 0)
            j = (j + 1) & t->mask;
        t->slots[j] = (uint32_t)(i + 1);
    }
    return true;
}

static struct statement *find(const struct statements *t, const char *id)
{
    for (size_t j = hash(id) & t->mask; t->slots[j] != 0; j = (j + 1) & t->mask) {
        struct statement *s = &t->items[t->slots[j] - 1];
        if (strcmp(s->row.application_id, id) == 0)
            return s;
    }
    return NULL;
}

/* Each account's final balance, from the check's walk: the ones the statements show are kept. */
static void on_balance(void *ctx, enum ledger_account_kind kind, const char *owner, int64_t balance)
{
    struct statements *t = ctx;
    if (kind == LEDGER_CLEARING) {
        enum payment_method method;
        if (payment_method_from_name(owner, &method))
            t->clearing[method] = balance;
        return;
    }
    if (kind != LEDGER_RECEIVABLE && kind != LEDGER_DEFERRED && kind != LEDGER_REFUNDS_PAYABLE)
        return;
    struct statement *s = find(t, owner);
    if (s == NULL)
        return; /* an application that shows no money: compared by nothing */
    if (kind == LEDGER_RECEIVABLE)
        s->receivable = balance;
    else if (kind == LEDGER_DEFERRED)
        s->deferred = balance;
    else
        s->refunds_payable = balance;
}

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

/* One application's statement against its accounts' balances. */
static void compare_statement(struct ledger_check_report *r, const struct statement *s)
{
    const struct store_money_row *row = &s->row;
    r->statements++;
    bool live = application_status_takes_seat(application_status_parse(row->status)) && row->price_cents > 0;
    long long still_due = live ? (long long)(row->price_cents - row->paid_cents) : 0;
    long long unearned = live && !row->started ? -(long long)row->price_cents : 0;
    if (s->receivable != still_due)
        mismatch(r, row->application_id, "a balance still due", still_due, "receivable",
                 (long long)s->receivable);
    else if (s->deferred != unearned)
        mismatch(r, row->application_id, "an unearned price", unearned, "deferred", (long long)s->deferred);
    else if (s->refunds_payable != -row->refunds_owed_cents)
        mismatch(r, row->application_id, "refunds owed", (long long)row->refunds_owed_cents, "refunds_payable",
                 (long long)-s->refunds_payable);
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
static int compare_providers(struct db_conn *conn, struct arena *arena, const struct statements *t,
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
        if (expected[m] != t->clearing[m]) {
            const char *name = payment_method_name((enum payment_method)m);
            r->ok = false;
            snprintf(r->problem, sizeof(r->problem),
                     "provider %s: its payments less refunds (and payouts) come to %lld cents, but the ledger "
                     "account clearing:%s holds %lld",
                     name, (long long)expected[m], name, (long long)t->clearing[m]);
        }
    return rc;
}

struct check_ctx {
    struct arena *arena;
    struct ledger_check_report *report;
};

/* The whole check in one read transaction: the book, the statements and the
 * providers as of one moment, while the server goes on taking payments. */
static int check_tx(struct db_conn *conn, void *p)
{
    struct check_ctx *c = p;
    struct ledger_check_report *report = c->report;
    struct statements t = {.arena = c->arena};
    int rc = store_ledger_snapshot(conn);
    if (rc == DB_OK)
        rc = store_money_rows(conn, collect_row, &t);
    if (rc == DB_OK && (t.failed || !index_statements(&t)))
        rc = DB_ERROR; /* out of memory */
    if (rc == DB_OK)
        rc = ledger_check_with_balances(conn, report, on_balance, &t);
    for (size_t i = 0; rc == DB_OK && report->ok && i < t.count; i++)
        compare_statement(report, &t.items[i]);
    if (rc == DB_OK && report->ok)
        rc = compare_providers(conn, c->arena, &t, report);
    free(t.slots);
    free(t.items);
    return rc;
}

int money_check_statements(struct db_conn *conn, struct arena *arena, struct ledger_check_report *report)
{
    memset(report, 0, sizeof(*report));
    struct check_ctx c = {arena, report};
    return db_run_tx(conn, false, check_tx, &c);
}
