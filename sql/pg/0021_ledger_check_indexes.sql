-- 0021 ledger check indexes: `rounds ledger check` reads the ledger from
-- indexes alone (index-only scans), never the table (1,000,000 entries in
-- well under a second). The unique key stays (account, account_seq); the
-- columns the check and a posting read ride along in INCLUDE.

-- serves: the check's walk of every account in position order (store_ledger_walk),
-- the latest entry of an account when posting (its position and balance), and the
-- uniqueness of an account's positions
CREATE UNIQUE INDEX ledger_entries_by_account_covering ON ledger_entries (account, account_seq)
    INCLUDE (amount_cents, balance_cents, transaction_id, id);
DROP INDEX ledger_entries_by_account;
ALTER INDEX ledger_entries_by_account_covering RENAME TO ledger_entries_by_account;

-- serves: the check's sum of each transaction's entries (store_ledger_first_unbalanced), and a transaction's entries
DROP INDEX ledger_entries_by_transaction;
CREATE INDEX ledger_entries_by_transaction ON ledger_entries (transaction_id) INCLUDE (amount_cents, id);
