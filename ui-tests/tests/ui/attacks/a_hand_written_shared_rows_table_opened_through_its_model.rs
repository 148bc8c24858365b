// `SharedRowsTable` written by hand for a tenant table whose model does not say
// `shared_rows`, then opened through the model's `scoped_with_shared_rows`.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

impl tenant_diesel::SharedRowsTable for ledgers::table {
    type SharedFiltered = ledgers::table;
    fn shared_filter(_: TenantId) -> ledgers::table {
        ledgers::table
    }
}

fn list(ctx: &TenantCtx) {
    let _ = Ledger::scoped_with_shared_rows(ctx);
}

fn main() {}
