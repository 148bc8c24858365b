// A context for UUID ids reading the shared rows of a table whose tenant column is
// `bigint`: the shared scope checks the id type like the tenant's own scope.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::Label;

fn list(ctx: &TenantCtx<uuid::Uuid>) {
    let _ = Label::scoped_with_shared_rows(ctx);
}

fn main() {}
