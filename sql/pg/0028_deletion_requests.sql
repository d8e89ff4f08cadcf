-- 0028 deletion requests: a person asks to delete their account; staff (or the
-- jobs thread, 30 days after the request) complete it by erasing or
-- pseudonymising their personal data in one transaction. The user's row stays
-- (ledger, audit, applications and letters point to it) under a pseudonym,
-- marked erased; documents' rows stay marked erased, their files removed.
CREATE TABLE deletion_requests (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    state        TEXT NOT NULL CHECK (state IN ('pending', 'cancelled', 'completed')),
    requested_at BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,             -- requested_at + 30 days: the jobs thread completes it then
    cancelled_at BIGINT,
    completed_at BIGINT,
    completed_by TEXT REFERENCES users (id)    -- NULL: the jobs thread, at the due date
);
-- one open request per person
CREATE UNIQUE INDEX deletion_requests_one_pending ON deletion_requests (user_id) WHERE state = 'pending';
-- serves: staff's list of open requests, oldest first, and the jobs thread's due ones
CREATE INDEX deletion_requests_open ON deletion_requests (due_at) WHERE state = 'pending';
-- serves: a person's own request (the newest)
CREATE INDEX deletion_requests_by_user ON deletion_requests (user_id, requested_at);

ALTER TABLE users ADD COLUMN erased_at BIGINT;      -- NULL: a living account
ALTER TABLE documents ADD COLUMN erased_at BIGINT;  -- set with the owner's erasure (file removed)
ALTER TABLE letters ADD COLUMN erased_at BIGINT;    -- set with the student's erasure (files removed)
