// Leak vector 10's cousin: a table cannot be both tenant-scoped and global, even
// with its tenant column marked as shared.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

global_table!(ledgers(id, #[not_a_tenant_column] tenant_id, name));

fn main() {}
