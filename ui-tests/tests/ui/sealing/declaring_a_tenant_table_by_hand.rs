// Class 6: `TenantTable` is written by `#[derive(TenantScoped)]`: a hand-written
// one could filter by any column.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

impl tenant_diesel::TenantTable for rates::table {
    type TenantColumn = rates::value;
    type Id = i64;
    const TABLE_NAME: &'static str = "rates";
    const SHARED_ROWS: bool = false;
    type TenantEq = ();
    type Filtered = ();
    fn tenant_eq(_: TenantId) {}
    fn tenant_filter(_: TenantId) {}
}

fn main() {}
