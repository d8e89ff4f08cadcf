-- 0013 ledger: the double-entry book of every movement of money, in integer
-- cents. Append-only: the triggers below refuse UPDATE and DELETE on both
-- tables, so a mistake is corrected by a reversing transaction. An entry's
-- amount is positive for a debit and negative for a credit; the entries of a
-- transaction sum to zero. Each entry also carries its account's running
-- balance and position (account_seq), which `rounds ledger check` verifies.

CREATE TABLE ledger_transactions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL,            -- charge, payment, cancel, release, earn, refund_sent, goodwill, payout, reversal
    application_id TEXT,                     -- NULL for a payout
    organization_id TEXT,                    -- the host, for payouts and earnings
    reference      TEXT NOT NULL DEFAULT '', -- the payment, refund or payout it records
    reverses_id    INTEGER REFERENCES ledger_transactions (id),
    memo           TEXT NOT NULL DEFAULT '',
    actor_id       TEXT,                     -- NULL: the system (webhook, sweeper)
    effective_on   TEXT NOT NULL,            -- the business date (YYYY-MM-DD, UTC)
    created_at     INTEGER NOT NULL
);
-- serves: an application's statement
CREATE INDEX ledger_transactions_by_application ON ledger_transactions (application_id, id);
-- serves: a host's earnings and payouts by month
CREATE INDEX ledger_transactions_by_organization ON ledger_transactions (organization_id, effective_on);

CREATE TABLE ledger_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id INTEGER NOT NULL REFERENCES ledger_transactions (id),
    account        TEXT NOT NULL,            -- "kind" or "kind:owner" (receivable:a_…, clearing:stripe, host_payable:o_…)
    amount_cents   INTEGER NOT NULL CHECK (amount_cents <> 0),
    account_seq    INTEGER NOT NULL CHECK (account_seq >= 1),
    balance_cents  INTEGER NOT NULL          -- the account's balance after this entry
);
-- serves: the latest entry of an account (its balance and next seq) when posting, and the check's walk
CREATE UNIQUE INDEX ledger_entries_by_account ON ledger_entries (account, account_seq);
-- serves: a transaction's entries
CREATE INDEX ledger_entries_by_transaction ON ledger_entries (transaction_id);

CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger_transactions is append-only'); END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger_transactions is append-only'); END;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
