-- 0036 The audit events done to an object, found by its id: the staff page of
-- a person lists what was done to their account (roles, two-step sign-in
-- reset, erasure) beside what they did.
-- serves: store_audit_list_person (object_id = $1 AND object_type = 'user'), newest first
CREATE INDEX audit_events_by_object ON audit_events (object_id, object_type, id);
