// Class 6: `TenantSafe` is the crate's allow-list; a type of the application's
// cannot put itself on it.
use tenant_diesel::prelude::*;

tenant_diesel_ui_tests::local_tables!();

struct Anything;
struct MyProof;

impl tenant_diesel::TenantSafe<ledgers::table, MyProof> for Anything {}

fn main() {}
