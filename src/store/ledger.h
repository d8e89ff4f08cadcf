/* ledger.h — the store's side of the double-entry ledger (sql/…/0013_ledger.sql):
 * appending a transaction with its entries, reading balances and an
 * application's lines, and the queries `rounds ledger check` walks. Nothing
 * here updates or deletes: the tables are append-only (triggers refuse it). */
#ifndef ROUNDS_STORE_LEDGER_H
#define ROUNDS_STORE_LEDGER_H

#include "store/store.h"

struct store_ledger_posting {
    const char *account;
    int64_t amount_cents; /* > 0 debit, < 0 credit, never 0 */
};

struct store_ledger_transaction {
    int64_t id; /* set by store_ledger_append */
    const char *kind, *application_id, *organization_id, *reference, *memo, *actor_id, *effective_on;
    int64_t reverses_id; /* 0: none */
    int64_t created_at;
};

/* Appends t and its postings in the caller's transaction, each entry with its
 * account's next position and running balance; t->id is set. Postings must
 * name distinct accounts, sorted (a consistent lock order). DB_RETRY when a
 * concurrent transaction took an account's next position first. */
int store_ledger_append(struct db_conn *conn, struct store_ledger_transaction *t,
                        const struct store_ledger_posting *postings, size_t count);

/* The account's balance (0 when it has no entries). */
int store_ledger_balance(struct db_conn *conn, const char *account, int64_t *balance);

/* One entry with its transaction, for statements. */
struct store_ledger_line {
    int64_t transaction_id, entry_id, amount_cents, created_at;
    const char *kind, *reference, *memo, *effective_on, *account, *actor_id;
};
/* The entries of an application's transactions, oldest first (at most 2,000). */
int store_ledger_lines_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                      struct store_ledger_line **out, size_t *count);

/* ---- the check ---- */

/* Counts of transactions, entries and accounts. */
int store_ledger_counts(struct db_conn *conn, int64_t *transactions, int64_t *entries, int64_t *accounts);
/* The first transaction (by id) whose entries do not sum to zero or that has
 * fewer than two entries: DB_ROW with its id, its first entry's id (0 when it
 * has none), the sum and the number of entries; DB_DONE when there is none. */
int store_ledger_first_unbalanced(struct db_conn *conn, int64_t *transaction_id, int64_t *first_entry_id,
                                  int64_t *sum, int64_t *entries);

/* Every entry in (account, account_seq) order, to fn (strings valid during the call). */
struct store_ledger_walk_row {
    int64_t entry_id, transaction_id, amount_cents, account_seq, balance_cents;
    const char *account;
};
int store_ledger_walk(struct db_conn *conn, void (*fn)(void *ctx, const struct store_ledger_walk_row *row),
                      void *ctx);

#endif
