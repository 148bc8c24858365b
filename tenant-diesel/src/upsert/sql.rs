//! The SQL of a scoped insert and of its `ON CONFLICT` clause.
//!
//! Diesel's own upsert types (`OnConflictValues`, `ConflictTarget`, `DoUpdate`,
//! `Excluded`) are public types in private modules: no signature outside Diesel
//! can name them, so no method of this crate can return the statement Diesel's
//! `on_conflict(..)` builds. The clause is written here instead, word for word
//! what Diesel writes (the SQL-shape tests compare both, text and binds), and
//! sent as the records of Diesel's own `InsertStatement`, which writes `INSERT
//! INTO`, the values and `RETURNING` as it does for any insert.
//!
//! Every `push_sql` below writes a fixed keyword: no text of the application's
//! reaches the statement except through Diesel's identifiers and binds.
// Only this module writes SQL text by hand: the keywords of the clause.
#![allow(clippy::disallowed_methods)]

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::insertable::CanInsertInSingleQuery;
use diesel::query_builder::{AsQuery, AstPass, InsertStatement, QueryFragment, QueryId};
use diesel::{Insertable, QueryResult, QuerySource, Table};

use super::columns::{ConflictTarget, ExcludedColumns, Seal};

/// A scoped insert of one row: `INSERT INTO table (..) VALUES (..)`, the tenant
/// column stamped among the values.
///
/// It keeps Diesel's `VALUES` clause apart from the statement (Diesel's
/// `InsertStatement` does not give its records back), so that an upsert can
/// take them and send them with its `ON CONFLICT` clause. Sent as it is, it is
/// the statement Diesel's `insert_into(table).values(..)` sends; with
/// `RETURNING` (`get_result`), it is Diesel's statement itself.
pub struct Insert<T: QuerySource, V> {
    table: T,
    into: T::FromClause,
    values: V,
}

impl<T: Table, V> Insert<T, V> {
    pub(crate) fn new(table: T, values: V) -> Self {
        Self {
            into: table.from_clause(),
            table,
            values,
        }
    }

    /// The table and the values, for the upsert that sends them.
    pub(crate) fn into_parts(self) -> (T, V) {
        (self.table, self.values)
    }
}

impl<T, V> Clone for Insert<T, V>
where
    T: QuerySource + Clone,
    T::FromClause: Clone,
    V: Clone,
{
    fn clone(&self) -> Self {
        Self {
            table: self.table.clone(),
            into: self.into.clone(),
            values: self.values.clone(),
        }
    }
}

impl<T: QuerySource, V> std::fmt::Debug for Insert<T, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Insert")
            .field("table", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

// What Diesel's `InsertStatement` writes for one row: `INSERT`, ` INTO `, the
// table, a space, then the values (which write their column list).
impl<T, V, DB> QueryFragment<DB> for Insert<T, V>
where
    DB: Backend,
    T: QuerySource,
    T::FromClause: QueryFragment<DB>,
    V: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        self.into.walk_ast(out.reborrow())?;
        out.push_sql(" ");
        self.values.walk_ast(out.reborrow())
    }
}

impl<T, V> QueryId for Insert<T, V>
where
    T: QuerySource + QueryId + 'static,
    V: QueryId,
{
    type QueryId = Insert<T, V::QueryId>;

    const HAS_STATIC_QUERY_ID: bool = T::HAS_STATIC_QUERY_ID && V::HAS_STATIC_QUERY_ID;
}

/// `get_result` / `load`: Diesel's own statement, with its `RETURNING` clause
/// (which SQLite needs written without the table's name, as only Diesel can).
impl<T, V> AsQuery for Insert<T, V>
where
    T: Table,
    InsertStatement<T, Values<V, NoConflict>>: AsQuery,
{
    type SqlType = <InsertStatement<T, Values<V, NoConflict>> as AsQuery>::SqlType;
    type Query = <InsertStatement<T, Values<V, NoConflict>> as AsQuery>::Query;

    fn as_query(self) -> Self::Query {
        diesel::insert_into(self.table)
            .values(Values::new(self.values, NoConflict))
            .as_query()
    }
}

/// Diesel's loading traits need it; nothing outside a scope holds an `Insert`.
impl<T: QuerySource, V, Conn> diesel::RunQueryDsl<Conn> for Insert<T, V> {}

