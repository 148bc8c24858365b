// Class 10: a function declared with `tenant_sql_function!` has its arguments
// checked: a subquery there is refused like anywhere else.
use diesel::sql_types::Nullable;
use diesel::sql_types::BigInt;
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Account};

tenant_diesel::tenant_sql_function! {
    fn abs_of(x: Nullable<BigInt>) -> Nullable<BigInt>;
}

fn main() {
    let _ = Account::scoped(&acme())
        .select(abs_of(invoices::table.select(invoices::amount).single_value()));
}
