// Class 4: `global_joinable!` joins without a tenant term, so its parent must be
// a global table; `ledgers` is a tenant table.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

diesel::table! {
    entries (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        ledger_id -> BigInt,
    }
}

diesel::joinable!(entries -> ledgers (ledger_id));
diesel::allow_tables_to_appear_in_same_query!(entries, ledgers);

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = entries)]
struct Entry {
    id: i64,
    tenant_id: i64,
    ledger_id: i64,
}

global_joinable!(entries -> ledgers (ledger_id));

fn main() {}
