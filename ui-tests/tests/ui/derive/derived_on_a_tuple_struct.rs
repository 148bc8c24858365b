use tenant_diesel::prelude::*;

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
struct Account(i64, i64);

fn main() {}
