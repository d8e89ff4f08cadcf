-- 0006 documents and letters: the student's document wallet (files sealed
-- under the data folder, addressed by content), what hosts and offerings
-- require, reminders sent, letters of recommendation with their versions,
-- and the Match-readiness targets staff can set.

CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    student_id     TEXT NOT NULL REFERENCES users (id),
    kind           TEXT NOT NULL,                -- a slug of document_kinds.csv
    state          TEXT NOT NULL CHECK (state IN ('uploaded', 'verified', 'rejected')),
    file_name      TEXT NOT NULL DEFAULT '',     -- the uploaded name, cleaned, for display only
    media_type     TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size           INTEGER NOT NULL,
    blob           TEXT NOT NULL,                -- content address of the sealed file
    issued_on      TEXT,                         -- YYYY-MM-DD
    expires_on     TEXT,                         -- YYYY-MM-DD; NULL: does not expire
    reject_reason  TEXT NOT NULL DEFAULT '',
    reviewed_by    TEXT REFERENCES users (id),
    reviewed_at    INTEGER,
    replaces_id    TEXT REFERENCES documents (id), -- the version this one replaced
    replaced_at    INTEGER,                      -- set when a newer version replaced this one
    deleted_at     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
-- serves: a student's wallet, and the quota sum
CREATE INDEX documents_by_student ON documents (student_id, kind, created_at);
-- serves: staff's verification queue, oldest first (ids sort by creation time)
CREATE INDEX documents_to_verify ON documents (id)
    WHERE state = 'uploaded' AND deleted_at IS NULL AND replaced_at IS NULL;
-- serves: the expiry reminders
CREATE INDEX documents_by_expiry ON documents (expires_on)
    WHERE deleted_at IS NULL AND replaced_at IS NULL AND expires_on IS NOT NULL;
-- serves: a version's history (what replaced what)
CREATE INDEX documents_by_replaces ON documents (replaces_id);
-- serves: whether a sealed file is still referenced before it is removed
CREATE INDEX documents_by_blob ON documents (blob);

CREATE TABLE application_documents (
    application_id TEXT NOT NULL REFERENCES applications (id),
    document_id    TEXT NOT NULL REFERENCES documents (id),
    attached_at    INTEGER NOT NULL,
    PRIMARY KEY (application_id, document_id)
);
-- serves: whether a host may see a document (through which applications)
CREATE INDEX application_documents_by_document ON application_documents (document_id);

CREATE TABLE requirements (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations (id),
    offering_id        TEXT REFERENCES offerings (id), -- NULL: every offering of the host
    kind               TEXT NOT NULL,
    issued_within_days INTEGER CHECK (issued_within_days IS NULL OR issued_within_days BETWEEN 1 AND 3650),
    created_at         INTEGER NOT NULL
);
-- one rule per kind for a host, and per kind for an offering
CREATE UNIQUE INDEX requirements_one_per_kind ON requirements (organization_id, COALESCE(offering_id, ''), kind);

CREATE TABLE document_reminders (
    document_id    TEXT NOT NULL REFERENCES documents (id),
    days_before    INTEGER NOT NULL,             -- 30 or 7
    application_id TEXT NOT NULL REFERENCES applications (id),
    sent_at        INTEGER NOT NULL,
    PRIMARY KEY (document_id, days_before)
);

CREATE TABLE letters (
    id               TEXT PRIMARY KEY,
    student_id       TEXT NOT NULL REFERENCES users (id),
    author_name      TEXT NOT NULL,
    author_email     TEXT NOT NULL,              -- lower-cased
    author_user_id   TEXT REFERENCES users (id), -- the author's account, when they have one
    preceptor_id     TEXT REFERENCES preceptors (id),
    application_id   TEXT REFERENCES applications (id),
    waived           INTEGER NOT NULL CHECK (waived IN (0, 1)),
    waived_at        INTEGER,                    -- when the student waived the right to see it
    eras_letter_id   TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'declined', 'uploaded', 'delivered')),
    decline_reason   TEXT NOT NULL DEFAULT '',
    token_used_at    INTEGER,                    -- set when the author declined or uploaded: links stop working
    requested_at     INTEGER NOT NULL,
    accepted_at      INTEGER,
    declined_at      INTEGER,
    uploaded_at      INTEGER,
    delivered_at     INTEGER,
    reminded_7_at    INTEGER,
    reminded_14_at   INTEGER,
    updated_at       INTEGER NOT NULL
);
-- serves: a student's letters
CREATE INDEX letters_by_student ON letters (student_id, requested_at);
-- serves: the letters addressed to an author with an account
CREATE INDEX letters_by_author_user ON letters (author_user_id);
CREATE INDEX letters_by_author_email ON letters (author_email);
-- serves: reminders and staff's overdue list
CREATE INDEX letters_open ON letters (requested_at) WHERE state IN ('requested', 'accepted');

-- The invitation links of a letter: the first, and one per reminder (each
-- reminder mails a fresh link; the token is only ever stored hashed).
CREATE TABLE letter_tokens (
    token_hash TEXT PRIMARY KEY,
    letter_id  TEXT NOT NULL REFERENCES letters (id),
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX letter_tokens_by_letter ON letter_tokens (letter_id);

CREATE TABLE letter_files (
    id          TEXT PRIMARY KEY,
    letter_id   TEXT NOT NULL REFERENCES letters (id),
    version     INTEGER NOT NULL,
    blob        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    uploaded_by TEXT REFERENCES users (id),      -- NULL: through the invitation link
    uploaded_at INTEGER NOT NULL,
    UNIQUE (letter_id, version)
);
CREATE INDEX letter_files_by_blob ON letter_files (blob);

CREATE TABLE readiness_targets (
    name       TEXT PRIMARY KEY CHECK (name IN ('letters', 'letters_us', 'usce_weeks')),
    value      INTEGER NOT NULL CHECK (value BETWEEN 0 AND 520),
    updated_by TEXT REFERENCES users (id),
    updated_at INTEGER NOT NULL
);
INSERT INTO readiness_targets (name, value, updated_by, updated_at) VALUES
    ('letters', 3, NULL, 0), ('letters_us', 1, NULL, 0), ('usce_weeks', 12, NULL, 0);