/// The records of a scoped insert, as Diesel's `InsertStatement` sends them:
/// Diesel's `VALUES` clause of one row, then the `ON CONFLICT` clause, if any.
#[derive(Debug, Clone, Copy)]
pub struct Values<V, C> {
    values: V,
    conflict: C,
}

impl<V, C> Values<V, C> {
    pub(crate) fn new(values: V, conflict: C) -> Self {
        Self { values, conflict }
    }
}

/// `insert_into(table).values(..)` takes them as they are.
impl<T, V, C> Insertable<T> for Values<V, C> {
    type Values = Self;

    fn values(self) -> Self {
        self
    }
}

impl<V, C, DB> QueryFragment<DB> for Values<V, C>
where
    DB: Backend,
    V: QueryFragment<DB>,
    C: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.values.walk_ast(out.reborrow())?;
        self.conflict.walk_ast(out.reborrow())
    }
}

impl<V, C, DB> CanInsertInSingleQuery<DB> for Values<V, C>
where
    DB: Backend,
    V: CanInsertInSingleQuery<DB>,
{
    fn rows_to_insert(&self) -> Option<usize> {
        self.values.rows_to_insert()
    }
}

impl<V: QueryId, C: QueryId> QueryId for Values<V, C> {
    type QueryId = Values<V::QueryId, C::QueryId>;

    const HAS_STATIC_QUERY_ID: bool = V::HAS_STATIC_QUERY_ID && C::HAS_STATIC_QUERY_ID;
}

/// No `ON CONFLICT` clause: a plain insert.
#[derive(Debug, Clone, Copy)]
pub struct NoConflict;

impl<DB: Backend> QueryFragment<DB> for NoConflict {
    fn walk_ast<'b>(&'b self, _: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Ok(())
    }
}

impl QueryId for NoConflict {
    type QueryId = Self;

    const HAS_STATIC_QUERY_ID: bool = true;
}

/// A backend whose upsert the scope can guard: `ON CONFLICT (key) DO UPDATE ..
/// WHERE tenant_col = ?` (PostgreSQL, SQLite).
///
/// Not MySQL or MariaDB: `ON DUPLICATE KEY UPDATE` fires on a conflict with any
/// unique key of the table, not the one named, and takes no `WHERE`, so no
/// clause can keep its update to the tenant's row; and `INSERT IGNORE` turns
/// every other error of the insert into a warning as well.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no upsert a tenant's scope can guard: MySQL's `ON DUPLICATE KEY UPDATE` takes no `WHERE`",
    label = "an upsert (`on_conflict`) on MySQL or MariaDB",
    note = "`ON DUPLICATE KEY UPDATE` fires on a conflict with any unique key of the table (the primary key `id`, a global `email`), whichever tenant's row holds it, and cannot be limited to the tenant's row: an upsert there could change another tenant's row",
    note = "insert with `Model::scoped(&ctx).insert(&row).execute(tx)` inside `conn.transaction(|tx| ..)`; on `DatabaseError(UniqueViolation, _)` update through the scope, which reaches only the tenant's rows: `Model::scoped(&ctx).update(id).set(&changes).execute(tx)`"
)]
pub trait UpsertBackend: Backend {}

#[cfg(feature = "sqlite")]
impl UpsertBackend for diesel::sqlite::Sqlite {}
#[cfg(feature = "postgres")]
impl UpsertBackend for diesel::pg::Pg {}

/// ` ON CONFLICT <target> <action>`.
#[derive(Debug, Clone, Copy)]
pub struct ConflictClause<Target, Action> {
    target: Target,
    action: Action,
}

impl<Target, Action> ConflictClause<Target, Action> {
    pub(crate) fn new(target: Target, action: Action) -> Self {
        Self { target, action }
    }
}

impl<Target, Action, DB> QueryFragment<DB> for ConflictClause<Target, Action>
where
    DB: UpsertBackend,
    Target: QueryFragment<DB>,
    Action: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(" ON CONFLICT");
        self.target.walk_ast(out.reborrow())?;
        self.action.walk_ast(out.reborrow())
    }
}

// As Diesel's: an upsert's statement is never cached by its type.
impl<Target, Action> QueryId for ConflictClause<Target, Action> {
    type QueryId = ();

    const HAS_STATIC_QUERY_ID: bool = false;
}

/// No conflict target: any unique key's conflict (`ON CONFLICT DO NOTHING`).
#[derive(Debug, Clone, Copy)]
pub struct AnyConflict;

