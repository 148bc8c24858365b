// A raw boxed query, which can hide a subquery on a tenant table.
use diesel::prelude::*;
use diesel::query_dsl::methods::BoxedDsl;

use crate::accounts;

fn boxed<'a, DB: diesel::backend::Backend>()
where
    accounts::table: BoxedDsl<'a, DB>,
{
    let _ = accounts::table.into_boxed::<DB>();
}
