// A `smallint` tenant column: tenant ids are `Integer`, `BigInt` or `Uuid`, and
// the fix is a migration, never a schema.rs edit that lies about the database.
use tenant_diesel::prelude::*;

diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> SmallInt,
    }
}

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
struct Account {
    id: i64,
    tenant_id: i16,
}

fn main() {}
