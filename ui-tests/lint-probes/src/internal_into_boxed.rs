// The same boxing, through Diesel's internal method instead of `into_boxed`.
use diesel::query_dsl::methods::BoxedDsl;

use crate::accounts;

fn boxed<'a, DB: diesel::backend::Backend>()
where
    accounts::table: BoxedDsl<'a, DB>,
{
    let _ = accounts::table.internal_into_boxed();
}
