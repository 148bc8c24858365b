// Class 6: `GlobalTable` is declared by `global_table!`, not by hand.
use tenant_diesel::prelude::*;

diesel::table! {
    ledgers (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    rates (id) {
        id -> BigInt,
        value -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(ledgers, rates);

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = ledgers)]
struct Ledger {
    id: i64,
    tenant_id: i64,
    name: String,
}

impl tenant_diesel::GlobalTable for rates::table {}

fn main() {
    let _ = global(rates::table);
}
