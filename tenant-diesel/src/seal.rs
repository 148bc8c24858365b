//! The seal on every trait whose impl grants access to tenant data.
//!
//! `TenantTable`, `GlobalTable`, `TenantValues`, `TenantSafe`, the role of a
//! column and a declared join each say "the types checked this": an impl written
//! by hand would say it without the check (`impl WritableColumn for
//! accounts::tenant_id {}` would let an update move rows to another tenant). So
//! each of them requires [`ImplementedByTenantDieselOnly`], which the derives and
//! this crate's macros implement beside them.
//!
//! Rust has no way to let a macro's expansion in the application's crate implement
//! a trait that the application's own code may not: the seal is reachable, under
//! `tenant_diesel::__private`, for the code those macros write. What it does is
//! make a hand-written impl of an access-granting trait fail to compile unless the
//! author also writes `impl ImplementedByTenantDieselOnly for ..`, whose name says
//! what it breaks, and which a search of the code base finds (the escape-hatch
//! review lists every impl of it outside the derives and macros).

/// Implemented only by the code that `#[derive(TenantScoped)]`,
/// `#[derive(TenantValues)]` and this crate's declaration macros write; never by
/// hand. A hand-written impl declares that what the sealed trait promises (a
/// table's tenant column, a column's role, an expression's shape) was checked,
/// without the check.
#[diagnostic::on_unimplemented(
    message = "`{Self}` can only be declared by tenant-diesel's derives and macros",
    label = "implemented by hand",
    note = "a tenant table is declared by `#[derive(TenantScoped)]` on its model, a shared table by `global_table!`, write values by `#[derive(TenantValues)]`, a join by `tenant_joinable!`/`global_joinable!`, a SQL function or operator by `tenant_sql_function!`/`tenant_infix_operator!`; a hand-written impl would skip the check those make"
)]
pub trait ImplementedByTenantDieselOnly<Marker = ()> {}

/// Implemented once for each table, by whichever declares it: the model that
/// derives `TenantScoped` (directly or through a parent) or `global_table!`.
/// Both write this impl first, so a table declared twice (two models, or a
/// model and `global_table!`) is a conflicting-implementations error (E0119)
/// whose trait name says what is wrong.
#[doc(hidden)]
pub trait EachTableIsDeclaredOnceByOneModelOrByGlobalTable {}

/// The supertrait of the traits that exist only to refuse: implemented by
/// nothing, and unnameable outside this crate, so no crate can implement the
/// public trait that names it (`NoOrFilterOnScopedQueries`, the shared rows'
/// and the locks' refusals ..), whose message then explains the refusal.
pub(crate) mod never {
    /// Implemented by nothing.
    pub trait Implemented {}
}
