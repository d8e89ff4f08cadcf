/* ledger.c — posting balanced transactions and checking the book; see ledger.h. */
#include "domain/ledger.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/log.h"

static const char *const kind_names[LEDGER_ACCOUNT_KIND_COUNT] = {
    [LEDGER_RECEIVABLE] = "receivable",         [LEDGER_DEFERRED] = "deferred",
    [LEDGER_REFUNDS_PAYABLE] = "refunds_payable", [LEDGER_CLEARING] = "clearing",
    [LEDGER_HOST_PAYABLE] = "host_payable",     [LEDGER_REVENUE] = "revenue",
    [LEDGER_GOODWILL] = "goodwill",
};

const char *ledger_account_kind_name(enum ledger_account_kind kind)
{
    return kind < LEDGER_ACCOUNT_KIND_COUNT ? kind_names[kind] : "unknown";
}

const char *ledger_account_name(enum ledger_account_kind kind, const char *owner, char out[LEDGER_ACCOUNT_MAX])
{
    if (owner != NULL && owner[0] != '\0')
        snprintf(out, LEDGER_ACCOUNT_MAX, "%s:%s", ledger_account_kind_name(kind), owner);
    else
        snprintf(out, LEDGER_ACCOUNT_MAX, "%s", ledger_account_kind_name(kind));
    return out;
}

bool ledger_account_kind_of(const char *account, enum ledger_account_kind *kind)
{
    size_t n = strcspn(account, ":");
    for (int k = 0; k < LEDGER_ACCOUNT_KIND_COUNT; k++)
        if (strlen(kind_names[k]) == n && strncmp(kind_names[k], account, n) == 0) {
            *kind = (enum ledger_account_kind)k;
            return true;
        }
    return false;
}

void ledger_draft_init(struct ledger_draft *d)
{
    memset(d, 0, sizeof(*d));
}

void ledger_draft_add(struct ledger_draft *d, enum ledger_account_kind kind, const char *owner, int64_t amount)
{
    if (amount == 0)
        return;
    char name[LEDGER_ACCOUNT_MAX];
    ledger_account_name(kind, owner, name);
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->accounts[i], name) == 0) {
            d->amounts[i] += amount;
            return;
        }
    if (d->count == LEDGER_POSTINGS_MAX) {
        d->overflow = true;
        return;
    }
    memcpy(d->accounts[d->count], name, sizeof(name));
    d->amounts[d->count++] = amount;
}

void ledger_draft_move(struct ledger_draft *d, enum ledger_account_kind debit_kind, const char *debit_owner,
                       enum ledger_account_kind credit_kind, const char *credit_owner, int64_t amount)
{
    ledger_draft_add(d, debit_kind, debit_owner, amount);
    ledger_draft_add(d, credit_kind, credit_owner, -amount);
}

static int compare_postings(const void *a, const void *b)
{
    return strcmp(((const struct store_ledger_posting *)a)->account, ((const struct store_ledger_posting *)b)->account);
}

int ledger_post(struct db_conn *conn, struct store_ledger_transaction *t, const struct ledger_draft *d)
{
    struct store_ledger_posting postings[LEDGER_POSTINGS_MAX];
    size_t count = 0;
    int64_t sum = 0;
    t->id = 0;
    for (size_t i = 0; i < d->count; i++) {
        sum += d->amounts[i];
        if (d->amounts[i] != 0)
            postings[count++] = (struct store_ledger_posting){d->accounts[i], d->amounts[i]};
    }
    if (d->overflow || sum != 0) {
        log_error("msg=\"refused an unbalanced ledger transaction (a bug)\" kind=%s application=%s sum=%lld "
                  "overflow=%d",
                  t->kind, t->application_id != NULL ? t->application_id : "-", (long long)sum, d->overflow);
        return DB_ERROR;
    }
    if (count == 0)
        return DB_OK;
    /* The same account order in every transaction: concurrent postings wait rather than deadlock. */
    qsort(postings, count, sizeof(postings[0]), compare_postings);
    char today[11];
    if (t->created_at == 0)
        t->created_at = clock_now();
    if (t->effective_on == NULL) {
        clock_date_from_days((int32_t)(t->created_at / 86400), today);
        t->effective_on = today;
    }
    int rc = store_ledger_append(conn, t, postings, count);
    if (t->effective_on == today)
        t->effective_on = NULL; /* not a pointer into this frame once we return */
    return rc;
}

int ledger_balance(struct db_conn *conn, enum ledger_account_kind kind, const char *owner, int64_t *balance)
{
    char name[LEDGER_ACCOUNT_MAX];
    return store_ledger_balance(conn, ledger_account_name(kind, owner, name), balance);
}

