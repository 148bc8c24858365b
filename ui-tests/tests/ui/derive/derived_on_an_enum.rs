use tenant_diesel::prelude::*;

#[derive(TenantScoped)]
#[diesel(table_name = accounts)]
enum Account {
    Active { id: i64, tenant_id: i64 },
}

fn main() {}
