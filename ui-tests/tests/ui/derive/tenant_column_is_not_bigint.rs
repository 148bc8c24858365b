use tenant_diesel::prelude::*;

diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> Integer,
    }
}

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
struct Account {
    id: i64,
    tenant_id: i32,
}

fn main() {}
