-- 0029 affiliation agreements between a host and a school: proposed by either
-- side, activated by the other with the signed PDF (a sealed file, addressed by
-- content like documents), terminated by either with a reason, expired by the
-- jobs after their end date; reminders 60 and 30 days before the end (bits in
-- `reminders`, claimed once across instances). An offering may require an
-- active agreement with the student's school covering the whole block.

CREATE TABLE affiliation_agreements (
    id                 TEXT PRIMARY KEY,
    host_id            TEXT NOT NULL REFERENCES organizations (id),
    school_id          TEXT NOT NULL REFERENCES organizations (id),
    start_date         TEXT NOT NULL,              -- YYYY-MM-DD, first day covered
    end_date           TEXT NOT NULL,              -- YYYY-MM-DD, last day covered
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'expired', 'terminated')),
    proposed_side      TEXT NOT NULL CHECK (proposed_side IN ('host', 'school')),
    proposed_by        TEXT NOT NULL REFERENCES users (id),
    activated_by       TEXT REFERENCES users (id),
    activated_at       BIGINT,
    terminated_by      TEXT REFERENCES users (id),
    terminated_at      BIGINT,
    termination_reason TEXT NOT NULL DEFAULT '',
    file_address       TEXT,                       -- the signed PDF (store/blobs.h), once activated
    file_bytes         BIGINT NOT NULL DEFAULT 0,
    reminders          INTEGER NOT NULL DEFAULT 0, -- bits: 1 = 60 days, 2 = 30 days before the end
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CHECK (end_date >= start_date)
);
-- serves: a host's agreements, and whether a school's students may take a host's block
CREATE INDEX affiliation_agreements_by_host ON affiliation_agreements (host_id, school_id, status);
-- serves: a school's agreements
CREATE INDEX affiliation_agreements_by_school ON affiliation_agreements (school_id, status);
-- serves: the jobs' expiries and reminders (active agreements by end date)
CREATE INDEX affiliation_agreements_by_end ON affiliation_agreements (status, end_date);

ALTER TABLE offerings ADD COLUMN requires_affiliation INTEGER NOT NULL DEFAULT 0;
