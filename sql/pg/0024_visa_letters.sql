-- 0024 visa letters: a student's request for a B-1 visa invitation letter
-- for a booked rotation, approved by staff or the host's coordinators; the
-- letter itself is a signed document (certificates, kind visa_letter).

CREATE TABLE visa_letters (
    application_id     TEXT PRIMARY KEY REFERENCES applications (id), -- one per rotation
    student_id         TEXT NOT NULL REFERENCES users (id),
    passport_name      TEXT NOT NULL,
    passport_number    TEXT NOT NULL,
    nationality        TEXT NOT NULL,
    consulate_city     TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('requested', 'issued')),
    approved_by        TEXT REFERENCES users (id),
    certificate_number TEXT REFERENCES certificates (number),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
