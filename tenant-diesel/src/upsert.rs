//! Upserts: `INSERT .. ON CONFLICT` on the insert of a tenant's own scope.
//!
//! `Model::scoped(&ctx).insert(&row)` then `.on_conflict(key)` and
//! `.do_nothing()`, `.do_update().set(&changes)` or
//! `.do_update().set_excluded(columns)`; or `.on_conflict_do_nothing()`.
//!
//! **An upsert never touches another tenant's row.** A unique key every tenant
//! shares (a global `email` or `slug` index) can put another tenant's row in
//! conflict with the insert. The `DO UPDATE` therefore always carries the
//! scope's tenant filter, `WHERE table.tenant_col = $tenant`: the row in conflict
//! is updated only if it is the tenant's, and otherwise nothing is written and
//! nothing comes back (`execute` is 0, `get_result` is `NotFound`). The changes
//! are a `TenantValues` struct or writable columns, so the update cannot move a
//! row to another tenant either.
//!
//! What stays visible is the conflict itself: that the insert did nothing says a
//! row holds that key, as a plain insert's unique violation does. Keys that lead
//! with the tenant column (`UNIQUE (tenant_id, email)`) close that oracle; the
//! guide's chapter on keys that lead with the tenant (`guide::tenant_leading_keys`)
//! and `verify_isolation` say which.

mod columns;
mod sql;

use std::marker::PhantomData;

use diesel::query_builder::{AsChangeset, InsertStatement};

pub use columns::{ConflictTarget, ExcludedColumns};
pub(crate) use sql::Insert;
pub use sql::UpsertBackend;
use sql::{AnyConflict, ConflictClause, ConflictColumns, DoNothing, DoUpdateSet, Excluded, Values};

use crate::owned::ParentCheckedInsert;
use crate::scoped::{column_tenant, Scoped};
use crate::table::TenantTable;
use crate::values::{Changes, TenantValues};
use tenant_core::AnyTenantId;

/// The statement of an upsert: Diesel's insert of the values `V`, then
/// `ON CONFLICT <Target> <Action>`.
type Upsert<T, V, Target, Action> = InsertStatement<T, Values<V, ConflictClause<Target, Action>>>;

/// What a `DO UPDATE` sends: the update `Set`, guarded by the tenant.
type Updated<T, V, Target, Set> =
    Upsert<T, V, ConflictColumns<T, Target>, DoUpdateSet<Set, <T as TenantTable>::TenantEq>>;

/// What `.do_update().set(&changes)` sends.
type SetChanges<T, V, Target, C> = Updated<T, V, Target, Changes<T, C>>;

/// What `.do_update().set_excluded(columns)` sends.
type SetExcluded<T, V, Target, Columns> = Updated<T, V, Target, Excluded<T, Columns>>;

/// Upserts start from the insert of one row of the model's own scope.
impl<T: TenantTable, V> Scoped<T, Insert<T, V>> {
    /// Handles a conflict on the unique key `target` (a column of the table, or
    /// a tuple of them); finish with [`do_nothing`](OnConflict::do_nothing) or
    /// [`do_update`](OnConflict::do_update).
    ///
    /// ```
    /// use tenant_diesel::prelude::*;
    ///
    /// diesel::table! {
    ///     accounts (id) {
    ///         id -> BigInt,
    ///         tenant_id -> BigInt,
    ///         name -> Text,
    ///     }
    /// }
    ///
    /// #[derive(Queryable, Selectable, TenantScoped, Debug)]
    /// #[diesel(table_name = accounts)]
    /// struct Account { id: i64, tenant_id: i64, name: String }
    ///
    /// #[derive(Insertable, TenantValues)]
    /// #[diesel(table_name = accounts)]
    /// struct NewAccount<'a> { id: i64, name: &'a str }
    ///
    /// #[derive(AsChangeset, TenantValues)]
    /// #[diesel(table_name = accounts)]
    /// struct Rename<'a> { name: &'a str }
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut raw = SqliteConnection::establish(":memory:")?;
    /// # diesel::RunQueryDsl::execute(diesel::sql_query(
    /// #     "CREATE TABLE accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL)"), &mut raw)?;
    /// # diesel::RunQueryDsl::execute(diesel::sql_query(
    /// #     "INSERT INTO accounts VALUES (1, 1, 'Acme Ltd'), (2, 2, 'Contoso plc')"), &mut raw)?;
    /// # let ctx = tenant_core::doc_support::context("acme");
    /// let mut conn = TenantConn::new(&mut raw, &ctx);
    /// // Account 1 is the tenant's: renamed.
    /// let renamed: Account = Account::scoped(&ctx)
    ///     .insert(&NewAccount { id: 1, name: "Acme" })
    ///     .on_conflict(accounts::id)
    ///     .do_update()
    ///     .set(&Rename { name: "Acme" })
    ///     .get_result(&mut conn)?;
    /// assert_eq!(renamed.name, "Acme");
    /// // Account 2 is another tenant's: neither changed nor returned.
    /// let theirs = Account::scoped(&ctx)
    ///     .insert(&NewAccount { id: 2, name: "Mine now" })
    ///     .on_conflict(accounts::id)
    ///     .do_update()
    ///     .set(&Rename { name: "Mine now" })
    ///     .execute(&mut conn)?;
    /// assert_eq!(theirs, 0);
    /// # Ok(()) }
    /// ```
    pub fn on_conflict<Target>(self, target: Target) -> OnConflict<T, V, Target>
    where
        Target: ConflictTarget<T>,
    {
        // The target is a list of columns: only its type is written.
        let _ = target;
        // An insert is built from the model's own scope: no subqueries.
        let (insert, tenant, _no_subqueries) = self.into_parts();
        let (table, values) = insert.into_parts();
        OnConflict {
            table,
            values,
            tenant: tenant.expect("the insert of a tenant table carries its tenant"),
            target: PhantomData,
        }
    }

