// Class 1/3: `skip_insertion` leaves a field out of inserts only; an update
// still writes it, so it is checked like any other: here it would move the row
// to another tenant.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::accounts;

#[derive(TenantValues)]
#[diesel(table_name = accounts)]
struct MoveOnUpdate {
    name: String,
    #[diesel(skip_insertion)]
    tenant_id: i64,
}

fn main() {}
