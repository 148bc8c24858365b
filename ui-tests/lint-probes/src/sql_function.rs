// The deprecated spelling of the same.
#[allow(deprecated)]
mod old {
    diesel::sql_function! {
        #[sql_name = "1=1 OR abs"]
        fn evil(x: diesel::sql_types::BigInt) -> diesel::sql_types::BigInt;
    }
}
