// A leading `crate = ..;` names the path of tenant-diesel once.
tenant_diesel::tenant_sql_function! {
    crate = tenant_diesel;
    crate = tenant_diesel;
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

fn main() {}
