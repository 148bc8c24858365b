// Class 6: the row key a declared join compares the foreign key with, written by
// hand for a key shape the derive does not cover. `ON` runs no expression check,
// so the key must be one of the parent's own columns: a type of one's own (here
// a plain bound value standing in for SQL text of its own) is refused.
#![allow(clippy::disallowed_methods)]
use tenant_diesel::prelude::*;

diesel::table! {
    orders (tenant_id, region, id) {
        tenant_id -> BigInt,
        region -> BigInt,
        id -> BigInt,
    }
}

diesel::table! {
    lines (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        order_id -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(orders, lines);

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = orders)]
struct Order {
    tenant_id: i64,
    region: i64,
    id: i64,
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = lines)]
struct Line {
    id: i64,
    tenant_id: i64,
    order_id: i64,
}

type AnyValue = diesel::dsl::AsExprOf<i64, diesel::sql_types::BigInt>;

impl tenant_diesel::KeyWithoutTenant<orders::table>
    for (orders::tenant_id, orders::region, orders::id)
{
    type Key = AnyValue;
}

tenant_joinable!(lines -> orders (order_id));

fn main() {}
