-- 0017 (PostgreSQL twin of sql/sqlite/0017_support.sql) support during the rotation: weekly check-ins and support tickets
-- with their due times, escalations and every event (reply, status change,
-- assignment).

CREATE TABLE check_ins (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    student_id     TEXT NOT NULL REFERENCES users (id),
    week_start     TEXT NOT NULL,               -- YYYY-MM-DD: the rotation's first day + 7 k
    score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    activities     TEXT NOT NULL DEFAULT '',
    needs_help     INTEGER NOT NULL CHECK (needs_help IN (0, 1)),
    ticket_id      TEXT,                        -- the ticket it opened, if any
    created_at     BIGINT NOT NULL
);
-- one check-in per week of a rotation; serves: a rotation's check-ins in week order
CREATE UNIQUE INDEX check_ins_one_per_week ON check_ins (application_id, week_start);
-- serves: a student's latest check-in (the coach's dashboard)
CREATE INDEX check_ins_by_student ON check_ins (student_id, created_at);

CREATE TABLE tickets (
    id                    TEXT PRIMARY KEY,
    requester_id          TEXT NOT NULL REFERENCES users (id),
    student_id            TEXT REFERENCES users (id),  -- the student it concerns (their coach sees it)
    application_id        TEXT REFERENCES applications (id),
    category              TEXT NOT NULL CHECK (category IN ('first_day', 'preceptor_absent', 'schedule', 'documents',
                                                            'payment', 'safety', 'other')),
    urgency               TEXT NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    subject               TEXT NOT NULL,
    body                  TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('open', 'pending', 'resolved')),
    assignee_id           TEXT REFERENCES users (id),
    response_due_at       BIGINT NOT NULL,
    resolve_due_at        BIGINT NOT NULL,
    first_response_at     BIGINT,
    resolved_at           BIGINT,
    response_escalated_at BIGINT,
    resolve_escalated_at  BIGINT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
-- serves: the queue by due time, and the escalation sweep
CREATE INDEX tickets_by_status_due ON tickets (status, response_due_at);
-- serves: a coach's students' tickets and the dashboard's open counts
CREATE INDEX tickets_by_student ON tickets (student_id, status);
-- serves: the tickets a user opened
CREATE INDEX tickets_by_requester ON tickets (requester_id, created_at);
-- serves: the tickets assigned to a coach or staff member
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, status);

CREATE TABLE ticket_events (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    actor_id   TEXT REFERENCES users (id),      -- NULL: the system (escalations)
    kind       TEXT NOT NULL,                   -- opened, reply, status, assigned, escalated
    body       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
-- serves: a ticket's history in order
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, created_at, id);
