-- 0030 first-day instructions as fields a student can act on: where to report
-- (address), when, whom to ask for, dress code, parking or transit, and what
-- to bring. The free text of before (offerings.first_day) stays, shown as
-- "anything else", so no host's words are lost.
ALTER TABLE offerings ADD COLUMN first_day_address TEXT NOT NULL DEFAULT '';
ALTER TABLE offerings ADD COLUMN first_day_time TEXT NOT NULL DEFAULT '';
ALTER TABLE offerings ADD COLUMN first_day_ask_for TEXT NOT NULL DEFAULT '';
ALTER TABLE offerings ADD COLUMN first_day_dress_code TEXT NOT NULL DEFAULT '';
ALTER TABLE offerings ADD COLUMN first_day_transport TEXT NOT NULL DEFAULT '';
ALTER TABLE offerings ADD COLUMN first_day_bring TEXT NOT NULL DEFAULT '';
