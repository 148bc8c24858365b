// A context for UUID tenant ids opening a table reached through a parent
// whose tenant ids are integers.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::TeamMember;

fn list(ctx: &TenantCtx<uuid::Uuid>) {
    let _ = TeamMember::scoped(ctx);
}

fn main() {}
