//! The dashboard's tables, as `diesel print-schema` writes them.
// `diesel print-schema` writes no docs, and this file stays as it writes it.
#![allow(missing_docs)]
// `table!` writes its own SQL text (`AstPass::push_sql`), banned in handwritten code.
#![allow(clippy::disallowed_methods)]

diesel::table! {
    tenants (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        plan -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        is_staff -> Bool,
    }
}

diesel::table! {
    memberships (user_id, tenant_id) {
        user_id -> BigInt,
        tenant_id -> BigInt,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
        status -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(tenants, users, memberships, accounts);
