-- 0001 accounts: users, roles, organisations and memberships, sessions, login failures.
-- PostgreSQL twin of sql/sqlite/0001_accounts.sql: same tables, columns, constraints and indexes.
-- Instants are BIGINT seconds since the epoch; booleans are INTEGER 0/1; ids are opaque text.

CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('host', 'school', 'platform')),
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,   -- lower-cased; serves login by email
    name            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    -- the student profile (PATCH /api/v1/me)
    school          TEXT,
    country         TEXT,
    status          TEXT,
    graduation_year INTEGER,
    visa_kind       TEXT,
    step1           TEXT,
    step2ck_score   INTEGER,
    ecfmg_status    TEXT,
    english_proof   TEXT
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('student', 'preceptor', 'host_coordinator', 'school_coordinator', 'staff')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE memberships (
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id, role)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,           -- BLAKE2b-256 of the bearer/cookie token; the token itself is never stored
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
-- serves: logging out every session of a user
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key TEXT NOT NULL,               -- BLAKE2b of the lower-cased email, existing account or not
    client_addr TEXT NOT NULL,
    at          BIGINT NOT NULL
);
-- serves: failures per account in the last 15 minutes
CREATE INDEX login_failures_by_account ON login_failures (account_key, at);
-- serves: failures per client address in the last 15 minutes
CREATE INDEX login_failures_by_addr ON login_failures (client_addr, at);
