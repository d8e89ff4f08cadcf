-- 0023 evaluations and reviews: after the rotation, the preceptor evaluates
-- the student (mini-CEX scores, amended only by dated addenda), the student
-- evaluates the rotation and the preceptor in confidence, and the student
-- reviews the rotation in public (verified: only a completed rotation can).

CREATE TABLE evaluations (
    application_id       TEXT PRIMARY KEY REFERENCES applications (id), -- one per rotation
    evaluator_id         TEXT NOT NULL REFERENCES users (id),
    -- mini-CEX, 1–9; NULL: not observed
    medical_interviewing INTEGER CHECK (medical_interviewing BETWEEN 1 AND 9),
    physical_examination INTEGER CHECK (physical_examination BETWEEN 1 AND 9),
    professionalism      INTEGER CHECK (professionalism BETWEEN 1 AND 9),
    clinical_judgement   INTEGER CHECK (clinical_judgement BETWEEN 1 AND 9),
    counselling          INTEGER CHECK (counselling BETWEEN 1 AND 9),
    organisation         INTEGER CHECK (organisation BETWEEN 1 AND 9),
    overall              INTEGER CHECK (overall BETWEEN 1 AND 9),
    strengths            TEXT NOT NULL,
    improvements         TEXT NOT NULL,
    would_write_letter   INTEGER NOT NULL CHECK (would_write_letter IN (0, 1)),
    submitted_at         INTEGER NOT NULL
);

CREATE TABLE evaluation_addenda (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES evaluations (application_id),
    author_id      TEXT NOT NULL REFERENCES users (id),
    body           TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
-- serves: an evaluation's addenda in order
CREATE INDEX evaluation_addenda_by_evaluation ON evaluation_addenda (application_id, created_at);

-- The student's confidential evaluation of the rotation and its preceptor (1–5 each).
CREATE TABLE rotation_feedback (
    application_id TEXT PRIMARY KEY REFERENCES applications (id),
    offering_id    TEXT NOT NULL REFERENCES offerings (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    preceptor_id   TEXT NOT NULL REFERENCES preceptors (id),
    teaching       INTEGER NOT NULL CHECK (teaching BETWEEN 1 AND 5),
    supervision    INTEGER NOT NULL CHECK (supervision BETWEEN 1 AND 5),
    feedback       INTEGER NOT NULL CHECK (feedback BETWEEN 1 AND 5),
    environment    INTEGER NOT NULL CHECK (environment BETWEEN 1 AND 5),
    overall        INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 5),
    comments       TEXT NOT NULL DEFAULT '',
    submitted_at   INTEGER NOT NULL
);
-- serves: a host's aggregates by offering and by preceptor
CREATE INDEX rotation_feedback_by_host ON rotation_feedback (organization_id, offering_id);

CREATE TABLE reviews (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL UNIQUE REFERENCES applications (id), -- once per rotation
    offering_id     TEXT NOT NULL REFERENCES offerings (id),
    student_id      TEXT NOT NULL REFERENCES users (id),
    teaching        INTEGER NOT NULL CHECK (teaching BETWEEN 1 AND 5),
    hands_on        INTEGER NOT NULL CHECK (hands_on BETWEEN 1 AND 5),
    organisation    INTEGER NOT NULL CHECK (organisation BETWEEN 1 AND 5),
    value_for_money INTEGER NOT NULL CHECK (value_for_money BETWEEN 1 AND 5),
    overall         INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 5),
    body            TEXT NOT NULL,
    author_label    TEXT NOT NULL,               -- as published: the full name, or first name and country
    created_at      INTEGER NOT NULL,
    reply           TEXT,                        -- the host's one answer
    reply_by        TEXT REFERENCES users (id),
    reply_at        INTEGER,
    hidden_at       INTEGER,                     -- hidden by staff, with a reason (audited)
    hidden_by       TEXT REFERENCES users (id),
    hidden_reason   TEXT NOT NULL DEFAULT ''
);
-- serves: an offering's reviews, newest first, and its average and count
CREATE INDEX reviews_by_offering ON reviews (offering_id, created_at);
