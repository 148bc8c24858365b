// A context for UUID tenant ids opening a table whose tenant column is an
// integer: one tenant's UUID is no tenant's integer.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::Account;

fn list(ctx: &TenantCtx<uuid::Uuid>) {
    let _ = Account::scoped(ctx);
}

fn main() {}
