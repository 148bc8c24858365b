// Diesel's `table!` writes its own SQL text (`AstPass::push_sql`), which the
// workspace's clippy.toml bans in handwritten code.
#![allow(clippy::disallowed_methods)]

diesel::table! {
    /// The audit log's one table, created by the sink's embedded migrations.
    audit_events (id) {
        id -> BigInt,
        at -> Text,
        actor -> Text,
        tenant_id -> Nullable<BigInt>,
        action -> Text,
        target_id -> Nullable<Text>,
        detail -> Nullable<Text>,
        tenant_uuid -> Nullable<Text>,
        host -> Nullable<Text>,
        client_addr -> Nullable<Text>,
    }
}
