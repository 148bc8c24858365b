// A same-tenant reference declared by hand, not by `tenant_joinable!`: it would
// name whatever column it likes as the foreign key of the generated constraint
// and triggers, for a pair no join declaration vouches for.
#![allow(clippy::disallowed_methods)]
use tenant_diesel::prelude::*;

diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> BigInt,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        account_id -> BigInt,
    }
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = accounts)]
struct Account {
    id: i64,
    tenant_id: i64,
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = invoices)]
struct Invoice {
    id: i64,
    tenant_id: i64,
    account_id: i64,
}

impl tenant_diesel::SameTenantReference<accounts::table> for invoices::table {
    const FOREIGN_KEY: &'static str = "id";
}

fn main() {}
