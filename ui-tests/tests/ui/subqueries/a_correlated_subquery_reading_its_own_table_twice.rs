// Correlating a query with its own table makes its columns ambiguous.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, invoices, Invoice};

fn main() {
    let _ = Invoice::scoped(&acme())
        .correlated::<invoices::table>()
        .filter(invoices::amount.gt(1));
}
