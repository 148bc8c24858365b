-- The dashboard's schema on SQLite: global tables (tenants, users, memberships)
-- and one tenant table (accounts).
CREATE TABLE tenants (
    id BIGINT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    plan TEXT NOT NULL
);
CREATE TABLE users (
    id BIGINT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    is_staff BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (user_id, tenant_id)
);
CREATE TABLE accounts (
    id BIGINT PRIMARY KEY NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX accounts_tenant_name ON accounts (tenant_id, name);
