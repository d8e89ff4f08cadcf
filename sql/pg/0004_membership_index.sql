-- 0004 (PostgreSQL twin of sql/sqlite/0004_membership_index.sql): find an organisation's members by role without scanning users.
-- serves: store_organization_members (who to tell about a new application)
CREATE INDEX memberships_by_organization ON memberships (organization_id, role);
