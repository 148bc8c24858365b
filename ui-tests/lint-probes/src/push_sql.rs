// A hand-written query fragment that writes SQL text.
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::QueryResult;

struct Everything;

impl<DB: Backend> QueryFragment<DB> for Everything {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("1=1 OR 1=1");
        Ok(())
    }
}
