-- 0019 email confirmation: a self-registered account's address is confirmed
-- with an emailed single-use link (only the token's hash is kept). Until then
-- it cannot apply and gets no email but its confirmation and password links.
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;    -- NULL: not confirmed yet
-- Accounts made before confirmation existed count as confirmed.
UPDATE users SET email_confirmed_at = created_at;

CREATE TABLE email_confirmations (
    token_hash TEXT PRIMARY KEY,              -- BLAKE2b-256 of the emailed token
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
-- serves: links sent to a user in the last hour (the resend limit); ending the others when one is used
CREATE INDEX email_confirmations_by_user ON email_confirmations (user_id, created_at);
