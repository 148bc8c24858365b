// A tenant join of an `integer` tenant table and a `bigint` one: the join
// compares the two tenant columns, which must have one type.
use tenant_diesel::prelude::*;

diesel::table! {
    projects (id) {
        id -> BigInt,
        org_id -> Integer,
    }
}

diesel::table! {
    tasks (id) {
        id -> BigInt,
        org_id -> BigInt,
        project_id -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(projects, tasks);

#[derive(TenantScoped)]
#[diesel(table_name = projects)]
#[tenant(column = org_id)]
struct Project {
    id: i64,
    org_id: i32,
}

#[derive(TenantScoped)]
#[diesel(table_name = tasks)]
#[tenant(column = org_id)]
struct Task {
    id: i64,
    org_id: i64,
    project_id: i64,
}

tenant_joinable!(tasks -> projects (project_id));

fn main() {}
