-- 0033 a school's pending invitations list the newest upload first and, within
-- an upload, in the order of the file's lines.
--
-- They were listed by created_at (the upload's second, the same for all of its
-- rows), then by id, whose time is only to the millisecond with a random tail:
-- the rows of one upload listed in any order. Each invitation now records the
-- upload that last sent it (the school's uploads numbered from 1, taken under
-- the school's row lock) and its line in that file. The ones of before take,
-- per school, one upload per created_at and their lines in the order they were
-- listed (by id).
ALTER TABLE school_invitations ADD COLUMN upload_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE school_invitations ADD COLUMN upload_line INTEGER NOT NULL DEFAULT 0;
UPDATE school_invitations SET
    upload_seq = (
        SELECT COUNT(DISTINCT earlier.created_at) FROM school_invitations earlier
        WHERE earlier.organization_id = school_invitations.organization_id
          AND earlier.created_at <= school_invitations.created_at),
    upload_line = (
        SELECT COUNT(*) FROM school_invitations earlier
        WHERE earlier.organization_id = school_invitations.organization_id
          AND earlier.created_at = school_invitations.created_at
          AND earlier.id <= school_invitations.id);
DROP INDEX school_invitations_by_school;
-- serves: store_school_invitations_pending (WHERE organization_id = ? ORDER BY
-- upload_seq DESC, upload_line) and the next upload's number (MAX(upload_seq))
CREATE INDEX school_invitations_by_school ON school_invitations (organization_id, upload_seq, upload_line);
