// Asking for the shared rows of a model that has none.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::Account;

fn list(ctx: &TenantCtx) {
    let _ = Account::scoped_with_shared_rows(ctx);
}

fn main() {}
