//! Scoped writes: inserts stamp the tenant from the context, updates and deletes
//! carry the scope's `tenant_col = ?` in their `WHERE` clause.

use diesel::dsl;
use diesel::expression::{AsExpression, Expression, TypedExpressionType};
use diesel::expression_methods::{EqAll, ExpressionMethods};
use diesel::query_builder::{
    AsChangeset, DeleteStatement, InsertStatement, IntoUpdateTarget, UpdateStatement,
};
use diesel::query_dsl::methods::FilterDsl;
use diesel::sql_types::SqlType;
use diesel::{Column, Insertable, Table};

use crate::row_key::{RowKey, RowKeyOfKind};
use crate::safe::TenantSafe;
use crate::scoped::{column_tenant, ByPrimaryKey, Scoped};
use crate::table::{TableKind, TenantTable, WritableTable};
use crate::upsert::Insert;
use crate::values::{Changes, TenantValues, WritableColumn};

/// The `WHERE` clause of `update(id)` and `delete(id)`.
type PrimaryKeyWhere<T, Q, PK> = <ByPrimaryKey<T, Q, PK> as IntoUpdateTarget>::WhereClause;

/// The checked values of a `TenantValues` struct, as an insert sends them.
type InsertValues<T, V> = <V as TenantValues<T>>::InsertValues;

/// What an insert sends: the tenant column's `= ?` stamped beside the values.
type StampedValues<T, V> =
    <(<T as TenantTable>::TenantEq, InsertValues<T, V>) as Insertable<T>>::Values;

/// What a batch insert sends: every row stamped.
type StampedRows<T, R> =
    <Vec<(<T as TenantTable>::TenantEq, InsertValues<T, R>)> as Insertable<T>>::Values;

/// The changeset of `set_column(column, value)`.
type ColumnChangeset<C, X> = <dsl::Eq<C, X> as AsChangeset>::Changeset;

/// Inserts: only on the model's own scope, `Model::scoped(&ctx)`.
impl<T: TenantTable> Scoped<T, T::Filtered> {
    /// `INSERT INTO table (tenant_col, ..) VALUES (?, ..)`, the tenant taken from
    /// the scope's context.
    ///
    /// `values` is a struct that derives `TenantValues` (so it has no tenant field
    /// and holds only values), usually borrowed: `.insert(&new_account)`. The row
    /// is built from the fields the derive checked, never from a hand-written
    /// `Insertable` impl. Run it with `execute` (the row count) or `get_result`
    /// (the inserted row), or make it an upsert with
    /// [`on_conflict`](Scoped::on_conflict).
    pub fn insert<V>(self, values: V) -> Scoped<T, Insert<T, StampedValues<T, V>>>
    where
        V: TenantValues<T>,
        (T::TenantEq, V::InsertValues): Insertable<T>,
    {
        let tenant = self.bound_tenant();
        let stamped = (
            T::tenant_eq(column_tenant::<T>(tenant)),
            values.insert_values(),
        );
        Scoped::new(Insert::new(T::default(), stamped.values()), Some(tenant))
    }

    /// Inserts every row of `rows` in one statement, each stamped with the tenant
    /// (`.insert_all(&new_accounts)`).
    pub fn insert_all<I>(self, rows: I) -> Scoped<T, InsertStatement<T, StampedRows<T, I::Item>>>
    where
        I: IntoIterator,
        I::Item: TenantValues<T>,
        Vec<(T::TenantEq, InsertValues<T, I::Item>)>: Insertable<T>,
    {
        let tenant = self.bound_tenant();
        let stamped: Vec<_> = rows
            .into_iter()
            .map(|row| {
                (
                    T::tenant_eq(column_tenant::<T>(tenant)),
                    row.insert_values(),
                )
            })
            .collect();
        Scoped::new(
            diesel::insert_into(T::default()).values(stamped),
            Some(tenant),
        )
    }
}

