//! The columns an upsert names: the unique key whose conflict it handles, and
//! the columns it sets from the row it proposed (`excluded`).

use diesel::backend::Backend;
use diesel::query_builder::AstPass;
use diesel::{Column, QueryResult};

use super::sql::keywords::{push_assign, push_excluded, push_separator};
use crate::table::ColumnRole;
use crate::values::WritableColumn;

/// A unique key of the table `T`, named by its columns: what
/// `.on_conflict(target)` takes. A column of `T` (`accounts::email`), or a
/// tuple of them (`(accounts::tenant_id, accounts::slug)`); the tenant column
/// may be one of them, as it leads a tenant's unique keys.
///
/// Only columns: a target is written as their names, so no expression, no
/// other table's column and no text of the application's reaches the clause.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a unique key of `{T}` to upsert on",
    label = "not a column of the scope's table, or a tuple of its columns",
    note = "name the unique index by its columns, all of the scope's table: `.on_conflict(accounts::id)`, `.on_conflict((accounts::tenant_id, accounts::email))`; the columns must be fields of the model that derives `TenantScoped`"
)]
pub trait ConflictTarget<T> {
    /// Writes the columns' names, a comma before each but the first.
    #[doc(hidden)]
    fn push_names<DB: Backend>(
        out: &mut AstPass<'_, '_, DB>,
        first: bool,
        seal: Seal,
    ) -> QueryResult<()>;
}

/// Columns of the table `T` that an upsert sets to the value its insert
/// proposed: what `.do_update().set_excluded(columns)` takes. A column
/// (`accounts::name`) or a tuple of them, each [writable](WritableColumn):
/// never the tenant column, so the update cannot move the row.
#[diagnostic::on_unimplemented(
    message = "`set_excluded` sets writable columns of `{T}`, not `{Self}`",
    label = "the tenant column, or a column of another table",
    note = "the tenant column never changes through a scoped write (a row cannot move to another tenant); name the other columns of the scope's table: `.set_excluded((accounts::name, accounts::balance))`"
)]
pub trait ExcludedColumns<T> {
    /// Writes `"col" = excluded."col"` for each column, a comma before each
    /// but the first.
    #[doc(hidden)]
    fn push_assignments<DB: Backend>(
        out: &mut AstPass<'_, '_, DB>,
        first: bool,
        seal: Seal,
    ) -> QueryResult<()>;
}

/// Unnameable outside this crate: the traits above cannot be implemented by
/// hand (an impl would write its own SQL into the clause).
#[derive(Debug, Clone, Copy)]
pub struct Seal(());

impl Seal {
    pub(super) fn new() -> Self {
        Self(())
    }
}

// A column of a model that derives `TenantScoped`: it has a role. Bounded by the
// role (a trait of this crate) so that the tuple impls below cannot overlap.
#[diagnostic::do_not_recommend]
impl<C, T> ConflictTarget<T> for C
where
    C: Column<Table = T> + ColumnRole,
{
    fn push_names<DB: Backend>(
        out: &mut AstPass<'_, '_, DB>,
        first: bool,
        _: Seal,
    ) -> QueryResult<()> {
        push_separator(out, first);
        out.push_identifier(C::NAME)
    }
}

#[diagnostic::do_not_recommend]
impl<C, T> ExcludedColumns<T> for C
where
    C: Column<Table = T> + WritableColumn,
{
    fn push_assignments<DB: Backend>(
        out: &mut AstPass<'_, '_, DB>,
        first: bool,
        _: Seal,
    ) -> QueryResult<()> {
        push_separator(out, first);
        out.push_identifier(C::NAME)?;
        push_assign(out);
        push_excluded(out, C::NAME)
    }
}

/// Tuples of columns, each checked alone.
macro_rules! column_tuples {
    ($(($($column:ident),+))+) => {$(
        #[diagnostic::do_not_recommend]
        impl<T, $($column: ConflictTarget<T>),+> ConflictTarget<T> for ($($column,)+) {
            fn push_names<DB: Backend>(
                out: &mut AstPass<'_, '_, DB>,
                first: bool,
                seal: Seal,
            ) -> QueryResult<()> {
                let mut first = first;
                $(
                    $column::push_names(out, first, seal)?;
                    first = false;
                )+
                let _ = first;
                Ok(())
            }
        }

        #[diagnostic::do_not_recommend]
        impl<T, $($column: ExcludedColumns<T>),+> ExcludedColumns<T> for ($($column,)+) {
            fn push_assignments<DB: Backend>(
                out: &mut AstPass<'_, '_, DB>,
                first: bool,
                seal: Seal,
            ) -> QueryResult<()> {
                let mut first = first;
                $(
                    $column::push_assignments(out, first, seal)?;
                    first = false;
                )+
                let _ = first;
                Ok(())
            }
        }
    )+};
}

column_tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
    (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H)
}
