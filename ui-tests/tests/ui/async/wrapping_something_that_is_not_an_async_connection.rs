// An `AsyncTenantConn` wraps a diesel-async connection only: not a sync one,
// whose raw queries would bypass the async seal.
use tenant_diesel::async_prelude::*;
use tenant_diesel_ui_tests::acme;

fn main() {
    let raw = diesel::SqliteConnection::establish(":memory:").unwrap();
    let _ = AsyncTenantConn::new(raw, &acme());
}
