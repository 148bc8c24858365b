// `find(id)` takes the primary key without the tenant column. A key of the tenant
// column and two more has no single such column: the error says so and names
// the way (filter on the key's columns).
#![allow(clippy::disallowed_methods)]
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::acme;

diesel::table! {
    line_items (tenant_id, order_id, line) {
        tenant_id -> BigInt,
        order_id -> BigInt,
        line -> BigInt,
    }
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = line_items)]
struct LineItem {
    tenant_id: i64,
    order_id: i64,
    line: i64,
}

fn main() {
    let _ = LineItem::scoped(&acme()).find(1_i64);
}
