// Class 9: `as_select()` selects the model's select expression, which a
// hand-written `Selectable` chooses: it is walked like any selection, so a part
// the allow-list does not know (here, a fragment of the application's that says it
// appears everywhere) is refused.
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sqlite::Sqlite;
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{accounts, acme, Account};

#[derive(Debug, Clone, Copy, QueryId)]
struct Elsewhere;

impl Expression for Elsewhere {
    type SqlType = diesel::sql_types::BigInt;
}
impl<QS> AppearsOnTable<QS> for Elsewhere {}
impl<QS> SelectableExpression<QS> for Elsewhere {}
impl<GB> ValidGrouping<GB> for Elsewhere {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}
impl<DB: Backend> QueryFragment<DB> for Elsewhere {
    fn walk_ast<'b>(&'b self, _: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Ok(())
    }
}

#[derive(Queryable)]
struct Peek {
    id: i64,
    amount: i64,
}

impl Selectable<Sqlite> for Peek {
    type SelectExpression = (accounts::id, Elsewhere);

    fn construct_selection() -> Self::SelectExpression {
        (accounts::id, Elsewhere)
    }
}

fn main() {
    let _ = Account::scoped(&acme()).select(Peek::as_select());
}
