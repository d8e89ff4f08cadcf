-- 0035 Each user's time zone: the pages write instants in it.
--
-- NULL: the user has not chosen one (pages write UTC and say so). A value is
-- a tz database name such as "Asia/Kolkata"; the application checks that the
-- zone exists under /usr/share/zoneinfo, and this check keeps anything that
-- could leave that folder ("..", a leading '/') out of the table.
ALTER TABLE users ADD COLUMN time_zone TEXT
    CHECK (time_zone ~ '^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$' AND length(time_zone) <= 64);
