// Class 6: `TenantTable` is written by `#[derive(TenantScoped)]`: a hand-written
// one could filter by any column.
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

impl tenant_diesel::TenantTable for rates::table {
    type TenantColumn = rates::value;
    const TABLE_NAME: &'static str = "rates";
    type TenantEq = ();
    type Filtered = ();
    fn tenant_eq(_: TenantId) {}
    fn tenant_filter(_: TenantId) {}
}

fn main() {}
