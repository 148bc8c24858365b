//! The accept loop: HTTP/1 connections with a header-read timeout, each
//! request told its client's address, and a graceful shutdown.
//!
//! `axum::serve` has no header-read timeout, so a client that sends half a
//! request and then nothing held its connection (and a task) forever; enough of
//! them exhaust the server. Here each connection is served by hyper's HTTP/1
//! builder with a timer: a request head (or the next one on a kept-alive
//! connection) that has not fully arrived within the timeout closes the
//! connection.
//!
//! Each connection's router is made by `into_make_service_with_connect_info`, so
//! handlers can extract `axum::extract::ConnectInfo<SocketAddr>` (the peer's
//! address) as they could under `axum::serve`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::Service;

/// How the connections are served.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client has to send a request's head (the request line and
    /// the headers), from the moment the server waits for it.
    pub header_read_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes; then stops
/// accepting, closes idle connections, lets in-flight requests finish and
/// returns once every connection is closed (and with it the router's clones).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // The router with `ConnectInfo(peer)` in every request's extensions.
        let service = match make_service.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection's errors (a client gone, a head too slow) are the
            // client's business, not the server's.
            let _ = connection.await;
        });
    }
    // No new connections from here on.
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// What `axum::serve` does on an accept error: nothing for a connection that
/// failed before it was accepted; otherwise (out of file descriptors, say) wait a
/// second so that connections close before the next try.
async fn accept_error(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    eprintln!("dashboard: accept error: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
