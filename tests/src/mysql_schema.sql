-- The test schema on MySQL and MariaDB: the tables and keys of
-- migrations/2024-01-01-000000_create_schema/up.sql in MySQL's types. Every text
-- column is `VARCHAR(..) COLLATE utf8mb4_bin` (the database's default too):
-- MariaDB's default collation compares case-insensitively, under which
-- 'GLOBEX' = 'globex', and a UUID tenant id kept as text in upper case would
-- match the tenant's lower-case one.
CREATE TABLE tenants (id BIGINT PRIMARY KEY, slug VARCHAR(64) COLLATE utf8mb4_bin NOT NULL UNIQUE, name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL, plan VARCHAR(64) COLLATE utf8mb4_bin NOT NULL);
CREATE TABLE plans (id BIGINT PRIMARY KEY, name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL);
-- Every key of a tenant table leads with the tenant, as on PostgreSQL.
CREATE TABLE accounts (
    id BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    balance BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE notes (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT NOT NULL,
    body VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- No foreign key on `account_id`: the seed's invoice 5 of tenant 1 names account 2
-- of tenant 2.
CREATE TABLE invoices (
    id BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    account_id BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE subscriptions (
    id BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE comments (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT NOT NULL,
    note_id BIGINT NOT NULL,
    body VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, note_id) REFERENCES notes (tenant_id, id)
);
