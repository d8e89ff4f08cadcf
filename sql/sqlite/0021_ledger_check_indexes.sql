-- 0021 ledger check indexes: `rounds ledger check` reads the ledger from
-- indexes alone, never the table (1,000,000 entries in well under a second).
-- SQLite has no INCLUDE, and the unique key must stay (account, account_seq):
-- the covering index sits beside it.

-- serves: the check's walk of every account in position order (store_ledger_walk),
-- and the latest entry of an account when posting (its position and balance)
CREATE INDEX ledger_entries_walk ON ledger_entries (account, account_seq, amount_cents, balance_cents, transaction_id);

-- serves: the check's sum of each transaction's entries (store_ledger_first_unbalanced), and a transaction's entries
DROP INDEX ledger_entries_by_transaction;
CREATE INDEX ledger_entries_by_transaction ON ledger_entries (transaction_id, amount_cents);
