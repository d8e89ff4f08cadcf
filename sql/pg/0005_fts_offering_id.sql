-- 0005: SQLite's full-text table gains the offering id (sql/sqlite/0005);
-- offering_search already has it here, so this version changes nothing.
SELECT 1;
