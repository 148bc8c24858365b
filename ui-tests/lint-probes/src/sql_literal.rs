// An SQL literal in a filter: `WHERE tenant_id = ? AND 1=1 OR 1=1`.
use diesel::prelude::*;

use crate::accounts;

fn literal() {
    let _ = accounts::table.filter(diesel::dsl::sql::<diesel::sql_types::Bool>("1=1 OR 1=1"));
}
