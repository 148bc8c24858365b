// An attacker's SQL type, declared a tenant column type by hand: its own
// `ToSql` would decide what the tenant filter binds.
use tenant_diesel::__private::{TenantColumnIsNotNull, TenantColumnType};

#[derive(diesel::sql_types::SqlType)]
#[diesel(postgres_type(name = "int8"))]
struct AnyTenant;

impl TenantColumnType for AnyTenant {}
impl TenantColumnIsNotNull for AnyTenant {}

fn main() {}
