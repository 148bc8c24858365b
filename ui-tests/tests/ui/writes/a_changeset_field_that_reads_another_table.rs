// Class 1: a changeset field whose type is a subquery: the update would copy
// another tenant's note into this row's name.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, notes};

type StolenBody = diesel::dsl::AssumeNotNull<
    diesel::dsl::SingleValue<diesel::dsl::Select<notes::table, notes::body>>,
>;

#[derive(AsChangeset, TenantValues)]
#[diesel(table_name = accounts)]
struct CopyANote {
    name: StolenBody,
}

fn main() {}
