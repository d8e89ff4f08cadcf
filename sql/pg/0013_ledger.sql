-- 0013 ledger (PostgreSQL twin of sql/sqlite/0013_ledger.sql): the
-- double-entry book of every movement of money, in integer cents.
-- Append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE on both
-- tables, so a mistake is corrected by a reversing transaction. An entry's
-- amount is positive for a debit and negative for a credit; the entries of a
-- transaction sum to zero. Each entry also carries its account's running
-- balance and position (account_seq), which `rounds ledger check` verifies.

CREATE TABLE ledger_transactions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           TEXT NOT NULL,            -- charge, payment, cancel, release, earn, refund_sent, goodwill, payout, reversal
    application_id TEXT,                     -- NULL for a payout
    organization_id TEXT,                    -- the host, for payouts and earnings
    reference      TEXT NOT NULL DEFAULT '', -- the payment, refund or payout it records
    reverses_id    BIGINT REFERENCES ledger_transactions (id),
    memo           TEXT NOT NULL DEFAULT '',
    actor_id       TEXT,                     -- NULL: the system (webhook, sweeper)
    effective_on   TEXT NOT NULL,            -- the business date (YYYY-MM-DD, UTC)
    created_at     BIGINT NOT NULL
);
-- serves: an application's statement
CREATE INDEX ledger_transactions_by_application ON ledger_transactions (application_id, id);
-- serves: a host's earnings and payouts by month
CREATE INDEX ledger_transactions_by_organization ON ledger_transactions (organization_id, effective_on);

CREATE TABLE ledger_entries (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
    account        TEXT NOT NULL,            -- "kind" or "kind:owner" (receivable:a_…, clearing:stripe, host_payable:o_…)
    amount_cents   BIGINT NOT NULL CHECK (amount_cents <> 0),
    account_seq    BIGINT NOT NULL CHECK (account_seq >= 1),
    balance_cents  BIGINT NOT NULL           -- the account's balance after this entry
);
-- serves: the latest entry of an account (its balance and next seq) when posting, and the check's walk
CREATE UNIQUE INDEX ledger_entries_by_account ON ledger_entries (account, account_seq);
-- serves: a transaction's entries
CREATE INDEX ledger_entries_by_transaction ON ledger_entries (transaction_id);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END
$$;
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
