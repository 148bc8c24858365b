//! Tenant identities, tenant contexts and tenant-keyed stores.
//!
//! This crate knows nothing of Diesel. It owns the one value every tenant-scoped
//! operation needs: a [`TenantCtx`], which cannot be built, defaulted or deserialised
//! by application code. Everything that touches tenant data (a query, a cache entry)
//! is derived from a context, so forgetting the tenant is a type error rather than a
//! silent leak.
//!
//! Applications depend on `tenant-diesel`, which re-exports this crate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cache;
mod ctx;
mod id;
mod key;

pub use cache::{AsTenantKey, TenantCache};
pub use ctx::TenantCtx;
pub use id::TenantId;
pub use key::{KeyKind, TenantKey};

#[doc(hidden)]
pub mod __temporary {
    //! The foundation's stop-gap way to mint a [`TenantCtx`](crate::TenantCtx).
    pub use crate::ctx::mint_unverified;
}
