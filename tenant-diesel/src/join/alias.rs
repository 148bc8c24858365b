//! Self-joins through `diesel::alias!`: a second copy of a table joined with a
//! condition of the application's, `.left_join(parent.on(..))`, its tenant
//! terms added like a table's. The alias's columns (`parent.field(messages::id)`)
//! are checked like the table's own.

use diesel::dsl;
use diesel::expression::{AsExpression, Expression};
use diesel::internal::table_macro::{Inner, Join, JoinOn, LeftOuter};
use diesel::query_dsl::methods::FilterDsl;
use diesel::query_dsl::InternalJoinDsl;
use diesel::query_source::{
    Alias, AliasSource, AliasedField, AppearsInFromClause, Once, QuerySource,
};
use diesel::sql_types::{Bool, SingleValue};
use diesel::{Column, ExpressionMethods};

use super::custom::{Condition, JoinWithOn};
use crate::safe::{proof, TenantSafe};
use crate::seal::ImplementedByTenantDieselOnly;
use crate::table::{
    tenant_column, GlobalKind, TableKind, TenantColumnType, TenantKind, TenantTable, ThroughKind,
};
use tenant_core::AnyTenantId;

/// [`TableKind::Kind`] of an alias of a tenant table.
#[doc(hidden)]
pub enum AliasedTenantKind {}

/// [`TableKind::Kind`] of an alias of a table reached through its parent,
/// which has no tenant column to add terms for: not joined.
#[doc(hidden)]
pub enum AliasedThroughKind {}

/// The kind of an alias of a table of kind `Self`.
#[doc(hidden)]
pub trait AliasedKind {
    /// The alias's kind.
    type Aliased;
}

impl AliasedKind for TenantKind {
    type Aliased = AliasedTenantKind;
}

impl AliasedKind for GlobalKind {
    // No tenant terms: the condition alone, as for the table.
    type Aliased = GlobalKind;
}

impl AliasedKind for ThroughKind {
    type Aliased = AliasedThroughKind;
}

impl<A> ImplementedByTenantDieselOnly for Alias<A> {}

/// An alias is the kind of table it copies.
impl<A> TableKind for Alias<A>
where
    A: AliasSource,
    A::Target: TableKind,
    <A::Target as TableKind>::Kind: AliasedKind,
{
    type Kind = <<A::Target as TableKind>::Kind as AliasedKind>::Aliased;
}

impl<A, C> ImplementedByTenantDieselOnly<proof::AliasedColumn> for AliasedField<A, C> {}

/// A column of an alias, in a query whose tables include the alias once: the
/// column must be one its table's scoped queries may read.
impl<QS, A, C> TenantSafe<QS, proof::AliasedColumn> for AliasedField<A, C>
where
    A: AliasSource,
    C: Column<Table = A::Target> + TenantSafe<A::Target, proof::Column>,
    QS: AppearsInFromClause<Alias<A>, Count = Once>,
{
}

/// The tenant filter of `Self`, an alias of a tenant table: `alias.tenant =
/// $1`. A trait of its own so that the filter's type stays one name.
///
/// An alias gets its own filter and no equality with the first table's tenant
/// column: both carry `tenant = $1`, which implies it (Diesel's nullability
/// bounds cannot be written for a column of an alias in generic code).
#[doc(hidden)]
pub trait AliasTenantFilter {
    /// `alias.tenant = $1`.
    type Filter: Expression<SqlType = Bool>;

    /// `alias.tenant = $1` for `tenant`.
    fn tenant_filter(&self, tenant: AnyTenantId) -> Self::Filter;
}

/// The alias's tenant column.
type AliasedTenant<A> = AliasedField<A, <<A as AliasSource>::Target as TenantTable>::TenantColumn>;
/// Its SQL type.
type TenantSql<A> =
    <<<A as AliasSource>::Target as TenantTable>::TenantColumn as Expression>::SqlType;
/// What its tenant filter binds.
type TenantBind<A> = <TenantSql<A> as TenantColumnType>::Bind;

impl<A> AliasTenantFilter for Alias<A>
where
    A: AliasSource,
    A::Target: TenantTable,
    TenantSql<A>: SingleValue,
    AliasedTenant<A>: ExpressionMethods + Expression<SqlType = TenantSql<A>>,
    TenantBind<A>: AsExpression<TenantSql<A>>,
    dsl::Eq<AliasedTenant<A>, TenantBind<A>>: Expression<SqlType = Bool>,
{
    type Filter = dsl::Eq<AliasedTenant<A>, TenantBind<A>>;

    fn tenant_filter(&self, tenant: AnyTenantId) -> Self::Filter {
        let id = crate::scoped::typed_tenant(tenant);
        self.field(tenant_column::<A::Target>())
            .eq(<TenantSql<A> as TenantColumnType>::bind(id))
    }
}

/// The inner self-join: the application's condition in `ON`, the alias's
/// tenant filter in `WHERE`.
impl<A, On, S, Q, P, Proof> JoinWithOn<Alias<A>, On, S, Q, P, Inner, Proof> for AliasedTenantKind
where
    S: QuerySource,
    Alias<A>: QuerySource + AliasTenantFilter,
    Q: InternalJoinDsl<Alias<A>, Inner, On>,
    Q::Output: FilterDsl<<Alias<A> as AliasTenantFilter>::Filter>,
{
    type Source = JoinOn<Join<S, Alias<A>, Inner>, On>;
    type Query = dsl::Filter<Q::Output, <Alias<A> as AliasTenantFilter>::Filter>;

    fn join_with_on(alias: Alias<A>, on: On, query: Q, tenant: AnyTenantId) -> Self::Query {
        let filter = alias.tenant_filter(tenant);
        query.join(alias, Inner, on).filter(filter)
    }
}

/// `filter AND condition`.
type WithCondition<Terms, On> = <<On as Expression>::SqlType as Condition<Terms, On>>::And;

/// The left self-join: the alias's tenant filter inside `ON`.
impl<A, On, S, Q, P, Proof> JoinWithOn<Alias<A>, On, S, Q, P, LeftOuter, Proof>
    for AliasedTenantKind
where
    S: QuerySource,
    Alias<A>: QuerySource + AliasTenantFilter,
    On: Expression,
    On::SqlType: Condition<<Alias<A> as AliasTenantFilter>::Filter, On>,
    Q: InternalJoinDsl<
        Alias<A>,
        LeftOuter,
        WithCondition<<Alias<A> as AliasTenantFilter>::Filter, On>,
    >,
{
    type Source = JoinOn<
        Join<S, Alias<A>, LeftOuter>,
        WithCondition<<Alias<A> as AliasTenantFilter>::Filter, On>,
    >;
    type Query = Q::Output;

    fn join_with_on(alias: Alias<A>, on: On, query: Q, tenant: AnyTenantId) -> Self::Query {
        let condition = On::SqlType::and(alias.tenant_filter(tenant), on);
        query.join(alias, LeftOuter, condition)
    }
}
