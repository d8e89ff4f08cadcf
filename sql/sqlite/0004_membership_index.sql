-- 0004: find an organisation's members by role without scanning users.
-- serves: store_organization_members (who to tell about a new application)
CREATE INDEX memberships_by_organization ON memberships (organization_id, role);
