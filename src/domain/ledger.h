/* ledger.h — the double-entry ledger of Rounds' money (DESIGN.md §2): every
 * business event (charge due, payment received, cancellation or release,
 * refund, the host's share earned, payout) posts one balanced transaction in
 * the same database transaction as the state change it belongs to. Amounts
 * are integer cents, positive for a debit and negative for a credit.
 *
 * Accounts are named "kind" or "kind:owner":
 *   receivable:<application>      asset     what the student still owes for a booking
 *   deferred:<application>        liability the price of a booking not yet earned (until the start)
 *   refunds_payable:<application> liability money owed back to the student (refunds, over-payments)
 *   clearing:<provider>           asset     money held at a provider (stripe, bank_transfer, demo)
 *   host_payable:<organisation>   liability the host's share, owed until paid out
 *   revenue                       income    the platform fee (and the platform's share of what is kept)
 *   goodwill                      expense   refunds staff grant beyond the policy
 *
 * The ledger tables are append-only; a mistake is corrected by a reversing
 * transaction (ledger_reverse). `rounds ledger check` (ledger_check) proves
 * that every transaction balances and every running balance is the sum of
 * its account's entries; the money module then compares each application's
 * statement with what its pages show. */
#ifndef ROUNDS_DOMAIN_LEDGER_H
#define ROUNDS_DOMAIN_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/ledger.h"

enum ledger_account_kind {
    LEDGER_RECEIVABLE,
    LEDGER_DEFERRED,
    LEDGER_REFUNDS_PAYABLE,
    LEDGER_CLEARING,
    LEDGER_HOST_PAYABLE,
    LEDGER_REVENUE,
    LEDGER_GOODWILL,
    LEDGER_ACCOUNT_KIND_COUNT
};

enum {
    LEDGER_ACCOUNT_MAX = 96,     /* bytes of an account name */
    LEDGER_POSTINGS_MAX = 12,    /* accounts one transaction touches */
};

/* "receivable", "clearing", … */
const char *ledger_account_kind_name(enum ledger_account_kind kind);
/* The account's name into out[LEDGER_ACCOUNT_MAX]: "receivable:a_…", "revenue". */
const char *ledger_account_name(enum ledger_account_kind kind, const char *owner, char out[LEDGER_ACCOUNT_MAX]);
/* The kind of a named account; false when the name is not one of ours. */
bool ledger_account_kind_of(const char *account, enum ledger_account_kind *kind);

/* A transaction being put together: postings to the same account add up. */
struct ledger_draft {
    char accounts[LEDGER_POSTINGS_MAX][LEDGER_ACCOUNT_MAX];
    int64_t amounts[LEDGER_POSTINGS_MAX];
    size_t count;
    bool overflow;
};

void ledger_draft_init(struct ledger_draft *d);
/* Adds amount (debit > 0, credit < 0; 0 is ignored) to kind:owner. */
void ledger_draft_add(struct ledger_draft *d, enum ledger_account_kind kind, const char *owner, int64_t amount);
/* Debit one account and credit another by amount (nothing when amount is 0). */
void ledger_draft_move(struct ledger_draft *d, enum ledger_account_kind debit_kind, const char *debit_owner,
                       enum ledger_account_kind credit_kind, const char *credit_owner, int64_t amount);

/* Posts the draft as transaction t in the caller's database transaction
 * (t->created_at and t->effective_on default to now). A draft that nets to
 * nothing posts nothing (DB_OK, t->id 0). A draft that does not balance is a
 * bug: logged loudly and refused with DB_ERROR. DB_RETRY as the store says. */
int ledger_post(struct db_conn *conn, struct store_ledger_transaction *t, const struct ledger_draft *d);

/* The balance of kind:owner. */
int ledger_balance(struct db_conn *conn, enum ledger_account_kind kind, const char *owner, int64_t *balance);

/* ---- the check ---- */

struct ledger_check_report {
    int64_t transactions, entries, accounts;
    int64_t statements;        /* applications whose statement was compared with their pages (money.h) */
    bool ok;
    int64_t broken_entry;      /* the first broken entry's id (0 when the problem has none) */
    int64_t broken_transaction;
    char problem[512];         /* the first problem, in words */
};

/* Checks the book: every transaction balances (and has two entries or
 * more), and every entry's account position and running balance follow from
 * the entries before it. DB_OK with report->ok telling the result (the first
 * problem, by entry id, in report->problem), or a database error. */
int ledger_check(struct db_conn *conn, struct arena *arena, struct ledger_check_report *report);
/* The same, handing each account's final balance to on_balance (in account order). */
int ledger_check_with_balances(struct db_conn *conn, struct arena *arena, struct ledger_check_report *report,
                               void (*on_balance)(void *ctx, const char *account, int64_t balance), void *ctx);

#endif
