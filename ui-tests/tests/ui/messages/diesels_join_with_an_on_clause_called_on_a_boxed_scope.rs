// Class 8: Diesel's own join with an explicit `ON`, on a boxed scoped query.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Invoice};

fn main() {
    let boxed = Invoice::scoped(&acme()).into_boxed::<diesel::sqlite::Sqlite>();
    let _ = diesel::QueryDsl::inner_join(
        boxed,
        accounts::table.on(invoices::account_id.eq(accounts::id)),
    );
}
