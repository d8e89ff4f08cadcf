-- 0034 Wyoming keeps Mountain Time under the tz database zone America/Denver.
--
-- The states table said "America/Cheyenne", which is no tz database zone: a
-- calendar feed's TZID or a conversion with it misleads its reader. Sites in
-- Wyoming took the state's zone when they were created, so they move too.
UPDATE us_states SET time_zone = 'America/Denver' WHERE time_zone = 'America/Cheyenne';
UPDATE sites SET time_zone = 'America/Denver' WHERE time_zone = 'America/Cheyenne';
