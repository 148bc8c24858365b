// A typed query: no ban applies.
use diesel::prelude::*;

use crate::accounts;

fn typed() {
    let _ = accounts::table.filter(accounts::tenant_id.eq(1_i64)).select(accounts::name);
}
