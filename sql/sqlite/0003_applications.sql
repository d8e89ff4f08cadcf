-- 0003 applications: the application state machine with its history, seats
-- held and booked, idempotency keys, notifications, the email outbox and the
-- audit trail.

ALTER TABLE offerings ADD COLUMN offer_expiry_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE offerings ADD COLUMN hold_expiry_days INTEGER NOT NULL DEFAULT 7;

CREATE TABLE applications (
    id               TEXT PRIMARY KEY,
    student_id       TEXT NOT NULL REFERENCES users (id),
    block_id         TEXT NOT NULL REFERENCES blocks (id),
    offering_id      TEXT NOT NULL REFERENCES offerings (id),
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    status           TEXT NOT NULL,
    statement        TEXT NOT NULL DEFAULT '',
    offer_expires_at INTEGER,                -- set while offered
    hold_expires_at  INTEGER,                -- set while held
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
-- serves: a student's "My applications"
CREATE INDEX applications_by_student ON applications (student_id, created_at);
-- serves: a host's "Applications to review"
CREATE INDEX applications_by_organization ON applications (organization_id, status, created_at);
-- serves: the applications of one block (and the seat count checks)
CREATE INDEX applications_by_block ON applications (block_id, status);
-- serves: the sweeper's expired offers and holds
CREATE INDEX applications_offer_expiry ON applications (offer_expires_at) WHERE status = 'offered';
CREATE INDEX applications_hold_expiry ON applications (hold_expires_at) WHERE status = 'held';
-- one active application per student and block
CREATE UNIQUE INDEX applications_one_active ON applications (student_id, block_id)
    WHERE status IN ('submitted', 'under_review', 'offered', 'held', 'booked', 'cleared', 'in_progress');

CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL REFERENCES applications (id),
    action         TEXT NOT NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_id       TEXT,                      -- NULL: the system (expiry)
    actor_role     TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    at             INTEGER NOT NULL
);
-- serves: an application's history in order
CREATE INDEX application_events_by_application ON application_events (application_id, id);

CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,              -- method, path and body
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
-- serves: pruning keys older than 24 hours
CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
-- serves: a user's notifications, newest first, and the unread count
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER NOT NULL DEFAULT 0, -- a sender holds the row until then
    sent_at         INTEGER,
    last_error      TEXT
);
-- serves: the sender's due mail
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,              -- login, login_failed, transition, forbidden, document_read, …
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
-- serves: the staff audit view, newest first, filtered by action or actor
CREATE INDEX audit_events_by_time ON audit_events (at);
CREATE INDEX audit_events_by_actor ON audit_events (actor_id, at);
