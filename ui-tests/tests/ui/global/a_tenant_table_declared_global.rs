// A table cannot be both tenant-scoped and global.
use tenant_diesel::prelude::*;

diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> BigInt,
    }
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = accounts)]
struct Account {
    id: i64,
    tenant_id: i64,
}

global_table!(accounts);

fn main() {}
