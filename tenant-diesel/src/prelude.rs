//! Everything a Diesel user needs, with Diesel's `RunQueryDsl` replaced.
//!
//! Import it instead of `diesel::prelude::*`:
//!
//! ```
//! use tenant_diesel::prelude::*;
//! ```
//!
//! It re-exports Diesel's prelude, except that `RunQueryDsl` is this crate's
//! [`RunQueryDsl`]: it runs Diesel queries on Diesel connections as before, and on
//! a [`TenantConn`] it accepts only sealed, tenant-scoped queries, saying so in the
//! compile error when it refuses one.
//! With Diesel's prelude a raw query on a `TenantConn` still fails to compile, but
//! with Diesel's message about `Connection`.

pub use diesel::prelude::*;

// These explicit re-exports shadow the names of the glob above.
pub use crate::conn::TenantConn;
pub use crate::join::{ScopedInnerJoin, ScopedLeftJoin};
pub use crate::run_dsl::RunQueryDsl;
pub use crate::scoped::Scoped;
pub use crate::{global, global_joinable, global_table, tenant_joinable};
#[cfg(feature = "cache")]
pub use tenant_core::TenantCache;
pub use tenant_core::{AsTenantKey, Presence, TenantCtx, TenantId, TenantKey};
pub use tenant_macros::{audited, TenantScoped, TenantValues};
// The trait of the derive above: one name, two namespaces.
pub use crate::values::TenantValues;

// Only for the error of an insert from a scope that has none.
pub use crate::owned::InsertFromAScope as _;
// Only for the error of shared rows asked of a model that has none.
pub use crate::shared_rows::SharedRowsOfAModel as _;
// Only for the error of an upsert from a scope that has none.
pub use crate::upsert::UpsertFromAScope as _;
