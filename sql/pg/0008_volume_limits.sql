-- 0007 volume limits: events counted per bucket for the limits that have no
-- table of their own (registrations per client address), shared by every
-- instance; the jobs thread prunes rows older than a day.

CREATE TABLE rate_events (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bucket TEXT NOT NULL,    -- "register:<client address>"
    at     BIGINT NOT NULL
);
-- serves: the events of a bucket in the last window, and pruning by time
CREATE INDEX rate_events_by_bucket ON rate_events (bucket, at);
CREATE INDEX rate_events_by_time ON rate_events (at);
