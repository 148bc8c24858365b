DROP INDEX audit_events_tenant_uuid_at;
ALTER TABLE audit_events DROP COLUMN tenant_uuid;
