//! Compile-time multi-tenant isolation for the Diesel ORM.
//!
//! **A query on a tenant-scoped table that is not filtered by the current tenant
//! does not type-check.** Derive [`TenantScoped`] on the model of each tenant-owned
//! table, open a [`TenantConn`] for the request's [`TenantCtx`], and start every
//! query from the model:
//!
//! ```
//! use tenant_diesel::prelude::*;
//!
//! diesel::table! {
//!     accounts (id) {
//!         id -> BigInt,
//!         tenant_id -> BigInt,
//!         name -> Text,
//!     }
//! }
//!
//! #[derive(Queryable, Selectable, TenantScoped, Debug)]
//! #[diesel(table_name = accounts)]
//! struct Account {
//!     id: i64,
//!     tenant_id: i64,
//!     name: String,
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mut raw = SqliteConnection::establish(":memory:")?;
//! # diesel::RunQueryDsl::execute(diesel::sql_query(
//! #     "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL)"), &mut raw)?;
//! # diesel::RunQueryDsl::execute(diesel::sql_query(
//! #     "INSERT INTO accounts VALUES (1, 1, 'Acme Ltd'), (2, 2, 'Contoso plc')"), &mut raw)?;
//! # let ctx = tenant_core::doc_support::context("acme");
//! let mut conn = TenantConn::new(&mut raw, &ctx);
//! let mine: Vec<Account> = Account::scoped(&ctx)
//!     .order(accounts::name)
//!     .limit(10)
//!     .load(&mut conn)?;
//! assert_eq!(mine.len(), 1);
//! # Ok(()) }
//! ```
//!
//! The unsafe path does not compile: `accounts::table.load(&mut conn)` fails with
//! "this query is not tenant-scoped", because a `TenantConn` is not a Diesel
//! connection and only sealed [`Scoped`] queries (and queries of tables declared
//! with [`global_table!`]) run on it.
//!
//! The [`guide`] explains each part, one chapter per topic: scoped reads and
//! writes, joins and subqueries, tenant resolution, the stores, the audit log,
//! the PostgreSQL wall, and the way in from plain Diesel.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod associations;
#[cfg(feature = "async")]
pub mod async_conn;
pub mod audit;
mod conn;
#[cfg(any(feature = "sqlite", feature = "mysql", feature = "async-mysql"))]
mod declared;
mod diesel_dsl;
mod directory;
mod error;
mod global;
/// The guide: how each part of tenant-diesel works, one chapter per topic, with
/// examples that run as doctests.
pub mod guide;
mod join;
mod locking;
mod owned;
mod references;
mod returning;
mod row_key;

pub(crate) mod run_dsl;
mod safe;
mod scalar;
mod scoped;
mod seal;
mod shared_rows;
mod subquery;
mod table;
mod upsert;
mod values;
mod wall;
mod write;

#[cfg(any(feature = "mysql", feature = "async-mysql"))]
pub mod mysql;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod prelude;

/// The prelude for async code: the same as [`prelude`], with the async
/// [`RunQueryDsl`](async_conn::RunQueryDsl) (so `.load(&mut conn).await`) and
/// [`AsyncTenantConn`](async_conn::AsyncTenantConn).
#[cfg(feature = "async")]
pub mod async_prelude {
    pub use crate::async_conn::{AsyncTenantConn, RunQueryDsl};
    pub use crate::prelude::*;
}

pub use admin::{AdminConn, AdminCtx, AdminError};
pub use conn::{RawConnection, TenantConn};
#[cfg(any(feature = "sqlite", feature = "mysql", feature = "async-mysql"))]
pub use declared::{DeclarationError, DeclarationProblem, DeclaredTables};
pub use directory::DirectoryError;
pub use error::TenantMismatch;
pub use global::global;

