// Class 6: the tenant column's role is written once, by the derive; a
// hand-written `WritableColumn` conflicts with it.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

impl tenant_diesel::WritableColumn for ledgers::tenant_id {}

fn main() {}
