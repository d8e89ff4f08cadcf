-- 0025 two-factor sign-in (RFC 6238 TOTP): each account's secret, sealed with a
-- key derived from the file key (the database alone does not give it away);
-- its single-use recovery codes, hashed; the challenges between the password
-- and the code; and sessions that may only enrol (a role that requires it).
CREATE TABLE two_factor (
    user_id       TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed TEXT NOT NULL,              -- base64url(nonce ‖ secretbox(secret)); never the secret itself
    confirmed_at  INTEGER,                    -- NULL while enrolment waits for the first code
    last_step     INTEGER NOT NULL DEFAULT 0, -- the newest 30-second step accepted: a code counts once
    created_at    INTEGER NOT NULL
);

CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY,               -- BLAKE2b-256 of the code (80 random bits)
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    used_at   INTEGER
);
-- serves: counting and replacing a user's codes
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,              -- BLAKE2b-256 of the token handed out after the password
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
-- serves: ending a user's challenges when their second factor is reset
CREATE INDEX login_challenges_by_user ON login_challenges (user_id);

-- 1: the session of an account whose role requires a second factor it has not
-- set up: it reaches only the enrolment pages and logout.
ALTER TABLE sessions ADD COLUMN enrol_second_factor INTEGER NOT NULL DEFAULT 0;
