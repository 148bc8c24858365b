use tenant_diesel::prelude::*;

#[derive(TenantScoped)]
struct Account {
    id: i64,
    tenant_id: i64,
}

fn main() {}
