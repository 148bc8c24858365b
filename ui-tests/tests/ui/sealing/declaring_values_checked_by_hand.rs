// Class 6: `TenantValues` is written by its derive, which checks every field.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

#[derive(Insertable)]
#[diesel(table_name = ledgers)]
struct Raw {
    tenant_id: i64,
}

impl tenant_diesel::TenantValues<ledgers::table> for Raw {}

fn main() {}
