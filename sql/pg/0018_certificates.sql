-- 0018 certificates: the signed documents Rounds issues (certificates of
-- completion first; teaching certificates and visa invitation letters use
-- the same table). The facts are the exact bytes that were signed; the PDF
-- is drawn from them at each download, so nothing else needs keeping.

CREATE TABLE certificates (
    number         TEXT PRIMARY KEY,             -- RC-XXXX-XXXX-XXXX-XXXX, printed, and the /verify/{number} address
    kind           TEXT NOT NULL CHECK (kind IN ('completion', 'teaching', 'visa_letter')),
    subject_id     TEXT NOT NULL REFERENCES users (id), -- whose document it is
    application_id TEXT REFERENCES applications (id),   -- the rotation it is about, when there is one
    period         TEXT NOT NULL DEFAULT '',     -- the year of a teaching certificate
    facts          TEXT NOT NULL,                -- the signed text (lib/signed_document.h)
    signature      TEXT NOT NULL,                -- Ed25519 over facts, base64url
    key_id         TEXT NOT NULL,                -- which signing key signed
    issued_at      BIGINT NOT NULL,
    revoked_at     BIGINT,
    revoked_by     TEXT REFERENCES users (id),
    revoke_reason  TEXT NOT NULL DEFAULT ''
);
-- serves: one document of a kind per rotation (issuing twice returns the first)
CREATE UNIQUE INDEX certificates_one_per_application ON certificates (application_id, kind)
    WHERE application_id IS NOT NULL;
-- serves: one teaching certificate per preceptor and year
CREATE UNIQUE INDEX certificates_one_teaching_per_year ON certificates (subject_id, period) WHERE kind = 'teaching';
-- serves: a person's documents, newest first
CREATE INDEX certificates_by_subject ON certificates (subject_id, issued_at);
