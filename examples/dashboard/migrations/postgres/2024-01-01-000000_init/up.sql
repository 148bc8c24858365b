-- The dashboard's schema on PostgreSQL. Run by the tables' owner (ADMIN_DATABASE_URL),
-- never by the application's role: `verify_isolation` refuses an owner. Row-level
-- security on `accounts` comes from the library's `RlsMigrations`, run after this.
CREATE TABLE tenants (
    id BIGINT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    plan TEXT NOT NULL
);
CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    is_staff BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (user_id, tenant_id)
);
-- The key leads with the tenant: a key on `id` alone would tell one tenant,
-- through a refused insert, which ids another holds (uniqueness is checked across
-- every row, row-level security or not), and `verify_isolation` refuses it.
CREATE TABLE accounts (
    id BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The application's rights go to a group role; the login role in DATABASE_URL is
-- made a member of it (`GRANT dashboard_app TO app_user`). The app role gets rows,
-- never ownership: an owner could turn row-level security off.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dashboard_app') THEN
        CREATE ROLE dashboard_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
END
$$;
GRANT SELECT ON tenants, users, memberships TO dashboard_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts TO dashboard_app;
