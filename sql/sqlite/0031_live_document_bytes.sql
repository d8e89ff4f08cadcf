-- 0031 the upload quota's sum over a student's live documents reads this
-- index alone, whatever the number of deleted documents behind it.
-- serves: store_documents_bytes (SUM(size) WHERE student_id = ? AND deleted_at IS NULL)
CREATE INDEX documents_live_bytes ON documents (student_id, size, deleted_at) WHERE deleted_at IS NULL;
