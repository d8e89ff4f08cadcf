-- 0010 letter authors: a request by name and email counts as from a U.S.
-- physician only when staff confirm that its author is a verified preceptor
-- (the NPI they checked); who confirmed and when are kept.

ALTER TABLE letters ADD COLUMN confirmed_preceptor_id TEXT REFERENCES preceptors (id);
ALTER TABLE letters ADD COLUMN confirmed_by TEXT REFERENCES users (id);
ALTER TABLE letters ADD COLUMN confirmed_at INTEGER;
