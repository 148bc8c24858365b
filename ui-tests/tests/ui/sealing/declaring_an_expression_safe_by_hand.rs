// Class 6: `TenantSafe` is the crate's allow-list; a type of the application's
// cannot put itself on it.
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

struct Anything;
struct MyProof;

impl tenant_diesel::TenantSafe<ledgers::table, MyProof> for Anything {}

fn main() {}