    /// `ON CONFLICT DO NOTHING`: a conflict on any unique key inserts nothing
    /// (`execute` returns 0, `get_result` is `NotFound`), whoever holds the row.
    pub fn on_conflict_do_nothing(self) -> Scoped<T, Upsert<T, V, AnyConflict, DoNothing>> {
        // An insert is built from the model's own scope: no subqueries.
        let (insert, tenant, _no_subqueries) = self.into_parts();
        let (table, values) = insert.into_parts();
        Scoped::new(
            diesel::insert_into(table).values(Values::new(
                values,
                ConflictClause::new(AnyConflict, DoNothing),
            )),
            tenant,
        )
    }
}

/// A scoped insert with its conflict target, waiting for its action:
/// [`do_nothing`](OnConflict::do_nothing) or [`do_update`](OnConflict::do_update).
///
/// Sealed like a scope: no public fields, no `Deref`, nothing runs until the
/// action makes it a [`Scoped`] statement again.
#[must_use = "an upsert needs its action: `.do_nothing()` or `.do_update().set(..)`"]
pub struct OnConflict<T, V, Target> {
    table: T,
    values: V,
    tenant: AnyTenantId,
    target: PhantomData<fn() -> Target>,
}

// The target was checked by `on_conflict`, the only way to make one.
impl<T: TenantTable, V, Target> OnConflict<T, V, Target> {
    /// `ON CONFLICT (target) DO NOTHING`: a conflicting row, the tenant's or
    /// not, is left as it is; nothing is inserted (`execute` returns 0,
    /// `get_result` is `NotFound`).
    pub fn do_nothing(self) -> Scoped<T, Upsert<T, V, ConflictColumns<T, Target>, DoNothing>> {
        let clause = ConflictClause::new(ConflictColumns::new(), DoNothing);
        Scoped::new(
            diesel::insert_into(self.table).values(Values::new(self.values, clause)),
            Some(self.tenant),
        )
    }

    /// `ON CONFLICT (target) DO UPDATE SET ..`: finish with
    /// [`set`](DoUpdate::set) or [`set_excluded`](DoUpdate::set_excluded).
    /// The update carries the tenant filter: another tenant's row in conflict is
    /// neither changed nor returned.
    pub fn do_update(self) -> DoUpdate<T, V, Target> {
        DoUpdate { upsert: self }
    }
}

/// A scoped upsert waiting for what its `DO UPDATE` sets:
/// [`set`](DoUpdate::set) or [`set_excluded`](DoUpdate::set_excluded).
#[must_use = "an update needs its changes: `.set(&changes)` or `.set_excluded(columns)`"]
pub struct DoUpdate<T, V, Target> {
    upsert: OnConflict<T, V, Target>,
}

