-- 0035 Each user's time zone: the pages write instants in it.
--
-- NULL: the user has not chosen one (pages write UTC and say so). A value is
-- a tz database name such as "Asia/Kolkata"; the application checks that the
-- zone exists under /usr/share/zoneinfo, and this check keeps anything that
-- could leave that folder ("..", a leading '/') out of the table.
ALTER TABLE users ADD COLUMN time_zone TEXT
    CHECK (time_zone IS NULL OR (length(time_zone) BETWEEN 1 AND 64
           AND time_zone NOT GLOB '*[^A-Za-z0-9/_+-]*'
           AND time_zone NOT GLOB '/*' AND time_zone NOT GLOB '*/' AND time_zone NOT GLOB '*//*'));