/* ---- the check ---- */

struct walk_state {
    char account[256];
    int64_t seq, balance;
    bool have_account;
    struct ledger_check_report *report;
    void (*on_balance)(void *ctx, const char *account, int64_t balance);
    void *ctx;
};

static void note_broken_entry(struct ledger_check_report *r, int64_t entry, int64_t transaction, const char *detail)
{
    if (!r->ok && r->broken_entry != 0 && r->broken_entry <= entry)
        return; /* an earlier entry is already named */
    r->ok = false;
    r->broken_entry = entry;
    r->broken_transaction = transaction;
    snprintf(r->problem, sizeof(r->problem), "%s", detail);
}

static void walk_row(void *ctx, const struct store_ledger_walk_row *row)
{
    struct walk_state *w = ctx;
    const char *account = row->account != NULL ? row->account : "";
    if (!w->have_account || strcmp(w->account, account) != 0) {
        if (w->have_account && w->on_balance != NULL)
            w->on_balance(w->ctx, w->account, w->balance);
        snprintf(w->account, sizeof(w->account), "%s", account);
        w->have_account = true;
        w->seq = 0;
        w->balance = 0;
    }
    char detail[512];
    enum ledger_account_kind kind;
    if (!ledger_account_kind_of(account, &kind)) {
        snprintf(detail, sizeof(detail), "entry %lld (transaction %lld) posts to an unknown account \"%.80s\"",
                 (long long)row->entry_id, (long long)row->transaction_id, account);
        note_broken_entry(w->report, row->entry_id, row->transaction_id, detail);
    } else if (row->account_seq != w->seq + 1) {
        snprintf(detail, sizeof(detail),
                 "entry %lld (transaction %lld, account %.80s) is at position %lld, but the account's previous "
                 "entry is at %lld",
                 (long long)row->entry_id, (long long)row->transaction_id, account, (long long)row->account_seq,
                 (long long)w->seq);
        note_broken_entry(w->report, row->entry_id, row->transaction_id, detail);
    } else if (row->balance_cents != w->balance + row->amount_cents) {
        long long expected = (long long)w->balance + (long long)row->amount_cents;
        snprintf(detail, sizeof(detail),
                 "entry %lld (transaction %lld, account %.80s) says the balance is %lld cents, but the account's "
                 "entries up to it sum to %lld",
                 (long long)row->entry_id, (long long)row->transaction_id, account, (long long)row->balance_cents,
                 expected);
        note_broken_entry(w->report, row->entry_id, row->transaction_id, detail);
    }
    /* Go on from what the entry says, so that one bad entry is named once. */
    w->seq = row->account_seq;
    w->balance += row->amount_cents;
}

int ledger_check(struct db_conn *conn, struct arena *arena, struct ledger_check_report *report)
{
    return ledger_check_with_balances(conn, arena, report, NULL, NULL);
}

int ledger_check_with_balances(struct db_conn *conn, struct arena *arena, struct ledger_check_report *report,
                               void (*on_balance)(void *ctx, const char *account, int64_t balance), void *ctx)
{
    (void)arena;
    memset(report, 0, sizeof(*report));
    report->ok = true;
    int rc = store_ledger_counts(conn, &report->transactions, &report->entries, &report->accounts);
    if (rc != DB_OK)
        return rc;
    int64_t transaction = 0, first_entry = 0, sum = 0, entries = 0;
    rc = store_ledger_first_unbalanced(conn, &transaction, &first_entry, &sum, &entries);
    if (rc == DB_ROW) {
        char detail[512];
        if (entries == 0)
            snprintf(detail, sizeof(detail), "transaction %lld has no entries", (long long)transaction);
        else if (sum != 0)
            snprintf(detail, sizeof(detail),
                     "entry %lld: transaction %lld does not balance (its %lld entries sum to %lld cents)",
                     (long long)first_entry, (long long)transaction, (long long)entries, (long long)sum);
        else
            snprintf(detail, sizeof(detail), "entry %lld: transaction %lld has a single entry",
                     (long long)first_entry, (long long)transaction);
        /* A transaction without entries has none to name: any broken entry comes first. */
        note_broken_entry(report, first_entry > 0 ? first_entry : INT64_MAX, transaction, detail);
    } else if (rc != DB_DONE) {
        return rc;
    }
    struct walk_state w = {.report = report, .on_balance = on_balance, .ctx = ctx};
    rc = store_ledger_walk(conn, walk_row, &w);
    if (rc == DB_OK && w.have_account && on_balance != NULL)
        on_balance(ctx, w.account, w.balance);
    if (report->broken_entry == INT64_MAX)
        report->broken_entry = 0;
    return rc;
}
