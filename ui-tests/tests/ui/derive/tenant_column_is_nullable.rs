use tenant_diesel::prelude::*;

diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> Nullable<BigInt>,
    }
}

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
struct Account {
    id: i64,
    tenant_id: Option<i64>,
}

fn main() {}
