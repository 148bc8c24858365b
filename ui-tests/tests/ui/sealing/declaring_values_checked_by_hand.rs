// Class 6: `TenantValues` is written by its derive, which checks every field.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

#[derive(Insertable)]
#[diesel(table_name = ledgers)]
struct Raw {
    tenant_id: i64,
}

// A whole impl, as an attacker would write it: the values it sends name the
// tenant column.
impl tenant_diesel::TenantValues<ledgers::table> for Raw {
    type InsertValues = diesel::dsl::Eq<ledgers::tenant_id, i64>;
    type Changes = diesel::dsl::Eq<ledgers::tenant_id, i64>;

    fn insert_values(self) -> Self::InsertValues {
        ledgers::tenant_id.eq(self.tenant_id)
    }

    fn changes(self) -> Self::Changes {
        ledgers::tenant_id.eq(self.tenant_id)
    }
}

fn main() {}
