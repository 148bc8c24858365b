// An `AsyncAdminConn` opens only with an `AdminCtx`, whose fields are private:
// it cannot be written by hand, so cross-tenant access always has a reason on
// the record (`AdminCtx::new_async("reason", &staff, &audit).await?`).
use tenant_diesel::async_conn::{AsyncAdminConn, AsyncSqliteConnection};
use tenant_diesel::AdminCtx;

fn open(raw: AsyncSqliteConnection, audit: tenant_diesel::audit::Auditor) {
    let forged = AdminCtx {
        reason: "no record",
        actor: tenant_diesel::ActorId::new("mallory"),
        audit,
    };
    let _conn = AsyncAdminConn::new(raw, &forged);
}

fn main() {}
