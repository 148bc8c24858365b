//! Diesel's associations on scopes: `Child::scoped(&ctx).belonging_to(&parents)`
//! for models that derive Diesel's `Associations`, and Diesel's own
//! `grouped_by`, which works on the rows a scope loaded (it runs no query).

use diesel::associations::Identifiable;
use diesel::dsl;
use diesel::query_dsl::methods::FilterDsl;
use diesel::ExpressionMethods;

use crate::safe::TenantSafe;
use crate::scoped::Scoped;

/// `Self`, a table, has a model deriving `TenantScoped` and Diesel's
/// `Associations` with `#[diesel(belongs_to(Parent))]`: `Column` is that
/// foreign key. Written by the derive, for the scope, which knows its table.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the model of `{Self}` does not belong to `{Parent}`",
    label = "no `#[diesel(belongs_to(..))]` to this parent on the table's model",
    note = "derive Diesel's `Associations` on the model that derives `TenantScoped`, with `#[diesel(belongs_to(Parent))]` (and `Identifiable` on the parent)"
)]
pub trait ForeignKeyTo<Parent> {
    /// The foreign key column.
    type Column;
}

/// The foreign key column of `T`'s model to `Parent`.
type ForeignKey<T, Parent> = <T as ForeignKeyTo<Parent>>::Column;

/// The ids of `parents`, as `belonging_to` compares them.
type ParentIds<'a, Parent> = Vec<<&'a Parent as Identifiable>::Id>;

/// `AND foreign_key IN (ids of parents)`.
type BelongingTo<'a, T, Parent> = dsl::EqAny<ForeignKey<T, Parent>, ParentIds<'a, Parent>>;

/// `Self`, parents loaded by a scope (`&Vec<Account>`, `&[Account]`), are
/// parents of the rows of the table `T`: the predicate `belonging_to` adds.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` are not parents of the rows of `{T}`",
    label = "no `#[diesel(belongs_to(..))]` to these parents on the table's model",
    note = "derive Diesel's `Associations` on the model that derives `TenantScoped`, with `#[diesel(belongs_to(Parent))]`, and `Identifiable` on the parent; pass the parents by reference (`&accounts`)"
)]
pub trait ParentsOf<T> {
    /// `foreign_key IN (ids)`.
    type Predicate;

    /// The predicate for these parents.
    fn predicate(self) -> Self::Predicate;
}

// Reports `ParentsOf`'s message, not one of the bounds beneath it.
#[diagnostic::do_not_recommend]
impl<'a, T, Parent, Parents> ParentsOf<T> for Parents
where
    Parent: 'a,
    Parents: IntoIterator<Item = &'a Parent>,
    T: ForeignKeyTo<Parent>,
    &'a Parent: Identifiable,
    ForeignKey<T, Parent>: ExpressionMethods + Default,
    <ForeignKey<T, Parent> as diesel::Expression>::SqlType: diesel::sql_types::SingleValue,
    ParentIds<'a, Parent>:
        diesel::internal::derives::multiconnection::array_comparison::AsInExpression<
            <ForeignKey<T, Parent> as diesel::Expression>::SqlType,
        >,
{
    type Predicate = BelongingTo<'a, T, Parent>;

    fn predicate(self) -> Self::Predicate {
        let ids: ParentIds<'a, Parent> = self.into_iter().map(Identifiable::id).collect();
        ForeignKey::<T, Parent>::default().eq_any(ids)
    }
}

impl<T, Q, M> Scoped<T, Q, M> {
    /// Adds `AND foreign_key IN (ids of parents)`, Diesel's `belonging_to` on a
    /// scope: the tenant's children of `parents`, loaded in one query, then
    /// matched to them with Diesel's `grouped_by`:
    ///
    /// ```text
    /// let accounts: Vec<Account> = Account::scoped(&ctx).load(&mut conn)?;
    /// let invoices: Vec<Invoice> = Invoice::scoped(&ctx).belonging_to(&accounts).load(&mut conn)?;
    /// let per_account: Vec<(Account, Vec<Invoice>)> =
    ///     accounts.into_iter().zip(invoices.grouped_by(&accounts)).collect();
    /// ```
    ///
    /// The foreign key comes from the model's `#[diesel(belongs_to(Account))]`
    /// and is checked like any filter. Parents loaded for another tenant find
    /// only this tenant's own rows that name their ids.
    pub fn belonging_to<Parents, Proof>(
        self,
        parents: Parents,
    ) -> Scoped<T, dsl::Filter<Q, Parents::Predicate>, M>
    where
        Parents: ParentsOf<T>,
        Parents::Predicate: TenantSafe<T, Proof>,
        Q: FilterDsl<Parents::Predicate>,
    {
        self.filter(parents.predicate())
    }
}
