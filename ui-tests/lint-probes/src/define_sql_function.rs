// `sql_name` is pasted into the query verbatim: `1=1 OR abs(..)`.
diesel::define_sql_function! {
    #[sql_name = "1=1 OR abs"]
    fn evil(x: diesel::sql_types::BigInt) -> diesel::sql_types::BigInt;
}
