// An upsert whose conflict target is SQL text (Diesel takes an SQL literal as
// a target): text the tenant checks never see, pasted into the statement.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, Account, NewAccount};

fn main() {
    let row = NewAccount { id: 1, name: "Acme".into() };
    let target = diesel::dsl::sql::<diesel::sql_types::Text>("(id) DO NOTHING --");
    let _ = Account::scoped(&acme()).insert(&row).on_conflict(target).do_nothing();
}
