-- 0008 outbox: once an email is delivered, or finally fails, its body (which
-- may hold a live invitation link) and its address are cleared; what the
-- audit needs stays: the kind, the subject, a hash of the address, the times
-- and the outcome.

ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN to_hash TEXT NOT NULL DEFAULT '';  -- BLAKE2b of the lower-cased address, once cleared
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;                  -- given up after the last attempt

-- Mail delivered before this migration kept its body: clear it now (the
-- jobs thread replaces the addresses by their hashes).
UPDATE outbox SET body = '' WHERE sent_at IS NOT NULL;

DROP INDEX outbox_due;
-- serves: the sender's due mail
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
-- serves: clearing the addresses of mail delivered before this migration
CREATE INDEX outbox_unscrubbed ON outbox (id) WHERE to_address <> '' AND (sent_at IS NOT NULL OR failed_at IS NOT NULL);
