// An attacker's SQL type, declared a tenant column type by hand: its own
// `ToSql` would decide what the tenant filter binds.
use tenant_diesel::__private::{TenantColumnIsNotNull, TenantColumnType};
use tenant_diesel::{TenantColumnSql, TenantId};

#[derive(diesel::sql_types::SqlType)]
#[diesel(postgres_type(name = "int8"))]
struct AnyTenant;

impl TenantColumnType for AnyTenant {
    type Id = i64;
    type Bind = i64;
    fn bind(id: TenantId<i64>) -> i64 {
        id.get()
    }
    fn read(stored: i64) -> Option<TenantId<i64>> {
        Some(TenantId::new(stored))
    }
    const SQL: TenantColumnSql = TenantColumnSql::BigInt;
}
impl TenantColumnIsNotNull for AnyTenant {}

fn main() {}
