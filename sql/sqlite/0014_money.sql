-- 0014 money: prices and schedule on offerings (the fee and deposit columns
-- of 0002 are kept, not duplicated; application_fee_cents is the platform
-- fee), the structured refund policy replacing the free text, the money
-- terms an application is held on, checkouts (a request to pay through a
-- provider), payments received, refunds, host payouts, and the provider
-- events already processed. Every amount is integer cents, in USD.

ALTER TABLE offerings ADD COLUMN deposit_percent INTEGER NOT NULL DEFAULT 0 CHECK (deposit_percent BETWEEN 0 AND 100);
ALTER TABLE offerings ADD COLUMN balance_due_days INTEGER NOT NULL DEFAULT 45 CHECK (balance_due_days BETWEEN 0 AND 365);
ALTER TABLE offerings ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency = 'USD');
ALTER TABLE offerings ADD COLUMN refund_policy TEXT NOT NULL DEFAULT ''; -- JSON {"tiers":[…]}; '' = the default policy
ALTER TABLE offerings DROP COLUMN cancellation_policy;

-- The terms fixed when the student accepts (the seat is held): what later
-- changes to the offering do not alter. paid_cents is what the student has
-- paid towards price_cents (over-payments are owed back, not counted here).
ALTER TABLE applications ADD COLUMN price_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN fee_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN deposit_due_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN balance_due_on TEXT;
ALTER TABLE applications ADD COLUMN refund_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN balance_reminders INTEGER NOT NULL DEFAULT 0; -- bits: 1 = 14 days, 2 = 3 days before
-- serves: the balance sweeper (reminders and releases of unpaid balances)
CREATE INDEX applications_balance_due ON applications (balance_due_on) WHERE status IN ('booked', 'cleared');

CREATE TABLE checkouts (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    provider       TEXT NOT NULL CHECK (provider IN ('stripe', 'bank_transfer', 'demo')),
    plan           TEXT NOT NULL CHECK (plan IN ('deposit', 'full', 'balance')),
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    status         TEXT NOT NULL CHECK (status IN ('open', 'paid', 'failed', 'expired')),
    reference      TEXT UNIQUE,              -- a bank transfer's reference (RND-XXXX-XXXX)
    provider_ref   TEXT UNIQUE,              -- Stripe's Checkout Session id
    redirect_url   TEXT,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    closed_at      INTEGER
);
-- serves: an application's checkouts
CREATE INDEX checkouts_by_application ON checkouts (application_id, created_at);
-- serves: the staff's open bank transfers
CREATE INDEX checkouts_open ON checkouts (provider, created_at) WHERE status = 'open';

CREATE TABLE payments (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    checkout_id    TEXT REFERENCES checkouts (id),
    provider       TEXT NOT NULL CHECK (provider IN ('stripe', 'bank_transfer', 'demo', 'manual')),
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0), -- what arrived
    expected_cents INTEGER NOT NULL,          -- what was asked for (0: nothing was)
    provider_ref   TEXT,                      -- Stripe's PaymentIntent (refunds go back through it)
    received_on    TEXT NOT NULL,             -- YYYY-MM-DD
    recorded_by    TEXT,                      -- staff for transfers and payments by hand; NULL for providers
    note           TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
);
-- serves: an application's statement
CREATE INDEX payments_by_application ON payments (application_id, created_at);
-- serves: differences for staff (received ≠ asked), newest first
CREATE INDEX payments_by_time ON payments (created_at);

CREATE TABLE refunds (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    payment_id     TEXT NOT NULL REFERENCES payments (id), -- the money goes back the way it came
    provider       TEXT NOT NULL,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    reason         TEXT NOT NULL CHECK (reason IN ('policy', 'overpayment', 'goodwill')),
    note           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('owed', 'sent')),
    provider_ref   TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    created_by     TEXT,
    created_at     INTEGER NOT NULL,
    sent_at        INTEGER,
    sent_by        TEXT
);
-- serves: an application's statement
CREATE INDEX refunds_by_application ON refunds (application_id, created_at);
-- serves: refunds still owed (staff's list; the job sending Stripe refunds)
CREATE INDEX refunds_owed ON refunds (provider, next_attempt_at) WHERE status = 'owed';

CREATE TABLE payouts (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    month           TEXT NOT NULL,           -- YYYY-MM: what became payable that month
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    note            TEXT NOT NULL DEFAULT '',
    sent_by         TEXT NOT NULL,
    sent_at         INTEGER NOT NULL,
    UNIQUE (organization_id, month)
);

-- Each provider event is processed once, in the transaction of its effects.
CREATE TABLE provider_events (
    provider    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    type        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (provider, event_id)
);
