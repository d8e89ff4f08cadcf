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

/* Transaction ids whose entries the check sums in memory while it walks the
 * accounts (9 bytes each: 151 MB at the most). Past it, the sums are one more
 * pass of the database (store_ledger_first_unbalanced). */
enum { LEDGER_CHECK_MEMORY_TRANSACTIONS = 1 << 24 };

/* Per transaction id (index id - 1): the sum of its entries and how many (up to 2). */
struct transaction_totals {
    int64_t *sums;
    uint8_t *counts;
    int64_t last;
};

struct walk_state {
    struct transaction_totals totals; /* sums NULL: summed by the database instead */
    char account[LEDGER_ACCOUNT_MAX + 1];
    int64_t seq, balance;
    bool have_account, known_kind;
    enum ledger_account_kind kind;
    struct ledger_check_report *report;
    void (*on_balance)(void *ctx, enum ledger_account_kind kind, const char *owner, int64_t balance);
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

/* The account the walk was on is done: its balance to the caller. */
static void walk_end_account(struct walk_state *w)
{
    if (w->have_account && w->known_kind && w->on_balance != NULL) {
        const char *colon = strchr(w->account, ':');
        w->on_balance(w->ctx, w->kind, colon != NULL ? colon + 1 : "", w->balance);
    }
}

/* The walk's next account begins: its kind is looked up once, not per entry. */
static void walk_new_account(struct walk_state *w, const char *account)
{
    walk_end_account(w);
    snprintf(w->account, sizeof(w->account), "%s", account);
    w->have_account = true;
    w->seq = 0;
    w->balance = 0;
    w->known_kind = strlen(account) < sizeof(w->account) && ledger_account_kind_of(account, &w->kind);
    w->report->accounts++;
}

/* One entry, in (account, position) order: the per-entry work is two comparisons. */
static void walk_row(void *ctx, const struct store_ledger_walk_row *row)
{
    struct walk_state *w = ctx;
    const char *account = row->account != NULL ? row->account : "";
    if (!w->have_account || strcmp(w->account, account) != 0)
        walk_new_account(w, account);
    long long expected = (long long)w->balance + (long long)row->amount_cents;
    struct transaction_totals *t = &w->totals;
    bool orphan = false;
    if (t->sums != NULL && row->transaction_id >= 1 && row->transaction_id <= t->last) {
        t->sums[row->transaction_id - 1] += row->amount_cents;
        if (t->counts[row->transaction_id - 1] < 2)
            t->counts[row->transaction_id - 1]++;
    } else if (t->sums != NULL) {
        orphan = true; /* the foreign key forbids it; a database edited by hand may not */
    }
    if (orphan || !w->known_kind || row->account_seq != w->seq + 1 || row->balance_cents != expected) {
        char detail[512];
        if (orphan)
            snprintf(detail, sizeof(detail), "entry %lld names transaction %lld, which does not exist",
                     (long long)row->entry_id, (long long)row->transaction_id);
        else if (!w->known_kind)
            snprintf(detail, sizeof(detail), "entry %lld (transaction %lld) posts to an unknown account \"%.80s\"",
                     (long long)row->entry_id, (long long)row->transaction_id, account);
        else if (row->account_seq != w->seq + 1)
            snprintf(detail, sizeof(detail),
                     "entry %lld (transaction %lld, account %.80s) is at position %lld, but the account's previous "
                     "entry is at %lld",
                     (long long)row->entry_id, (long long)row->transaction_id, account, (long long)row->account_seq,
                     (long long)w->seq);
        else
            snprintf(detail, sizeof(detail),
                     "entry %lld (transaction %lld, account %.80s) says the balance is %lld cents, but the account's "
                     "entries up to it sum to %lld",
                     (long long)row->entry_id, (long long)row->transaction_id, account, (long long)row->balance_cents,
                     expected);
        note_broken_entry(w->report, row->entry_id, row->transaction_id, detail);
    }
    /* Go on from what the entry says, so that one bad entry is named once. */
    w->seq = row->account_seq;
    w->balance = expected;
}

/* A transaction that does not balance (first_entry 0: it has no entries), into the report. */
static void note_transaction(struct ledger_check_report *report, int64_t transaction, int64_t first_entry, int64_t sum,
                             int64_t entries)
{
    char detail[512];
    if (entries == 0)
        snprintf(detail, sizeof(detail), "transaction %lld has no entries", (long long)transaction);
    else if (sum != 0)
        snprintf(detail, sizeof(detail), "entry %lld: transaction %lld does not balance (its %lld entries sum to %lld cents)",
                 (long long)first_entry, (long long)transaction, (long long)entries, (long long)sum);
    else
        snprintf(detail, sizeof(detail), "entry %lld: transaction %lld has a single entry", (long long)first_entry,
                 (long long)transaction);
    /* A transaction without entries has none to name: any broken entry comes first. */
    note_broken_entry(report, first_entry > 0 ? first_entry : INT64_MAX, transaction, detail);
}

/* The first transaction that does not balance (or has no entries, or only one), summed by the database. */
static int check_transactions_in_database(struct db_conn *conn, struct ledger_check_report *report)
{
    int64_t transaction = 0, first_entry = 0, sum = 0, entries = 0;
    int rc = store_ledger_first_unbalanced(conn, report->transactions, &transaction, &first_entry, &sum, &entries);
    if (rc == DB_ROW)
        note_transaction(report, transaction, first_entry, sum, entries);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The same from the sums the walk made: the first transaction with entries that do not
 * balance or with one entry, and (when fewer have entries than exist) the first empty one. */
static int check_transactions_in_memory(struct db_conn *conn, struct ledger_check_report *report,
                                        const struct transaction_totals *t)
{
    int64_t seen = 0, broken = 0;
    for (int64_t i = 0; i < t->last; i++)
        if (t->counts[i] != 0) {
            seen++;
            if (broken == 0 && (t->sums[i] != 0 || t->counts[i] < 2))
                broken = i + 1;
        }
    int rc = DB_OK;
    int64_t empty = 0;
    if (seen < report->transactions) {
        rc = store_ledger_first_empty_transaction(conn, &empty);
        if (rc == DB_ROW)
            note_transaction(report, empty, 0, 0, 0);
        rc = rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
    }
    if (rc == DB_OK && broken != 0) {
        int64_t first_entry = 0, sum = 0, entries = 0;
        rc = store_ledger_transaction_totals(conn, broken, &first_entry, &sum, &entries);
        if (rc == DB_OK)
            note_transaction(report, broken, first_entry, sum, entries);
    }
    return rc;
}

int ledger_check(struct db_conn *conn, struct ledger_check_report *report)
{
    return ledger_check_with_balances(conn, report, NULL, NULL);
}

int ledger_check_with_balances(struct db_conn *conn, struct ledger_check_report *report,
                               void (*on_balance)(void *ctx, enum ledger_account_kind kind, const char *owner,
                                                  int64_t balance),
                               void *ctx)
{
    memset(report, 0, sizeof(*report));
    report->ok = true;
    struct walk_state w = {.report = report, .on_balance = on_balance, .ctx = ctx};
    int rc = store_ledger_counts(conn, &report->transactions, &report->entries, &w.totals.last);
    if (rc == DB_OK && w.totals.last <= LEDGER_CHECK_MEMORY_TRANSACTIONS) {
        w.totals.sums = calloc((size_t)w.totals.last + 1, sizeof(*w.totals.sums));
        w.totals.counts = calloc((size_t)w.totals.last + 1, sizeof(*w.totals.counts));
    }
    if (w.totals.sums == NULL || w.totals.counts == NULL) {
        free(w.totals.sums);
        free(w.totals.counts);
        w.totals.sums = NULL;
        if (rc == DB_OK)
            rc = check_transactions_in_database(conn, report);
    }
    if (rc == DB_OK)
        rc = store_ledger_walk(conn, walk_row, &w);
    if (rc == DB_OK)
        walk_end_account(&w);
    if (rc == DB_OK && w.totals.sums != NULL)
        rc = check_transactions_in_memory(conn, report, &w.totals);
    if (w.totals.sums != NULL) {
        free(w.totals.sums);
        free(w.totals.counts);
    }
    if (report->broken_entry == INT64_MAX)
        report->broken_entry = 0;
    return rc;
}
