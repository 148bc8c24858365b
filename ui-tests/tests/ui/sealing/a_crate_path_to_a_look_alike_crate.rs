// An attacker's `crate = ..`: a look-alike of tenant-diesel whose `__private` has
// a seal of its own. The derive then implements the look-alike's seal, not
// tenant-diesel's, which tenant-diesel's traits require. (A look-alike that keeps
// the real seal and shadows the tenant column's role is refused too:
// `a_crate_path_that_makes_the_tenant_column_writable.rs`; one that shadows a
// check function is not refused by the types, and the escape-hatch report lists
// its `crate = ..` and its `__private` module: see `TenantScoped`'s docs.)
use tenant_diesel::prelude::*;

mod look_alike {
    pub use tenant_diesel::*;

    pub mod __private {
        pub use tenant_diesel::__private::*;

        /// Implemented by anyone.
        pub trait ImplementedByTenantDieselOnly<Marker = ()> {}
    }
}

diesel::table! {
    ledgers (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
    }
}

#[derive(Queryable, TenantScoped)]
#[diesel(table_name = ledgers)]
#[tenant(crate = look_alike)]
struct Ledger {
    id: i64,
    tenant_id: i64,
    name: String,
}

fn main() {}
