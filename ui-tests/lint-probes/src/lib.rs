//! One probe per ban of the workspace's `clippy.toml`, each in its own file, and
//! one file that must draw no warning at all (so the check can fail).
#![allow(dead_code, unused)]

diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
    }
}

mod clean;
mod sql_literal;
mod sql_query;
mod into_boxed;
mod internal_into_boxed;
mod define_sql_function;
mod sql_function;
mod infix_operator;
mod push_sql;
