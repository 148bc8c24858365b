// An upsert into accounts whose changes are checked for another table: they
// were never checked to leave the accounts' tenant column alone.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, invoices, Account, NewAccount};

#[derive(AsChangeset, TenantValues)]
#[diesel(table_name = invoices)]
struct InvoiceChanges {
    amount: i64,
}

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let _ = Account::scoped(&acme())
        .insert(&row)
        .on_conflict(accounts::id)
        .do_update()
        .set(&InvoiceChanges { amount: 0 });
}
