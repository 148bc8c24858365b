//! The dashboard's errors. Every one answers 500 with a fixed body: nothing of the
//! request, the database or another tenant is echoed to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What can go wrong while serving a request or starting up.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No database connection from a pool.
    #[error("no database connection: {0}")]
    Pool(#[from] diesel_async::pooled_connection::deadpool::PoolError),
    /// Every connection of a pool stayed busy for this long.
    #[error("no database connection within {0:?}")]
    PoolTimeout(std::time::Duration),
    /// A query failed.
    #[error("query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// An audit event could not be written (the auditor fails closed).
    #[error("audit failed: {0}")]
    Audit(#[from] tenant_diesel::audit::AuditError),
    /// Cross-tenant access could not be opened.
    #[error("admin access failed: {0}")]
    Admin(#[from] tenant_diesel::AdminError),
    /// The cache or the session state did not answer.
    #[error("store failed: {0}")]
    Store(#[from] tenant_diesel::store::StoreError),
    /// A stored slug is invalid.
    #[error("invalid slug in the tenants table: {0}")]
    Slug(#[from] tenant_diesel::SlugError),
    /// A template failed to render.
    #[error("template failed: {0}")]
    Template(#[from] askama::Error),
    /// A blocking task (start-up, a password check) panicked or was cancelled.
    #[error("worker failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    /// Something else, at start-up.
    #[error("{0}")]
    Startup(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The details go to the server's log only.
        eprintln!("dashboard: {self}");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    }
}
