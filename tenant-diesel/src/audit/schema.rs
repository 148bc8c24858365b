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
    }
}
