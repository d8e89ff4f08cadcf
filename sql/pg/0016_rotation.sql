-- 0016 the rotation (PostgreSQL twin of sql/sqlite/0016_rotation.sql): the coach
-- role and which coach supports which student, the hours log the preceptor confirms, and the notices the calendar sends
-- once per rotation (not cleared at the start, first-day instructions,
-- check-in prompts).

ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
    CHECK (role IN ('student', 'preceptor', 'host_coordinator', 'school_coordinator', 'staff', 'coach'));
-- serves: the coaches to choose from when a booking needs one, and staff's list of coaches
CREATE INDEX user_roles_by_role ON user_roles (role, user_id);

CREATE TABLE coach_assignments (
    student_id  TEXT PRIMARY KEY REFERENCES users (id),
    coach_id    TEXT NOT NULL REFERENCES users (id),
    assigned_by TEXT REFERENCES users (id),     -- NULL: automatic, when the student booked
    assigned_at BIGINT NOT NULL
);
-- serves: a coach's students (the dashboard) and each coach's count of active students
CREATE INDEX coach_assignments_by_coach ON coach_assignments (coach_id, student_id);

CREATE TABLE hours_entries (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    student_id     TEXT NOT NULL REFERENCES users (id),
    day            TEXT NOT NULL,               -- YYYY-MM-DD, within the rotation
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 1440),
    setting        TEXT NOT NULL CHECK (setting IN ('inpatient', 'outpatient', 'telehealth', 'research')),
    activities     TEXT NOT NULL DEFAULT '',
    patients_seen  INTEGER NOT NULL DEFAULT 0 CHECK (patients_seen BETWEEN 0 AND 500),
    state          TEXT NOT NULL CHECK (state IN ('logged', 'confirmed', 'change_requested', 'refused')),
    review_note    TEXT NOT NULL DEFAULT '',
    reviewed_by    TEXT REFERENCES users (id),
    reviewed_at    BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
-- one entry per day of a rotation; serves: a rotation's log in day order, and its week confirmations
CREATE UNIQUE INDEX hours_entries_one_per_day ON hours_entries (application_id, day);
-- serves: whether the student logged the day on another rotation, and the student's confirmed totals
CREATE INDEX hours_entries_by_student ON hours_entries (student_id, day);

CREATE TABLE rotation_notices (
    application_id TEXT NOT NULL REFERENCES applications (id),
    kind           TEXT NOT NULL,               -- not_cleared_at_start, first_day, check_in:YYYY-MM-DD, …
    sent_at        BIGINT NOT NULL,
    PRIMARY KEY (application_id, kind)          -- each notice once, whichever instance sends it
);

-- serves: the calendar's moves (cleared → in_progress, in_progress → completed) and its alerts
CREATE INDEX applications_on_the_calendar ON applications (status, block_id)
    WHERE status IN ('booked', 'cleared', 'in_progress');
