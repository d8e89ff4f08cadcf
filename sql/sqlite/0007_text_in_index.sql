-- 0007: full text moved into each instance's search index (catalog_text.c),
-- which loads the offerings' text itself; nothing reads FTS5 any more, and
-- every offering write no longer pays for it.
DROP TABLE offerings_fts;
-- No query reads the change feed by time (instances read it by seq), and each
-- offering or seat written paid for this index.
DROP INDEX catalog_changes_by_time;
