-- A tenant whose id is a UUID is recorded here, in its hyphenated lowercase
-- form; an integer tenant stays in `tenant_id`. At most one of the two is set.
ALTER TABLE audit_events ADD COLUMN tenant_uuid TEXT;
CREATE INDEX audit_events_tenant_uuid_at ON audit_events (tenant_uuid, at);
