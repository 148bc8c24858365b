-- The audit log of tenant-diesel on MySQL and MariaDB, in a database of its own:
-- the columns the other backends reached through their migrations, in one table.
-- `at` is RFC 3339 in UTC with six fractional digits, so text order is time order.
-- Indexed text is `VARCHAR` (MySQL indexes no whole `TEXT`), in a binary
-- collation, so that a tenant's UUID never matches another spelling of it; the
-- rest is `TEXT`, so that no value is cut (strict mode refuses a value too long,
-- and a refused batch refuses its actions).
CREATE TABLE audit_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at VARCHAR(32) COLLATE utf8mb4_bin NOT NULL,
    actor TEXT COLLATE utf8mb4_bin NOT NULL,
    tenant_id BIGINT,
    action TEXT COLLATE utf8mb4_bin NOT NULL,
    target_id TEXT COLLATE utf8mb4_bin,
    detail TEXT COLLATE utf8mb4_bin,
    tenant_uuid VARCHAR(36) COLLATE utf8mb4_bin,
    host TEXT COLLATE utf8mb4_bin,
    client_addr TEXT COLLATE utf8mb4_bin,
    INDEX audit_events_tenant_at (tenant_id, at),
    INDEX audit_events_tenant_uuid_at (tenant_uuid, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
