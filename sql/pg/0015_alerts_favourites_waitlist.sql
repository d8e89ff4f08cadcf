-- 0015 (PostgreSQL twin of sql/sqlite/0015_alerts_favourites_waitlist.sql): saved searches with alerts, favourites, the waitlist of each block,
-- and the catalog events that alerts and favourite notices follow.

-- What in the catalog someone may be waiting for: an offering published, a
-- block added, a seat opened on a block that was full. The background jobs
-- read them in seq order (once, across instances: event_cursors).
CREATE TABLE catalog_events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('offering_published', 'block_added', 'seat_opened')),
    offering_id TEXT NOT NULL,
    block_id    TEXT,
    at          BIGINT NOT NULL
);

-- How far a reader of catalog_events got; moved only by a conditional update,
-- so that of two instances one reads a stretch of events.
CREATE TABLE event_cursors (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);
INSERT INTO event_cursors (name, seq) VALUES ('alerts', 0);

CREATE TABLE saved_searches (
    id            TEXT PRIMARY KEY,
    student_id    TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    q             TEXT,
    specialty     TEXT,
    state         TEXT,
    kind          TEXT,
    start_from    TEXT,
    start_to      TEXT,
    max_tuition   BIGINT,
    include_full  INTEGER NOT NULL DEFAULT 0,
    eligible_me   INTEGER NOT NULL DEFAULT 0,
    email_alerts  INTEGER NOT NULL DEFAULT 1,
    pending       TEXT NOT NULL DEFAULT '', -- offerings found since the last email, comma-separated
    last_email_at BIGINT,
    created_at    BIGINT NOT NULL
);
-- serves: a student's saved searches, and counting them against the limit
CREATE INDEX saved_searches_by_student ON saved_searches (student_id, created_at);
-- serves: the daily email of the searches with something pending
CREATE INDEX saved_searches_pending ON saved_searches (last_email_at) WHERE pending <> '';

-- One row per alert email: its unsubscribe link's token, stored hashed.
CREATE TABLE alert_unsubscribes (
    token_hash      TEXT PRIMARY KEY,
    saved_search_id TEXT NOT NULL REFERENCES saved_searches (id),
    created_at      BIGINT NOT NULL
);
-- serves: deleting a saved search with its tokens
CREATE INDEX alert_unsubscribes_by_search ON alert_unsubscribes (saved_search_id);

CREATE TABLE favourites (
    student_id  TEXT NOT NULL REFERENCES users (id),
    offering_id TEXT NOT NULL REFERENCES offerings (id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (student_id, offering_id)
);
-- serves: who starred an offering (notices of new dates and freed seats)
CREATE INDEX favourites_by_offering ON favourites (offering_id);

CREATE TABLE waitlist (
    id             TEXT PRIMARY KEY,
    block_id       TEXT NOT NULL REFERENCES blocks (id),
    student_id     TEXT NOT NULL REFERENCES users (id),
    position       INTEGER NOT NULL,        -- order of joining the block's list
    status         TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'left')),
    application_id TEXT REFERENCES applications (id), -- the offer made from the list
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
-- one place per student and block while waiting or offered
CREATE UNIQUE INDEX waitlist_one_active ON waitlist (block_id, student_id) WHERE status IN ('waiting', 'offered');
-- serves: a block's list in order, and the next position
CREATE UNIQUE INDEX waitlist_by_block ON waitlist (block_id, position);
-- serves: a student's places
CREATE INDEX waitlist_by_student ON waitlist (student_id, status);
-- serves: the place of an application offered from the list, when it ends
CREATE INDEX waitlist_by_application ON waitlist (application_id) WHERE application_id IS NOT NULL;
