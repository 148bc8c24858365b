ALTER TABLE audit_events DROP COLUMN client_addr;
ALTER TABLE audit_events DROP COLUMN host;
