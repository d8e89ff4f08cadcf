-- 0009 preceptor invitations: an account is linked to a preceptor record only
-- by its own consent — it accepts, signed in, an invitation mailed to the
-- record's address — or when it already is a preceptor member of the host.
-- The link's token is stored hashed, works once and expires.

CREATE TABLE preceptor_invitations (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,   -- BLAKE2b of the token in the link; the token itself is never stored
    preceptor_id TEXT NOT NULL REFERENCES preceptors (id),
    invited_by   TEXT NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,                -- accepted: the link works once
    used_by      TEXT REFERENCES users (id)
);
-- serves: the invitations of a preceptor in the last day (the volume limit)
CREATE INDEX preceptor_invitations_by_preceptor ON preceptor_invitations (preceptor_id, created_at);