impl<T: TenantTable, V, Target> DoUpdate<T, V, Target> {
    /// `DO UPDATE SET <changes> WHERE table.tenant_col = $tenant`: the fields of
    /// a struct that derives `TenantValues` (so it cannot write the tenant
    /// column), usually borrowed: `.set(&changes)`. A `None` field is left alone,
    /// as in a scoped update; changes with nothing to set are `DO NOTHING`.
    ///
    /// The row in conflict is updated only if it is the tenant's; returned by
    /// `get_result` only then.
    pub fn set<C>(self, changes: C) -> Scoped<T, SetChanges<T, V, Target, C>>
    where
        C: TenantValues<T>,
        C::Changes: AsChangeset<Target = T>,
    {
        self.finish(changes.changes().as_changeset())
    }

    /// `DO UPDATE SET col = excluded.col, .. WHERE table.tenant_col = $tenant`:
    /// each of `columns` (a column, or a tuple of them) set to the value the
    /// insert proposed, what most upserts write. Only writable columns: never
    /// the tenant column.
    pub fn set_excluded<Columns>(
        self,
        columns: Columns,
    ) -> Scoped<T, SetExcluded<T, V, Target, Columns>>
    where
        Columns: ExcludedColumns<T>,
    {
        // A list of columns: only its type is written.
        let _ = columns;
        self.finish(Excluded::new())
    }

    /// The statement, its update guarded by the tenant's filter.
    fn finish<S>(self, set: S) -> Scoped<T, Updated<T, V, Target, S>> {
        let OnConflict {
            table,
            values,
            tenant,
            ..
        } = self.upsert;
        let guard = T::tenant_eq(column_tenant::<T>(tenant));
        let clause = ConflictClause::new(ConflictColumns::new(), DoUpdateSet::new(set, guard));
        Scoped::new(
            diesel::insert_into(table).values(Values::new(values, clause)),
            Some(tenant),
        )
    }
}

impl<T, V, Target> std::fmt::Debug for OnConflict<T, V, Target> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnConflict")
            .field("table", &std::any::type_name::<T>())
            .field("target", &std::any::type_name::<Target>())
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

impl<T, V, Target> std::fmt::Debug for DoUpdate<T, V, Target> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DoUpdate")
            .field("upsert", &self.upsert)
            .finish()
    }
}

/// Implemented by nothing: the bound that makes `on_conflict` on a scope that
/// has none (several rows, an upsert already, a read, a global table's scope) a
/// compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "this scope has no `on_conflict`",
    label = "an upsert starts from the insert of one row",
    note = "upsert one row a statement, from the model's own scope: `Model::scoped(&ctx).insert(&row).on_conflict(key)`; for several rows, one upsert each inside `conn.transaction(..)`",
    note = "every scoped upsert's `DO UPDATE` carries `WHERE tenant_col = ?`, and Diesel 2.3 sends no batch insert with an `ON CONFLICT .. WHERE` on SQLite (it sends SQLite batches row by row)"
)]
pub trait NoUpsertFromThisScope: crate::seal::never::Implemented {}

/// Implemented by nothing: the bound that makes an upsert under a parent a
/// compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "an insert under a parent has no `on_conflict`",
    label = "the row's tenant is its parent's: no tenant column of its own to guard an update",
    note = "insert with `Model::scoped(&ctx).insert_under(parent, &values)`; change an existing row through the scope, which reaches only the tenant's rows: `Model::scoped(&ctx).update(id).set(&changes)`"
)]
pub trait NoUpsertUnderAParent: crate::seal::never::Implemented {}

/// `on_conflict` and `on_conflict_do_nothing` on every scope, found only where
/// the scope has none of its own (an inherent method is found first): each a
/// compile error that names the upsert to write. In the prelude.
pub trait UpsertFromAScope: Sized {
    /// Not available: see [`NoUpsertFromThisScope`].
    fn on_conflict<Target: NoUpsertFromThisScope>(self, target: Target) -> Self {
        let _ = target;
        self
    }

    /// Not available: see [`NoUpsertFromThisScope`].
    fn on_conflict_do_nothing(self) -> Self
    where
        Self: NoUpsertFromThisScope,
    {
        self
    }
}

impl<T, Q, M> UpsertFromAScope for Scoped<T, Q, M> {}

/// An insert under a parent has no upsert.
impl<T, Check, Stmt> Scoped<T, ParentCheckedInsert<Check, Stmt>> {
    /// Not available: see [`NoUpsertUnderAParent`].
    pub fn on_conflict<Target: NoUpsertUnderAParent>(self, target: Target) -> Self {
        let _ = target;
        self
    }

    /// Not available: see [`NoUpsertUnderAParent`].
    pub fn on_conflict_do_nothing(self) -> Self
    where
        Self: NoUpsertUnderAParent,
    {
        self
    }
}
