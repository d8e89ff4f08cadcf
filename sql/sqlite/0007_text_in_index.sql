-- 0007: full text moved into each instance's search index (catalog_text.c),
-- which loads the offerings' text itself; nothing reads FTS5 any more, and
-- every offering write no longer pays for it.
DROP TABLE offerings_fts;
