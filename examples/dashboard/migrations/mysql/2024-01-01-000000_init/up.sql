-- The dashboard's schema on MySQL and MariaDB. Run by the tables' owner
-- (ADMIN_DATABASE_URL), never by the application's user, which gets rows and no
-- DDL: `verify_isolation` refuses a user that could create a view, a trigger or
-- a temporary table in front of a tenant table.
-- Text is `VARCHAR(..) COLLATE utf8mb4_bin`: the default collation compares
-- case-insensitively, under which the slug 'ACME' would name tenant 'acme'.
CREATE TABLE tenants (
    id BIGINT PRIMARY KEY,
    slug VARCHAR(64) COLLATE utf8mb4_bin NOT NULL UNIQUE,
    name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    plan VARCHAR(64) COLLATE utf8mb4_bin NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    username VARCHAR(255) COLLATE utf8mb4_bin NOT NULL UNIQUE,
    password_hash VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    is_staff BOOLEAN NOT NULL DEFAULT FALSE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (user_id, tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
-- The key leads with the tenant: a key on `id` alone would tell one tenant,
-- through a refused insert, which ids another holds.
CREATE TABLE accounts (
    id BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    name VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    status VARCHAR(32) COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (tenant_id, id),
    INDEX accounts_tenant_name (tenant_id, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