/// The aggregate functions of scoped queries: Diesel's own `COUNT`, `SUM`, `AVG`,
/// `MIN` and `MAX`, in a form the expression check knows (see [`TenantSafe`]).
/// Use them instead of `diesel::dsl::{count, sum, avg, min, max}` in a scoped
/// query; `count_star()` is Diesel's.
pub mod dsl {
    pub use crate::safe::aggregates::{avg, count, max, min, sum, Avg, Count, Max, Min, Sum};
    pub use diesel::dsl::count_star;
}
pub use join::{ScopedInnerJoin, ScopedLeftJoin, TenantJoin};
pub use locking::{
    KeyLockBackend, LockableRows, NoLockToModify, NoRowLocksOnSharedRows, RowLockBackend,
};
pub use owned::{
    ForeignKeyIsNotNull, InsertFromAScope, NoInsertFromThisScope, OwnedTable, ThroughParent,
};
pub use references::{ReferenceNames, SameTenantReference, SameTenantReferences};
pub use returning::ReturningBackend;
pub use row_key::{KeyWithoutTenant, RowKey};
pub use run_dsl::{RunQueryDsl, Runnable, RunsOn, SealedQuery};
pub use safe::TenantSafe;
pub use scalar::ScopedSingleValue;
pub use scoped::{
    NoCombinationOfScopedQueries, NoDieselFindOnScopedQueries, NoDieselJoinOnScopedQueries,
    NoDieselMethodOnScopedQueries, NoOrFilterOnScopedQueries, ReadWrite, ReadsSharedRows, Scoped,
};
pub use shared_rows::{
    NoSharedRows, NoWritesThroughSharedRows, SharedRowsOfAModel, SharedRowsTable,
};
pub use subquery::{Correlated, ScopedSubquery};
pub use table::{GlobalTable, TenantColumnSql, TenantColumnType, TenantTable, WritableTable};
/// The axum extractor: resolves the tenant, checks membership and hands the handler
/// a [`TenantCtx`].
#[cfg(feature = "axum")]
pub use tenant_core::axum;
/// Tenant-keyed key-value stores: in memory, and on Redis with the `redis` feature.
pub use tenant_core::store;
#[cfg(feature = "cache")]
pub use tenant_core::TenantCache;
pub use tenant_core::{client_key, AnyTenantId, TenantIdValue, WidensTo};
#[cfg(feature = "http")]
pub use tenant_core::{
    config, host, resolve, ConfigError, Host, HostError, HostSource, ResolverKind, TenantConfig,
};
pub use tenant_core::{
    AccessDenied, Actor, ActorId, AsTenantCtx, AsTenantKey, AsyncMembershipCheck,
    AsyncTenantDirectory, ClaimError, ClaimKey, ClaimKeyError, InMemoryDirectory, KeyKind,
    MembershipCheck, Presence, ResolvedTenant, SealedClaim, SlugError, Tenant, TenantCtx,
    TenantDirectory, TenantId, TenantKey, TenantSlug,
};
/// Audits an action function: before its body runs, records the context's actor
/// and tenant, the action and (optionally) the target in the auditor.
///
/// ```
/// use std::sync::Arc;
/// use tenant_diesel::audit::{AuditError, Auditor, MemorySink};
/// use tenant_diesel::prelude::*;
/// # diesel::table! { accounts (id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
/// # #[derive(Debug, Queryable, Selectable, TenantScoped)]
/// # #[diesel(table_name = accounts)]
/// # struct Account { id: i64, tenant_id: i64, name: String }
/// # #[derive(Debug)]
/// # enum AppError { Audit(AuditError), Db(diesel::result::Error) }
/// # impl From<AuditError> for AppError { fn from(e: AuditError) -> Self { AppError::Audit(e) } }
/// # impl From<diesel::result::Error> for AppError { fn from(e: diesel::result::Error) -> Self { AppError::Db(e) } }
///
/// #[audited(action = "select_account", target = account_id)]
/// fn select_account(ctx: &TenantCtx, audit: &Auditor, conn: &mut TenantConn<&mut SqliteConnection>,
///                   account_id: i64) -> Result<Option<Account>, AppError> { // AppError: From<AuditError>
///     Ok(Account::scoped(ctx).find(account_id).first(conn).optional()?)
/// }
/// # let mut raw = SqliteConnection::establish(":memory:").unwrap();
/// # diesel::RunQueryDsl::execute(diesel::sql_query(
/// #     "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL)"), &mut raw).unwrap();
/// let log = Arc::new(MemorySink::new());
/// let audit = Auditor::new(log.clone());
/// # let ctx = tenant_core::doc_support::context("acme");
/// # let mut conn = TenantConn::new(&mut raw, &ctx);
/// select_account(&ctx, &audit, &mut conn, 42).unwrap();
/// assert_eq!(log.events()[0].action, "select_account");
/// assert_eq!(log.events()[0].target_id.as_deref(), Some("42"));
/// ```
///
/// The context is the parameter named `ctx` and the auditor the one named
/// `audit`, unless `ctx = ..` or `audit = ..` name others. The function must return
/// a `Result` whose error converts from `AuditError`: under a fail-closed auditor a
/// failed write is that error, and the body does not run.
///
/// A crate that depends on tenant-diesel under another name, or reaches it
/// through a facade, says so with `crate = ..`, as it would to every derive and
/// macro of this crate (see [`TenantScoped`](derive@TenantScoped)):
/// `#[audited(crate = td, action = "select_account")]`.
pub use tenant_macros::audited;
/// Declares an SQL operator of the application's, through Diesel's
/// `infix_operator!`, and lets scoped queries use it with both operands checked:
/// `tenant_infix_operator!(Similar, " % ");` (then `Similar::new(a, b)`).
///
/// The operator is made of operator characters only (`+ - * / < > = ~ ! @ # % ^
/// & | ?`): Diesel writes it without parentheses, so a word such as ` OR ` would
/// turn `WHERE tenant_id = ? AND a OR b` into a read of every tenant, and `--`
/// would comment out the rest of the query. Both are refused.
///
/// Under a renamed dependency or a facade, a leading `crate = ..;` names the
/// path of tenant-diesel: `tenant_infix_operator!(crate = td; Similar, " % ");`
/// (see [`TenantScoped`](derive@TenantScoped)). Diesel itself must be reachable
/// as `diesel`, as Diesel's own macros require.
pub use tenant_macros::tenant_infix_operator;
/// Declares an SQL function of the application's, through Diesel's
/// `define_sql_function!`, and lets scoped queries use it with every argument
/// checked like any expression.
///
/// ```
/// use tenant_diesel::prelude::*;
/// use diesel::sql_types::Text;
///
/// tenant_diesel::tenant_sql_function! {
///     /// `lower(x)`
///     fn lower(x: Text) -> Text;
/// }
/// # diesel::table! { accounts (id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
/// # #[derive(Queryable, Selectable, TenantScoped)]
/// # #[diesel(table_name = accounts)]
/// # struct Account { id: i64, tenant_id: i64, name: String }
/// # let ctx = tenant_core::doc_support::context("acme");
/// let by_name = Account::scoped(&ctx).filter(lower(accounts::name).eq("acme ltd"));
/// # let _ = by_name;
/// ```
///
/// The SQL name is the Rust name: `#[sql_name = ..]` is refused, because Diesel
/// pastes it into the query as it is. Functions with type parameters are not
/// supported.
///
/// Under a renamed dependency or a facade, a leading `crate = ..;` names the
/// path of tenant-diesel (see [`TenantScoped`](derive@TenantScoped)); Diesel
/// itself must be reachable as `diesel`, as Diesel's own macros require:
///
/// ```
/// # use tenant_diesel as td;
/// td::tenant_sql_function! {
///     crate = td;
///     /// `upper(x)`
///     fn upper(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
/// }
/// # let _ = upper::<diesel::expression::SqlLiteral<diesel::sql_types::Text>>;
/// ```
pub use tenant_macros::tenant_sql_function;
/// Derives `Model::scoped(&ctx)` for the model of a tenant-owned table.
///
/// ```
/// use tenant_diesel::prelude::*;
///
/// diesel::table! { accounts (id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
///
/// #[derive(Queryable, Selectable, TenantScoped)]
/// #[diesel(table_name = accounts)]
/// #[tenant(column = tenant_id)] // optional; `tenant_id` is the default
/// struct Account { id: i64, tenant_id: i64, name: String }
///
/// # let ctx = tenant_core::doc_support::context("acme");
/// let mine = Account::scoped(&ctx); // WHERE accounts.tenant_id = ?
/// # let _ = mine;
/// ```
///
/// The tenant column must be a field of the model and hold a tenant id: `Integer`
/// (`i32` ids), `BigInt` (`i64`), or, with the `uuid` feature, `Uuid` or `Text`
/// holding UUIDs (`uuid::Uuid`). It must be `NOT NULL`, unless
/// `#[tenant(column = .., shared_rows)]` says that a `NULL` tenant is a row every
/// tenant shares; a table with no tenant column of its own whose rows belong to
/// a parent's tenant says `#[tenant(parent = teams, foreign_key = team_id)]`. Any
/// other shape is a compile error that names the migration to write (see the
/// guide's chapters `tenant_ids`, `shared_rows` and `through_parent`).
/// Derive it on one model per table; read other row shapes with
/// `.select(Other::as_select())`.
///
/// # `crate = ..`: a renamed dependency or a facade
///
/// Generated code names this crate as `::tenant_diesel`. A crate that depends on
/// it under another name (`td = { package = "tenant-diesel", .. }`), or reaches
/// it only through a facade module or crate, gives the path instead, as serde's
/// `#[serde(crate = "..")]` does: `#[tenant(crate = td)]` (or
/// `#[tenant(crate = "td")]`, or `#[tenant(crate = facade::td)]`) on each
/// `TenantScoped` and `TenantValues` struct, `#[audited(crate = td, ..)]`, and a
/// leading `crate = td;` in `tenant_sql_function!` and `tenant_infix_operator!`.
/// Every path the expansion writes starts with it.
///
/// ```
/// use tenant_diesel as td; // stands for `td = { package = "tenant-diesel", .. }`
/// use td::prelude::*;
///
/// diesel::table! { accounts (id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
///
/// #[derive(Queryable, Selectable, TenantScoped)]
/// #[diesel(table_name = accounts)]
/// #[tenant(crate = td)]
/// struct Account { id: i64, tenant_id: i64, name: String }
///
/// #[derive(Insertable, TenantValues)]
/// #[diesel(table_name = accounts)]
/// #[tenant(crate = td)]
/// struct NewAccount { name: String }
/// # let ctx = tenant_core::doc_support::context("acme");
/// # let _ = Account::scoped(&ctx).insert(NewAccount { name: "Hooli".into() });
/// ```
///
/// The option changes which paths are named, nothing else, and it is a trust
/// decision like any path an application writes: the path must lead to this
/// crate. A look-alike with a seal of its own gets impls this crate does not
/// accept, and one that shadows the tenant column's role is refused (a
/// `TenantTable`'s tenant column must have this crate's tenant-column role);
/// but one that re-exports this crate's hidden items and shadows a check
/// function can make the derive skip that check, as a hand-written impl would.
/// Review every `crate = ..` as you would an `impl` of a sealed trait:
/// `tenant-diesel-report` lists each one (a warning unless the path starts with
/// the crate's name for tenant-diesel) and every item of yours named
/// `__private` (an error).
/// tenant-diesel depends on the exact version of the macro crate, whose output
/// names its hidden items.
pub use tenant_macros::TenantScoped;
/// Makes a struct the values of scoped inserts and updates: no field may map to
/// the tenant column (the scope stamps it from the context), and each field is
/// a column the model's `TenantScoped` made writable.
///
/// ```
/// use tenant_diesel::prelude::*;
/// # diesel::table! { accounts (id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
/// # #[derive(Queryable, Selectable, TenantScoped)]
/// # #[diesel(table_name = accounts)]
/// # struct Account { id: i64, tenant_id: i64, name: String }
///
/// #[derive(TenantValues)]
/// #[diesel(table_name = accounts)]
/// struct NewAccount { id: i64, name: String }
///
/// # let mut raw = SqliteConnection::establish(":memory:").unwrap();
/// # diesel::RunQueryDsl::execute(diesel::sql_query(
/// #     "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL)"), &mut raw).unwrap();
/// # let ctx = tenant_core::doc_support::context("acme");
/// # let mut conn = TenantConn::new(&mut raw, &ctx);
/// let row: Account = Account::scoped(&ctx)
///     .insert(&NewAccount { id: 1, name: "Hooli".into() })
///     .get_result(&mut conn)
///     .unwrap();
/// assert_eq!(row.tenant_id, 1); // stamped from the context
/// ```
///
/// The derive builds what the write sends itself, reading the same
/// `#[diesel(..)]` attributes as Diesel's `Insertable` and `AsChangeset` derives
/// and sending the same SQL; those derives are not needed for scoped writes (the
/// guide's `writes` chapter has the details).
///
/// The tenant column is the one the model's `#[derive(TenantScoped)]` declares:
/// a values struct takes no `#[tenant(column = ..)]`, and each field is checked
/// against the table's columns by type. Its one `#[tenant(..)]` key is
/// `crate = ..`, for a renamed dependency or a facade (see
/// [`TenantScoped`](derive@TenantScoped)).
pub use tenant_macros::TenantValues;
pub use upsert::{
    ConflictTarget, DoUpdate, ExcludedColumns, NoUpsertFromThisScope, NoUpsertUnderAParent,
    OnConflict, UpsertBackend, UpsertFromAScope,
};
pub use values::{TenantValues, WritableColumn};
pub use wall::{InvalidSearchPath, InvalidSetting, TenantSetting};
#[cfg(feature = "postgres")]
pub use wall::{InvalidWallKey, WallKey};

