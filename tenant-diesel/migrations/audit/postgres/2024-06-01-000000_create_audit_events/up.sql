-- The audit log of tenant-diesel, in a database of its own.
-- `at` is RFC 3339 in UTC with six fractional digits, so text order is time order;
-- the same text on every backend keeps one reader for both.
CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    tenant_id BIGINT,
    action TEXT NOT NULL,
    target_id TEXT,
    detail TEXT
);
CREATE INDEX audit_events_tenant_at ON audit_events (tenant_id, at);
