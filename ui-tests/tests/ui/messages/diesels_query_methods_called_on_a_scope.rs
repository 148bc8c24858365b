// Class 8: Diesel's own query methods named through `diesel::QueryDsl` on a
// scoped query, each with an expression the scope's check never sees. Before,
// they ended in "overflow evaluating the requirement `_: Sized`".
use diesel::ExpressionMethods;
use tenant_diesel_ui_tests::{acme, invoices, Account};

fn main() {
    let _ = diesel::QueryDsl::select(Account::scoped(&acme()), invoices::amount);
    let _ = diesel::QueryDsl::filter(Account::scoped(&acme()), invoices::amount.gt(0));
    let _ = diesel::QueryDsl::order(Account::scoped(&acme()), invoices::amount);
    let _ = diesel::QueryDsl::group_by(Account::scoped(&acme()), invoices::amount);
    let _ = diesel::QueryDsl::find(Account::scoped(&acme()), 2);
}
