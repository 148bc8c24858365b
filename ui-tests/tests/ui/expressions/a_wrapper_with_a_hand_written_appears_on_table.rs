// Class 10: a type of the application's that says it appears on every table and
// writes a subquery: unknown to the allow-list, so refused, whatever it claims.
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

#[derive(Debug, Clone, Copy, QueryId)]
struct Smuggle;

impl Expression for Smuggle {
    type SqlType = diesel::sql_types::Bool;
}
impl<QS> AppearsOnTable<QS> for Smuggle {}
impl<QS> SelectableExpression<QS> for Smuggle {}
impl<GB> ValidGrouping<GB> for Smuggle {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}
impl<DB: Backend> QueryFragment<DB> for Smuggle {
    fn walk_ast<'b>(&'b self, _: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Ok(())
    }
}

fn main() {
    let _ = Account::scoped(&acme()).filter(accounts::id.eq(1).and(Smuggle));
}
