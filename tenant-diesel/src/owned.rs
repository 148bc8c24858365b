//! Tables whose rows belong to a tenant, directly (a tenant column) or through
//! a parent (`team_members.team_id -> teams.account_id`): what a scope starts
//! from, whichever way the tenant is reached.
//!
//! A table whose tenant is only reachable through its parent says so on its
//! model: `#[tenant(parent = teams, foreign_key = team_id)]`. Its scope is the
//! rows whose parent is one of the tenant's:
//! `WHERE team_id IN (SELECT teams.id FROM teams WHERE teams.account_id = ?)`,
//! and a parent that is itself reached through its own parent nests one more
//! `IN`. The foreign key is not writable (a row cannot move to another
//! tenant's parent), and a row is inserted under a parent that the statement
//! first checks is the tenant's ([`Scoped::insert_under`]).

use diesel::connection::Connection;
use diesel::query_builder::InsertStatement;
use diesel::query_dsl::methods::ExecuteDsl;
use diesel::query_dsl::LoadQuery;
use diesel::{Insertable, QueryResult, Table};

use crate::scoped::{typed_tenant, widened_tenant, Scoped};
use crate::seal::ImplementedByTenantDieselOnly;
use crate::values::TenantValues;
use tenant_core::{AsTenantCtx, TenantId, TenantIdValue, WidensTo};

/// A table whose rows each belong to one tenant, by a tenant column of its own
/// or through its parent: written by `#[derive(TenantScoped)]` for both.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant-owned table",
    label = "no model of this table derives `TenantScoped`",
    note = "a parent named by `#[tenant(parent = .., foreign_key = ..)]` is a table whose model derives `TenantScoped` (with a tenant column, or itself through a parent)"
)]
pub trait OwnedTable:
    Table + Default + Copy + ImplementedByTenantDieselOnly + ImplementedByTenantDieselOnly<OwnedSeal>
{
    /// The table's SQL name, for generated migrations.
    const TABLE_NAME: &'static str;

    /// The type of the tenant ids the table's rows belong to.
    type Id: TenantIdValue;

    /// The table filtered to one tenant's rows, written out concretely by the
    /// derive.
    type Owned;

    /// `table.filter(<the rows of tenant>)`.
    #[doc(hidden)]
    fn owned(tenant: TenantId<Self::Id>) -> Self::Owned;
}

/// A table whose tenant is reached through its parent: written by
/// `#[derive(TenantScoped)]` with `#[tenant(parent = .., foreign_key = ..)]`,
/// each type spelled out concretely (generic Diesel bounds over the parent's
/// scope overflow rustc's trait solver).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not reach its tenant through a parent",
    label = "its model does not say `#[tenant(parent = .., foreign_key = ..)]`",
    note = "a row is inserted under a parent only in a table whose tenant is its parent's: `#[tenant(parent = teams, foreign_key = team_id)]`; a table with a tenant column of its own inserts with `Model::scoped(&ctx).insert(..)`"
)]
pub trait ThroughParent: OwnedTable + ImplementedByTenantDieselOnly<ThroughSeal> {
    /// The parent's table.
    type Parent: OwnedTable<Id = Self::Id>;

    /// The foreign key's SQL name.
    const FOREIGN_KEY: &'static str;

    /// The SQL name of the parent's row key, which the foreign key holds.
    const PARENT_KEY: &'static str;

    /// The Rust value of the parent's row key, as the model's foreign key
    /// field holds it.
    type ParentKey;

    /// `SELECT COUNT(*) FROM parent WHERE <the parent's rows of the tenant>
    /// AND key = ?`.
    #[doc(hidden)]
    type ParentCheck;

    /// `foreign_key = ?`: what an insert under a parent stamps.
    #[doc(hidden)]
    type Stamp;

    /// The count of the tenant's parent rows whose key is `key`.
    #[doc(hidden)]
    fn parent_check(tenant: TenantId<Self::Id>, key: Self::ParentKey) -> Self::ParentCheck;

    /// `foreign_key = key`.
    #[doc(hidden)]
    fn stamp(key: Self::ParentKey) -> Self::Stamp;
}

/// The nullability of a foreign key to a parent, `NOT NULL`: a row without a
/// parent would belong to no tenant's scope, and a nullable key cannot be
/// compared with the parent's keys in the scope's semi-join.
#[diagnostic::on_unimplemented(
    message = "the foreign key to the parent must be NOT NULL",
    label = "a row without a parent belongs to no tenant",
    note = "if every row has a parent, say so in the database, not in schema.rs: a migration that gives every row its parent, then `ALTER TABLE .. ALTER COLUMN .. SET NOT NULL`, then `diesel print-schema`; a nullable foreign key to the parent is not supported yet"
)]
pub trait ForeignKeyIsNotNull {}

impl ForeignKeyIsNotNull for diesel::sql_types::is_nullable::NotNull {}

/// A table reached through its parent by a `NOT NULL` foreign key: the
/// derive's first item, implemented under that bound, so that a nullable key is
/// this sentence before Diesel's refusal of the semi-join.
#[doc(hidden)]
pub trait ThroughNotNullForeignKey {}

/// The seal of [`OwnedTable`]: written by the derive beside it for a table
/// reached through its parent, and held by every tenant table. A hand-written
/// impl would decide which rows a child reached through this table sees.
#[doc(hidden)]
pub enum OwnedSeal {}

