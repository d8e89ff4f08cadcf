-- 0032 a student's saved searches and favourites list in the order they were
-- saved (favourites the newest first).
--
-- Saved searches were listed by created_at (whole seconds), then by id, whose
-- time is only to the millisecond and is read from the clock of whichever
-- instance took the request: two saved within a millisecond, or one saved on
-- an instance whose clock is behind, listed out of order. Each search now
-- takes the next position among its owner's when it is saved; the ones saved
-- before take theirs in the order they were listed.
ALTER TABLE saved_searches ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE saved_searches SET position = (
    SELECT COUNT(*) FROM saved_searches earlier
    WHERE earlier.student_id = saved_searches.student_id
      AND (earlier.created_at < saved_searches.created_at
           OR (earlier.created_at = saved_searches.created_at AND earlier.id <= saved_searches.id)));
DROP INDEX saved_searches_by_student;
-- serves: store_saved_searches_of (WHERE student_id = ? ORDER BY position), the
-- next position at insert (MAX(position)), and counting them against the limit
CREATE INDEX saved_searches_by_student ON saved_searches (student_id, position);

-- Favourites were listed by created_at (whole seconds), then by the offering's
-- id, which is random: two offerings starred within a second, as a student
-- does going down the search page, listed in any order. Each star now takes
-- the next position among the student's; those of before take theirs in the
-- order they were listed (newest first).
ALTER TABLE favourites ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE favourites SET position = (
    SELECT COUNT(*) FROM favourites earlier
    WHERE earlier.student_id = favourites.student_id
      AND (earlier.created_at < favourites.created_at
           OR (earlier.created_at = favourites.created_at AND earlier.offering_id >= favourites.offering_id)));
-- serves: store_favourites_of (WHERE student_id = ? ORDER BY position DESC) and
-- the next position at insert (MAX(position))
CREATE INDEX favourites_by_student ON favourites (student_id, position);
