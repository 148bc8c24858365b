// An async tenant connection opened with a resolved UUID tenant: resolving is not
// authorizing, whatever the type of the id.
use tenant_diesel::async_conn::AsyncSqliteConnection;
use tenant_diesel::async_prelude::*;
use tenant_diesel::{ResolvedTenant, Tenant, TenantSlug};

fn open(raw: AsyncSqliteConnection) {
    let resolved = ResolvedTenant::new(Tenant {
        id: TenantId::new(uuid::Uuid::nil()),
        slug: TenantSlug::parse("acme").unwrap(),
        name: "Acme".into(),
        plan: "pro".into(),
    });
    let _ = AsyncTenantConn::new(raw, &resolved);
}

fn main() {
    let _ = open;
}
