-- 0022 the calendar feed: each user's secret iCalendar address
-- (/calendar/{token}.ics) with their rotations, first days, check-in days,
-- balance due dates and document expiries. The token is stored hashed, one
-- per user: revoking deletes the row, regenerating replaces it, and the old
-- address then answers 404.
CREATE TABLE calendar_feeds (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
-- serves: GET /calendar/{token}.ics (the user of a token, by its hash)
CREATE UNIQUE INDEX calendar_feeds_by_token ON calendar_feeds (token_hash);