/// Updates and deletes: on any filtered scope of a tenant table. Global tables
/// are read-only on a `TenantConn`: a tenant's request never rewrites what every
/// tenant shares (the tenants, their memberships, the plans).
impl<T, Q> Scoped<T, Q>
where
    T: Table + Default,
{
    /// Starts `UPDATE table SET .. WHERE tenant_col = ? AND primary_key = id`;
    /// finish it with [`set`](Scoped::set) or [`set_column`](Scoped::set_column).
    ///
    /// Another tenant's id matches no row: `execute` returns 0.
    pub fn update<PK, Proof>(
        self,
        id: PK,
    ) -> Scoped<T, UpdateStatement<T, PrimaryKeyWhere<T, Q, PK>>>
    where
        T: WritableTable + TableKind,
        T::Kind: RowKeyOfKind<T>,
        RowKey<T>: EqAll<PK> + Default,
        <RowKey<T> as EqAll<PK>>::Output: TenantSafe<T, Proof>,
        Q: FilterDsl<<RowKey<T> as EqAll<PK>>::Output>,
        ByPrimaryKey<T, Q, PK>: IntoUpdateTarget<Table = T>,
    {
        self.find(id).update_all()
    }

    /// Starts `UPDATE table SET .. WHERE tenant_col = ? AND <the scope's filters>`.
    pub fn update_all(self) -> Scoped<T, UpdateStatement<T, Q::WhereClause>>
    where
        T: WritableTable,
        Q: IntoUpdateTarget<Table = T>,
    {
        self.map(diesel::update)
    }

    /// `DELETE FROM table WHERE tenant_col = ? AND primary_key = id`.
    ///
    /// Another tenant's id matches no row: `execute` returns 0.
    pub fn delete<PK, Proof>(
        self,
        id: PK,
    ) -> Scoped<T, DeleteStatement<T, PrimaryKeyWhere<T, Q, PK>>>
    where
        T: WritableTable + TableKind,
        T::Kind: RowKeyOfKind<T>,
        RowKey<T>: EqAll<PK> + Default,
        <RowKey<T> as EqAll<PK>>::Output: TenantSafe<T, Proof>,
        Q: FilterDsl<<RowKey<T> as EqAll<PK>>::Output>,
        ByPrimaryKey<T, Q, PK>: IntoUpdateTarget<Table = T>,
    {
        self.find(id).delete_all()
    }

    /// `DELETE FROM table WHERE tenant_col = ? AND <the scope's filters>`.
    pub fn delete_all(self) -> Scoped<T, DeleteStatement<T, Q::WhereClause>>
    where
        T: WritableTable,
        Q: IntoUpdateTarget<Table = T>,
    {
        self.map(diesel::delete)
    }
}

/// The `SET` of a scoped update.
impl<T: Table, W> Scoped<T, UpdateStatement<T, W>> {
    /// Sets the fields of a struct that derives `TenantValues` (so it cannot write
    /// the tenant column, nor anything but values), usually borrowed:
    /// `.set(&changes)`. The changes are built from the fields the derive
    /// checked, never from a hand-written `AsChangeset` impl.
    pub fn set<V>(self, changes: V) -> Scoped<T, UpdateStatement<T, W, Changes<T, V>>>
    where
        V: TenantValues<T>,
        V::Changes: AsChangeset<Target = T>,
        UpdateStatement<T, W, Changes<T, V>>: diesel::query_builder::AsQuery,
    {
        self.map(|update| update.set(changes.changes()))
    }

    /// Sets one column, which must be [writable](WritableColumn): never the tenant
    /// column. The value is a Rust value or an expression of the scope's own
    /// columns (`balance + 1`), never a subquery.
    pub fn set_column<C, X, Proof>(
        self,
        column: C,
        value: X,
    ) -> Scoped<T, UpdateStatement<T, W, ColumnChangeset<C, X>>>
    where
        C: WritableColumn + Column<Table = T> + ExpressionMethods,
        C::SqlType: SqlType + TypedExpressionType,
        X: AsExpression<<C as Expression>::SqlType>,
        dsl::Eq<C, X>: AsChangeset<Target = T> + TenantSafe<T, Proof>,
        UpdateStatement<T, W, <dsl::Eq<C, X> as AsChangeset>::Changeset>:
            diesel::query_builder::AsQuery,
    {
        self.map(|update| update.set(column.eq(value)))
    }
}
