// Class 6: `TenantValues` is written by its derive, which checks every field.
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

#[derive(Insertable)]
#[diesel(table_name = ledgers)]
struct Raw {
    tenant_id: i64,
}

impl tenant_diesel::TenantValues<ledgers::table> for Raw {}

fn main() {}
