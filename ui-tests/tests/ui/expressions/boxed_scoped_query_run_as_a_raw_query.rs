// A boxed scoped query is still sealed: it cannot be unwrapped into a raw one.
use tenant_diesel_ui_tests::{acme, database, Account};

fn main() {
    let mut raw = database();
    let boxed = Account::scoped(&acme()).into_boxed::<diesel::sqlite::Sqlite>();
    let _: diesel::QueryResult<Vec<Account>> = diesel::RunQueryDsl::load(boxed, &mut raw);
}
