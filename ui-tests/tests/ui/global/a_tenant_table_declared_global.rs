// Leak vector 10's cousin: a table cannot be both tenant-scoped and global, even
// with its tenant column marked as shared.
use tenant_diesel::prelude::*;

diesel::table! {
    ledgers (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
    }
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = ledgers)]
struct Ledger {
    id: i64,
    tenant_id: i64,
    name: String,
}

global_table!(ledgers(id, #[not_a_tenant_column] tenant_id, name));

fn main() {}
