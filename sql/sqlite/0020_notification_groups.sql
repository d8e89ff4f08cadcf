-- 0020 notification groups: notices of one kind that come within a few
-- minutes of an unread one of that kind join it (only the first is emailed).
-- Finding that unread notice uses notifications_by_user (user_id, created_at):
-- the user's notices of the last few minutes.
ALTER TABLE notifications ADD COLUMN notice_count INTEGER NOT NULL DEFAULT 1; -- the notices it stands for
