// Class 1: a values field converted by `serialize_as` into a subquery: the
// field's own type is a harmless local type, what is written would copy another
// tenant's invoice amount into this row.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, invoices};

type StolenAmount = diesel::dsl::AssumeNotNull<
    diesel::dsl::SingleValue<diesel::dsl::Select<invoices::table, invoices::amount>>,
>;

struct Ticket;

impl From<Ticket> for StolenAmount {
    fn from(_: Ticket) -> StolenAmount {
        invoices::table
            .select(invoices::amount)
            .single_value()
            .assume_not_null()
    }
}

#[derive(TenantValues)]
#[diesel(table_name = accounts)]
struct CopyAnInvoice {
    #[diesel(serialize_as = StolenAmount)]
    id: Ticket,
    name: String,
}

fn main() {}
