// Class 1: a values field whose type is a subquery: the insert would copy
// another tenant's invoice amount into this row.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, invoices};

type StolenAmount = diesel::dsl::AssumeNotNull<
    diesel::dsl::SingleValue<diesel::dsl::Select<invoices::table, invoices::amount>>,
>;

#[derive(Insertable, TenantValues)]
#[diesel(table_name = accounts)]
struct CopyAnInvoice {
    id: StolenAmount,
    name: String,
}

fn main() {}
