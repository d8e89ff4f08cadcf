-- 0012 password resets: single-use links (only the token's hash is kept) and
-- the requests counted for the rate limit, account or not.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,              -- BLAKE2b-256 of the emailed token
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
-- serves: ending a user's other links when one is used
CREATE INDEX password_resets_by_user ON password_resets (user_id);

CREATE TABLE password_reset_requests (
    id          INTEGER PRIMARY KEY,
    account_key TEXT NOT NULL,                -- BLAKE2b of the lower-cased email, existing account or not
    client_addr TEXT NOT NULL,
    at          INTEGER NOT NULL
);
-- serves: requests per address asked for in the last hour
CREATE INDEX password_reset_requests_by_account ON password_reset_requests (account_key, at);
-- serves: requests per client address in the last hour
CREATE INDEX password_reset_requests_by_addr ON password_reset_requests (client_addr, at);