/// Items used by generated code. Not public API: names and signatures change
/// without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::associations::ForeignKeyTo;
    pub use crate::join::{
        assert_global, assert_joinable, JoinSeal, JoinedGlobalTable, JoinedTenantTable,
        SameTenantColumns, TenantJoinPair,
    };
    pub use crate::owned::{scope_owned, OwnedSeal, ThroughNotNullForeignKey, ThroughSeal};
    pub use crate::references::ReferenceSeal;
    pub use crate::row_key::{assert_row_key_is_a_column, RowKeyOfKind};
    pub use crate::safe::{kind, proof};
    pub use crate::scoped::column_tenant;
    pub use crate::seal::{
        EachTableIsDeclaredOnceByOneModelOrByGlobalTable, ImplementedByTenantDieselOnly,
    };
    pub use crate::shared_rows::{scope_with_shared_rows, SharedRowsSeal};
    pub use crate::table::lists_every_column;
    pub use crate::table::tenant_column;
    pub use crate::table::{tenant_column_is_not_null, tenant_column_shares_rows};
    pub use crate::table::{
        ColumnRole, GlobalKind, TableKind, TenantColumnIsNotNull, TenantColumnRole,
        TenantColumnType, TenantKind, ThroughKind, WritableColumnRole,
    };
    pub use crate::values::{values_column_is_writable, values_embed, values_field_is_a_value};
    pub use diesel::associations::BelongsTo;
    pub use diesel::query_source::{AppearsInFromClause, Once};
    pub use diesel::sql_types::SqlType;

    /// What `#[audited]` calls before the function's body.
    pub fn audit_action<V: tenant_core::TenantIdValue>(
        audit: &impl std::borrow::Borrow<crate::audit::Auditor>,
        ctx: &impl std::borrow::Borrow<tenant_core::TenantCtx<V>>,
        action: &str,
        target: Option<&dyn std::fmt::Display>,
    ) -> Result<(), crate::audit::AuditError> {
        audit.borrow().record_action(ctx.borrow(), action, target)
    }
    pub use diesel::dsl;
    pub use diesel::expression::Expression;
    pub use diesel::query_dsl::methods::{FilterDsl, SelectDsl};
    pub use diesel::{
        BoolExpressionMethods, Column, ExpressionMethods, JoinOnDsl, NullableExpressionMethods,
        OptionalExtension, QueryDsl, RunQueryDsl, Table,
    };
}
