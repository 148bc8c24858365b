// A context for `i64` tenant ids opening a table whose tenant column is
// `integer`: an id that does not fit the column never reaches a query.
use tenant_diesel::prelude::*;

diesel::table! {
    projects (id) {
        id -> Integer,
        org_id -> Integer,
    }
}

#[derive(Queryable, Selectable, TenantScoped)]
#[diesel(table_name = projects)]
#[tenant(column = org_id)]
struct Project {
    id: i32,
    org_id: i32,
}

fn list(ctx: &TenantCtx<i64>) {
    let _ = Project::scoped(ctx);
}

fn main() {}
