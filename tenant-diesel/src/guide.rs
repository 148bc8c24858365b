//! The chapters are the Markdown files of `docs/guide/`, and their examples are
//! doctests. A chapter whose examples need a feature is compiled in with that
//! feature (docs.rs builds every feature, so it shows them all).
//!
//! Start with [`reads`](crate::guide::reads) and
//! [`writes`](crate::guide::writes); [`migrating`](crate::guide::migrating) is
//! the way in from plain Diesel, and `errors` shows what a leak looks like at
//! compile time.

pub mod reads {
    #![doc = include_str!("../docs/guide/reads.md")]
}
pub mod writes {
    #![doc = include_str!("../docs/guide/writes.md")]
}
pub mod upserts_and_locks {
    #![doc = include_str!("../docs/guide/upserts_and_locks.md")]
}
pub mod expression_check {
    #![doc = include_str!("../docs/guide/expression_check.md")]
}
pub mod joins {
    #![doc = include_str!("../docs/guide/joins.md")]
}
pub mod subqueries {
    #![doc = include_str!("../docs/guide/subqueries.md")]
}
pub mod associations {
    #![doc = include_str!("../docs/guide/associations.md")]
}
// Its examples run an `AsyncTenantConn`.
#[cfg(feature = "async")]
pub mod async_queries {
    #![doc = include_str!("../docs/guide/async_queries.md")]
}
pub mod tenant_leading_keys {
    #![doc = include_str!("../docs/guide/tenant_leading_keys.md")]
}
pub mod tenant_ids {
    #![doc = include_str!("../docs/guide/tenant_ids.md")]
}
pub mod shared_rows {
    #![doc = include_str!("../docs/guide/shared_rows.md")]
}
pub mod through_parent {
    #![doc = include_str!("../docs/guide/through_parent.md")]
}
pub mod existing_schemas {
    #![doc = include_str!("../docs/guide/existing_schemas.md")]
}
pub mod migrating {
    #![doc = include_str!("../docs/guide/migrating.md")]
}
// Its examples read memberships and tenants through an r2d2 pool, and it links
// the resolvers' configuration and the axum extractor.
#[cfg(all(feature = "axum", feature = "r2d2"))]
pub mod tenant_resolution {
    #![doc = include_str!("../docs/guide/tenant_resolution.md")]
}
pub mod sealed_claims {
    #![doc = include_str!("../docs/guide/sealed_claims.md")]
}
// Its examples fill a `TenantCache`.
#[cfg(feature = "cache")]
pub mod stores {
    #![doc = include_str!("../docs/guide/stores.md")]
}
// Not `audit`: a second module of that name in this crate changes how rustc
// prints the audit table's path in compile errors (the ui snapshots).
pub mod audit_log {
    #![doc = include_str!("../docs/guide/audit_log.md")]
}
pub mod admin {
    #![doc = include_str!("../docs/guide/admin.md")]
}
pub mod escape_hatch_report {
    #![doc = include_str!("../docs/guide/escape_hatch_report.md")]
}
// The PostgreSQL chapters link (and build) the `postgres` module's items.
#[cfg(feature = "postgres")]
pub mod postgres_wall {
    #![doc = include_str!("../docs/guide/postgres_wall.md")]
}
#[cfg(feature = "postgres")]
pub mod references {
    #![doc = include_str!("../docs/guide/references.md")]
}
#[cfg(feature = "postgres")]
pub mod lookups {
    #![doc = include_str!("../docs/guide/lookups.md")]
}
// MySQL and MariaDB: the compile-time wall with no database wall behind it. Its
// examples run the `mysql` module's start-up check and an `AsyncTenantConn` from
// diesel-async's deadpool pool.
#[cfg(all(feature = "mysql", feature = "deadpool"))]
pub mod mysql {
    #![doc = include_str!("../docs/guide/mysql.md")]
}
pub mod verify_isolation {
    #![doc = include_str!("../docs/guide/verify_isolation.md")]
}
pub mod threat_model {
    #![doc = include_str!("../docs/guide/threat_model.md")]
}
// Its third example must fail for the key, not for a missing `TenantCache`.
#[cfg(feature = "cache")]
pub mod errors {
    #![doc = include_str!("../docs/guide/errors.md")]
}
pub mod what_types_cannot_close {
    #![doc = include_str!("../docs/guide/what_types_cannot_close.md")]
}
pub mod sql_shapes {
    #![doc = include_str!("../docs/guide/sql_shapes.md")]
}
pub mod performance {
    #![doc = include_str!("../docs/guide/performance.md")]
}

// The README's examples (the quickstart, sync and async, and the error) run with
// the doctests, so that the front page stays true to the API. Not documented:
// the README is the crate's page on crates.io, not a chapter. The path exists
// in the repository only, and doctests run there.
#[cfg(all(doctest, feature = "async", feature = "sqlite"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
