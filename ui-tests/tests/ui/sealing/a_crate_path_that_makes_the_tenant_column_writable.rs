// An attacker's `crate = ..` that keeps tenant-diesel's own seal and shadows one
// hidden item: the tenant column's role, so that the derive declares the tenant
// column writable and `update(..).set_column(tenant_id, 2)` would move a row to
// another tenant. `TenantTable` itself requires its tenant column to have
// tenant-diesel's tenant-column role, whatever path the derive named.
use tenant_diesel::prelude::*;

mod look_alike {
    pub use tenant_diesel::*;

    pub mod __private {
        pub use tenant_diesel::__private::*;
        pub use tenant_diesel::__private::WritableColumnRole as TenantColumnRole;
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
