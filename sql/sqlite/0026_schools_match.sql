-- 0026 schools and match rounds: a student's link to a partner school — asked by the student or
-- accepted from the school's invitation, always with the student's consent and
-- revocable by them — the invitations (token stored hashed), and whether the
-- school must approve its students' applications before hosts see them.

CREATE TABLE school_settings (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    home_approval   INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE school_students (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    student_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('requested', 'active', 'refused', 'left')),
    graduation_year INTEGER,
    note            TEXT NOT NULL DEFAULT '',   -- why a request was refused
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, student_id)   -- serves: a school's students, and one student at one school
);
-- serves: a student's schools (consent pages, access checks)
CREATE INDEX school_students_by_student ON school_students (student_id, status);

CREATE TABLE school_invitations (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email           TEXT NOT NULL,              -- lower-cased
    name            TEXT NOT NULL,
    graduation_year INTEGER,
    token_hash      TEXT NOT NULL UNIQUE,       -- serves: opening an invitation link
    invited_by      TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    accepted_at     INTEGER,
    accepted_by     TEXT REFERENCES users (id),
    UNIQUE (organization_id, email)             -- serves: inviting again refreshes the link
);
-- serves: a school's invitations, newest first
CREATE INDEX school_invitations_by_school ON school_invitations (organization_id, created_at);
-- Each upload's invitation emails, for the daily limit of a school's invitations
-- (every email counts, an address invited again included).
CREATE TABLE school_invite_batches (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    invited         INTEGER NOT NULL CHECK (invited > 0),
    created_at      INTEGER NOT NULL
);
-- serves: the emails a school sent in the last 24 hours
CREATE INDEX school_invite_batches_by_school ON school_invite_batches (organization_id, created_at);

-- Match rounds: a school places a cohort into reserved seats with the
-- placement match (docs/match.md). Seats a round reserves are not sold
-- meanwhile (blocks.seats_reserved); on publishing, each placement becomes an
-- offered application that keeps its seat reserved until it is accepted
-- (the seat is then taken) or leaves the offer (the seat returns to sale).

ALTER TABLE blocks ADD COLUMN seats_reserved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN seat_reserved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN match_round_id TEXT;
-- Home approval: the school that must release the application before its host sees it.
ALTER TABLE applications ADD COLUMN home_school_id TEXT;
-- serves: a school's applications waiting for its approval
CREATE INDEX applications_by_home_school ON applications (home_school_id, status);
-- one active application per student and block, waiting for the school's approval included
DROP INDEX applications_one_active;
CREATE UNIQUE INDEX applications_one_active ON applications (student_id, block_id)
    WHERE status IN ('home_review', 'submitted', 'under_review', 'offered', 'held', 'booked', 'cleared', 'in_progress');
-- serves: upcoming blocks with seats free that a coordinator may add to a round, by date
CREATE INDEX blocks_by_start ON blocks (start_date);

CREATE TABLE match_rounds (
    id             TEXT PRIMARY KEY,
    school_id      TEXT NOT NULL REFERENCES organizations (id),
    name           TEXT NOT NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('one', 'rotation')),
    max_placements INTEGER NOT NULL DEFAULT 1,
    seed           TEXT NOT NULL,
    deadline       INTEGER NOT NULL,            -- rank lists close at this instant
    status         TEXT NOT NULL CHECK (status IN ('draft', 'open', 'matched', 'published', 'cancelled')),
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    matched_at     INTEGER,
    published_at   INTEGER,
    order_sha256   TEXT NOT NULL DEFAULT '',    -- the last run's lottery order
    proposals      INTEGER NOT NULL DEFAULT 0,
    verification   TEXT NOT NULL DEFAULT ''     -- the last run's checks as JSON
);
-- serves: a school's rounds, newest first
CREATE INDEX match_rounds_by_school ON match_rounds (school_id, created_at);

CREATE TABLE match_round_students (
    round_id   TEXT NOT NULL REFERENCES match_rounds (id),
    student_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (round_id, student_id)          -- serves: a round's cohort
);
-- serves: a student's rounds
CREATE INDEX match_round_students_by_student ON match_round_students (student_id);

CREATE TABLE match_round_blocks (
    round_id TEXT NOT NULL REFERENCES match_rounds (id),
    block_id TEXT NOT NULL REFERENCES blocks (id),
    seats    INTEGER NOT NULL,                  -- reserved for the round
    ranking  TEXT NOT NULL DEFAULT 'lottery' CHECK (ranking IN ('list', 'lottery')),
    PRIMARY KEY (round_id, block_id)            -- serves: a round's seats
);
-- serves: the rounds a host's blocks are in
CREATE INDEX match_round_blocks_by_block ON match_round_blocks (block_id);

CREATE TABLE match_student_ranks (
    round_id   TEXT NOT NULL REFERENCES match_rounds (id),
    student_id TEXT NOT NULL REFERENCES users (id),
    block_id   TEXT NOT NULL REFERENCES blocks (id),
    position   INTEGER NOT NULL,                -- 1 is the first choice
    PRIMARY KEY (round_id, student_id, block_id) -- serves: a student's rank list
);

CREATE TABLE match_host_ranks (
    round_id   TEXT NOT NULL REFERENCES match_rounds (id),
    block_id   TEXT NOT NULL REFERENCES blocks (id),
    student_id TEXT NOT NULL REFERENCES users (id),
    tier       INTEGER NOT NULL,                -- 1 is the best; equal tiers are ties (the lottery breaks them)
    PRIMARY KEY (round_id, block_id, student_id) -- serves: a host's list for one block
);

CREATE TABLE match_outcomes (
    round_id    TEXT NOT NULL REFERENCES match_rounds (id),
    student_id  TEXT NOT NULL REFERENCES users (id),
    explanation TEXT NOT NULL,
    PRIMARY KEY (round_id, student_id)          -- serves: a student's result and the round's results
);

CREATE TABLE match_placements (
    round_id   TEXT NOT NULL REFERENCES match_rounds (id),
    student_id TEXT NOT NULL REFERENCES users (id),
    block_id   TEXT NOT NULL REFERENCES blocks (id),
    PRIMARY KEY (round_id, student_id, block_id) -- serves: the round's placements
);