// A table with a tenant column of its own is owned by the tenant of that
// column. Implemented here once rather than by the derive for every model:
// only tables that are a parent pay for it (its check costs the derive about
// 5 M compiler instructions a model).
impl<T: crate::table::TenantTable> ImplementedByTenantDieselOnly<OwnedSeal> for T {}

impl<T: crate::table::TenantTable> OwnedTable for T {
    const TABLE_NAME: &'static str = <T as crate::table::TenantTable>::TABLE_NAME;
    type Id = <T as crate::table::TenantTable>::Id;
    type Owned = T::Filtered;

    fn owned(tenant: TenantId<Self::Id>) -> Self::Owned {
        T::tenant_filter(tenant)
    }
}

/// The seal of [`ThroughParent`]: written by the derive beside it. A
/// hand-written impl would decide what an insert under a parent checks and
/// stamps.
#[doc(hidden)]
pub enum ThroughSeal {}

/// Starts the scope of a tenant-owned table, with a tenant column or reached
/// through its parent: its rows of `ctx`'s tenant (`table.filter(tenant_col =
/// ctx)`, or the semi-join on the parent). What every model's `scoped(&ctx)`
/// calls.
#[doc(hidden)]
pub fn scope_owned<T, C>(ctx: &C) -> Scoped<T, T::Owned>
where
    T: OwnedTable,
    C: AsTenantCtx + ?Sized,
    C::Id: WidensTo<T::Id>,
{
    let tenant = widened_tenant::<T::Id, C>(ctx);
    Scoped::new(T::owned(tenant), Some(tenant.erase()))
}

/// Implemented by nothing: the bound that makes an insert from a scope that
/// has no `insert` (a table reached through its parent, a filtered scope) a
/// compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "this scope has no `insert`",
    label = "an insert starts from the model's own scope",
    note = "a table with a tenant column inserts from the model's scope: `Model::scoped(&ctx).insert(&values)`, which stamps the tenant",
    note = "a table reached through its parent inserts under a parent of the tenant's: `Model::scoped(&ctx).insert_under(parent_id, &values)`, which checks the parent first"
)]
pub trait NoInsertFromThisScope: crate::seal::never::Implemented {}

/// `insert` and `insert_all` on every scope, found only where the scope has no
/// `insert` of its own (an inherent method is found first): each a compile
/// error that names the insert to write. In the prelude.
pub trait InsertFromAScope: Sized {
    /// Not available: see [`NoInsertFromThisScope`].
    fn insert<V: NoInsertFromThisScope>(self, values: V) -> Self {
        let _ = values;
        self
    }

    /// Not available: see [`NoInsertFromThisScope`].
    fn insert_all<I: NoInsertFromThisScope>(self, rows: I) -> Self {
        let _ = rows;
        self
    }
}

impl<T, Q, M> InsertFromAScope for Scoped<T, Q, M> {}

/// An insert that runs only under a parent of the tenant's: it counts the
/// tenant's parent rows with the key, then inserts, in one unit of work
/// (inside its transaction on PostgreSQL). A parent of another tenant, or
/// none, inserts nothing and is `NotFound`, as a tampered id is on a read.
#[doc(hidden)]
#[derive(Debug)]
pub struct ParentCheckedInsert<Check, Insert> {
    pub(crate) check: Check,
    pub(crate) insert: Insert,
}

impl<Conn, Check, Insert> ExecuteDsl<Conn> for ParentCheckedInsert<Check, Insert>
where
    Conn: Connection,
    Check: for<'a> LoadQuery<'a, Conn, i64>,
    Insert: ExecuteDsl<Conn>,
{
    fn execute(query: Self, conn: &mut Conn) -> QueryResult<usize> {
        // One transaction (a savepoint inside the unit of work's), so that no
        // statement of the same connection comes between the check and the
        // insert; the parent's tenant cannot change (its tenant column is
        // not writable), and a parent deleted meanwhile fails the foreign key.
        conn.transaction(|conn| {
            let parents: i64 = diesel::RunQueryDsl::get_result(query.check, conn)?;
            if parents != 1 {
                return Err(diesel::result::Error::NotFound);
            }
            ExecuteDsl::execute(query.insert, conn)
        })
    }
}

impl<T> Scoped<T, T::Owned>
where
    T: ThroughParent,
{
    /// Inserts `values` as a row under the parent whose row key is `parent`:
    /// the foreign key is stamped from `parent`, and the statement first checks
    /// that the parent is one of the tenant's. Another tenant's parent (or a
    /// key no parent has) inserts nothing and is `Err(NotFound)`. Run it with
    /// `execute`.
    ///
    /// `values` derives `TenantValues`, which refuses the foreign key as a
    /// field: the parent comes from here, never from the values.
    #[allow(clippy::type_complexity)]
    pub fn insert_under<V>(
        self,
        parent: T::ParentKey,
        values: V,
    ) -> Scoped<
        T,
        ParentCheckedInsert<
            T::ParentCheck,
            InsertStatement<T, <(T::Stamp, V::InsertValues) as Insertable<T>>::Values>,
        >,
    >
    where
        T::ParentKey: Clone,
        V: TenantValues<T>,
        (T::Stamp, V::InsertValues): Insertable<T>,
    {
        let tenant = self.bound_tenant();
        let check = T::parent_check(typed_tenant::<T::Id>(tenant), parent.clone());
        let stamped = (T::stamp(parent), values.insert_values());
        let insert = diesel::insert_into(T::default()).values(stamped);
        Scoped::new(ParentCheckedInsert { check, insert }, Some(tenant))
    }
}
