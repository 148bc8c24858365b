// Classes 7 and 10: `#[sql_name]` is pasted into the query verbatim
// (`1=1 OR abs(..)`), so a declared function takes its SQL name from its Rust name.
use diesel::sql_types::BigInt;

tenant_diesel::tenant_sql_function! {
    #[sql_name = "1=1 OR abs"]
    fn evil(x: BigInt) -> BigInt;
}

fn main() {}