impl<DB: Backend> QueryFragment<DB> for AnyConflict {
    fn walk_ast<'b>(&'b self, _: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Ok(())
    }
}

/// ` ("col", ..)`: the columns of the unique key whose conflict is handled.
pub struct ConflictColumns<T, Columns>(PhantomData<(T, Columns)>);

impl<T, Columns> ConflictColumns<T, Columns> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T, Columns> Clone for ConflictColumns<T, Columns> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, Columns> Copy for ConflictColumns<T, Columns> {}

impl<T, Columns> std::fmt::Debug for ConflictColumns<T, Columns> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::any::type_name::<Columns>())
    }
}

impl<T, Columns, DB> QueryFragment<DB> for ConflictColumns<T, Columns>
where
    DB: Backend,
    Columns: ConflictTarget<T>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(" (");
        Columns::push_names(&mut out, true, Seal::new())?;
        out.push_sql(")");
        Ok(())
    }
}

/// ` DO NOTHING`.
#[derive(Debug, Clone, Copy)]
pub struct DoNothing;

impl<DB: Backend> QueryFragment<DB> for DoNothing {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(" DO NOTHING");
        Ok(())
    }
}

/// ` DO UPDATE SET <changes> WHERE <guard>`: the guard is the scope's tenant
/// filter, so that the row in conflict is updated only if it is the tenant's.
#[derive(Debug, Clone, Copy)]
pub struct DoUpdateSet<Changes, Guard> {
    changes: Changes,
    guard: Guard,
}

impl<Changes, Guard> DoUpdateSet<Changes, Guard> {
    pub(crate) fn new(changes: Changes, guard: Guard) -> Self {
        Self { changes, guard }
    }
}

impl<Changes, Guard, DB> QueryFragment<DB> for DoUpdateSet<Changes, Guard>
where
    DB: Backend,
    Changes: QueryFragment<DB>,
    Guard: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        // As Diesel's `DoUpdate`: a changeset with nothing to set (every field
        // `None`) is `DO NOTHING`. Diesel would then write its `WHERE` after
        // `DO NOTHING`, which no database parses; a `DO NOTHING` needs no
        // guard, since it changes no row.
        out.unsafe_to_cache_prepared();
        if self.changes.is_noop(out.backend())? {
            out.push_sql(" DO NOTHING");
            return Ok(());
        }
        out.push_sql(" DO UPDATE SET ");
        self.changes.walk_ast(out.reborrow())?;
        out.push_sql(" WHERE ");
        self.guard.walk_ast(out.reborrow())
    }
}

/// `"col" = excluded."col", ..`: each column set to the value the insert
/// proposed for it.
pub struct Excluded<T, Columns>(PhantomData<(T, Columns)>);

impl<T, Columns> Excluded<T, Columns> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T, Columns> Clone for Excluded<T, Columns> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, Columns> Copy for Excluded<T, Columns> {}

impl<T, Columns> std::fmt::Debug for Excluded<T, Columns> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::any::type_name::<Columns>())
    }
}

impl<T, Columns, DB> QueryFragment<DB> for Excluded<T, Columns>
where
    DB: Backend,
    Columns: ExcludedColumns<T>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Columns::push_assignments(&mut out, true, Seal::new())
    }
}

// The keywords the column lists write: they need nothing of the statement's
// types, which need the column lists.
pub(super) mod keywords {
    use diesel::backend::Backend;
    use diesel::query_builder::AstPass;
    use diesel::QueryResult;

    /// Writes `excluded."col"`, as Diesel's `excluded(col)` does.
    pub(in crate::upsert) fn push_excluded<DB: Backend>(
        out: &mut AstPass<'_, '_, DB>,
        name: &str,
    ) -> QueryResult<()> {
        out.push_sql("excluded.");
        out.push_identifier(name)
    }

    /// Writes the separator of a list, before every item but the first.
    pub(in crate::upsert) fn push_separator<DB: Backend>(
        out: &mut AstPass<'_, '_, DB>,
        first: bool,
    ) {
        if !first {
            out.push_sql(", ");
        }
    }

    /// Writes ` = ` between a column and its value.
    pub(in crate::upsert) fn push_assign<DB: Backend>(out: &mut AstPass<'_, '_, DB>) {
        out.push_sql(" = ");
    }
}
