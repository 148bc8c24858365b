// A `Text` tenant column holds UUIDs (SQLite has no UUID type): a context for
// integer ids does not open it, whatever the integer's text would be.
use tenant_diesel::prelude::*;

diesel::table! {
    docs (id) {
        id -> BigInt,
        tenant_id -> Text,
    }
}

#[derive(Queryable, Selectable, TenantScoped)]
#[diesel(table_name = docs)]
struct Doc {
    id: i64,
    tenant_id: String,
}

fn list(ctx: &TenantCtx) {
    let _ = Doc::scoped(ctx);
}

fn main() {}
