//! Denied requests in the audit log, rate-limited per client so that a flood of
//! bad requests cannot fill it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{AuditEvent, Auditor};
use crate::actor::ActorId;

/// How many denials each client may put in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DenialLimits {
    /// Denials logged per client per window; more are counted, not logged, and
    /// the count goes with the client's next logged denial.
    pub per_client: u32,
    /// The window.
    pub window: Duration,
    /// The most clients tracked at once. When every slot holds a live window, new
    /// clients share one slot (and its limit), so the tracker's memory is bounded
    /// whatever the number of addresses a flood comes from.
    pub max_clients: usize,
}

impl Default for DenialLimits {
    /// 20 denials per client per minute, 10,000 clients tracked.
    fn default() -> Self {
        Self {
            per_client: 20,
            window: Duration::from_secs(60),
            max_clients: 10_000,
        }
    }
}

/// Records the requests a server refuses: a malformed or foreign host, an unknown
/// tenant, a user who is not a member. The `TenantCtx` extractor (feature `axum`)
/// calls it when its state returns one from `TenantState::denial_audit`;
/// applications call [`DenialAudit::record`] for the refusals they make
/// themselves (a forged cookie, a cross-site post).
///
/// A denial is the request's end, not a step before an action, so a failed write
/// refuses nothing more: it is reported through `tracing` at `ERROR` level. Each
/// denial waits for its event to be written (through a
/// [`queued`](Auditor::queued) auditor, the writer's batch), which slows a flood
/// down rather than letting it queue without end.
///
/// Clients are told apart by address (IPv6 by its /64, what one host is usually
/// given); a request without a known address counts as one unknown client.
#[derive(Debug)]
pub struct DenialAudit {
    auditor: Auditor,
    limits: DenialLimits,
    clients: Mutex<HashMap<Option<IpAddr>, Window>>,
}

/// One client's current window.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    logged: u32,
    /// Denials not logged since the client's last logged one.
    unlogged: u64,
}

/// What the limiter decided for one denial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// Log it, with the count of the client's denials not logged before it.
    Log { unlogged_before: u64 },
    /// Over the limit: counted, not logged.
    Skip,
}

impl DenialAudit {
    /// The actor of a denial whose user is not known (no one authenticated, or
    /// the request was refused before anyone could).
    pub const UNKNOWN_ACTOR: &'static str = "-";

    /// Denials to `auditor`, with the default limits.
    pub fn new(auditor: Auditor) -> Self {
        Self::with_limits(auditor, DenialLimits::default())
    }

    /// Denials to `auditor`, with `limits`.
    pub fn with_limits(auditor: Auditor, limits: DenialLimits) -> Self {
        Self {
            auditor,
            limits,
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// A denial event: `action` (by convention `denied.<why>`), by `actor` if
    /// known, for `tenant` if known, from the request that named `host` from
    /// `client`.
    pub fn event(
        action: &str,
        actor: Option<&ActorId>,
        tenant: Option<crate::id::AnyTenantId>,
        host: Option<&str>,
        client: Option<IpAddr>,
    ) -> AuditEvent {
        let actor = actor
            .cloned()
            .unwrap_or_else(|| ActorId::new(Self::UNKNOWN_ACTOR));
        AuditEvent::new(actor, tenant, action).with_source(host, client)
    }

    /// A denial event for the request in `parts`: its `Host` (every one sent, or
    /// the URI's authority) and, when the server records connections' addresses
    /// (`into_make_service_with_connect_info::<SocketAddr>()`), its client.
    #[cfg(feature = "axum")]
    pub fn request_event(
        action: &str,
        actor: Option<&ActorId>,
        tenant: Option<crate::id::AnyTenantId>,
        parts: &http::request::Parts,
    ) -> AuditEvent {
        Self::event(
            action,
            actor,
            tenant,
            request_host(parts).as_deref(),
            client_address(parts),
        )
    }

    /// Records `event` unless its client is over the limit; a write that fails is
    /// reported through `tracing`, never returned (the request is refused either
    /// way). Returns whether the event was logged.
    pub async fn record(&self, mut event: AuditEvent) -> bool {
        match self.decide(event.client, Instant::now()) {
            Decision::Skip => false,
            Decision::Log { unlogged_before } => {
                if unlogged_before > 0 {
                    let note =
                        format!("{unlogged_before} earlier denials from this client not logged");
                    event.detail = Some(match event.detail.take() {
                        Some(detail) => format!("{detail}; {note}"),
                        None => note,
                    });
                }
                let (action, client) = (event.action.clone(), event.client);
                if let Err(e) = self.auditor.record_async(event).await {
                    tracing::error!(
                        target: "tenant_audit",
                        error = %e,
                        action = %action,
                        client = client.map(tracing::field::display),
                        "denial not recorded"
                    );
                }
                true
            }
        }
    }

    /// The limiter: counts the denial in its client's window.
    fn decide(&self, client: Option<IpAddr>, now: Instant) -> Decision {
        let limits = self.limits;
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let mut key = client.map(crate::client::client_key);
        if !clients.contains_key(&key) && clients.len() >= limits.max_clients {
            clients.retain(|_, window| now.duration_since(window.started) < limits.window);
            if clients.len() >= limits.max_clients {
                // Every slot is live: the newcomer shares the unknown client's.
                key = None;
            }
        }
        let window = clients.entry(key).or_insert(Window {
            started: now,
            logged: 0,
            unlogged: 0,
        });
        if now.duration_since(window.started) >= limits.window {
            window.started = now;
            window.logged = 0;
        }
        if window.logged < limits.per_client {
            window.logged += 1;
            let unlogged_before = std::mem::take(&mut window.unlogged);
            Decision::Log { unlogged_before }
        } else {
            window.unlogged += 1;
            Decision::Skip
        }
    }

    /// How many clients the limiter tracks now.
    pub fn tracked_clients(&self) -> usize {
        self.clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(feature = "axum")]
/// The host the request named, as sent: every `Host` header (a duplicated one is
/// itself the attempt), or the URI's authority (HTTP/2). Text that is not
/// visible ASCII is escaped.
fn request_host(parts: &http::request::Parts) -> Option<String> {
    let headers: Vec<String> = parts
        .headers
        .get_all(http::header::HOST)
        .iter()
        .map(|value| value.as_bytes().escape_ascii().to_string())
        .collect();
    if headers.is_empty() {
        parts.uri.authority().map(|authority| authority.to_string())
    } else {
        Some(headers.join(", "))
    }
}

#[cfg(feature = "axum")]
/// The client's address, when the server records connections' addresses.
fn client_address(parts: &http::request::Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(address)| address.ip())
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;
    use std::sync::Arc;

    use super::*;
    use crate::audit::MemorySink;

    fn audit(limits: DenialLimits) -> (DenialAudit, Arc<MemorySink>) {
        let log = Arc::new(MemorySink::new());
        (
            DenialAudit::with_limits(Auditor::new(log.clone()), limits),
            log,
        )
    }

    fn limits(per_client: u32, max_clients: usize) -> DenialLimits {
        DenialLimits {
            per_client,
            window: Duration::from_secs(60),
            max_clients,
        }
    }

    fn client(last: u8) -> Option<IpAddr> {
        Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, last)))
    }

    #[test]
    fn a_client_over_its_limit_is_counted_then_reported_with_its_next_window() {
        let (audit, _) = audit(limits(2, 10));
        let start = Instant::now();
        let decisions: Vec<Decision> = (0..5).map(|_| audit.decide(client(1), start)).collect();
        assert_eq!(
            decisions,
            [
                Decision::Log { unlogged_before: 0 },
                Decision::Log { unlogged_before: 0 },
                Decision::Skip,
                Decision::Skip,
                Decision::Skip,
            ]
        );
        // Another client has its own limit.
        assert_eq!(
            audit.decide(client(2), start),
            Decision::Log { unlogged_before: 0 }
        );
        // The next window logs again, and says how many were not.
        let later = start + Duration::from_secs(61);
        assert_eq!(
            audit.decide(client(1), later),
            Decision::Log { unlogged_before: 3 }
        );
    }

    #[test]
    fn the_tracker_never_holds_more_than_its_clients_plus_the_shared_slot() {
        let (audit, _) = audit(limits(1, 100));
        let now = Instant::now();
        for i in 0..10_000u32 {
            let address = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            audit.decide(Some(address), now);
        }
        assert!(
            audit.tracked_clients() <= 101,
            "{}",
            audit.tracked_clients()
        );
        // The newcomers shared one slot: one logged denial, the rest counted.
        assert_eq!(audit.decide(None, now), Decision::Skip);
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let (audit, _) = audit(limits(1, 10));
        let now = Instant::now();
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(
            audit.decide(Some(a), now),
            Decision::Log { unlogged_before: 0 }
        );
        assert_eq!(audit.decide(Some(b), now), Decision::Skip);
        assert_eq!(
            audit.decide(Some(c), now),
            Decision::Log { unlogged_before: 0 }
        );
    }

    #[test]
    fn recorded_denials_carry_their_source_and_the_unlogged_count() {
        let window = Duration::from_millis(20);
        let (audit, log) = audit(DenialLimits {
            per_client: 1,
            window,
            max_clients: 10,
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let event =
            |host| DenialAudit::event("denied.unknown_tenant", None, None, Some(host), client(7));
        runtime.block_on(async {
            assert!(audit.record(event("nope.example.com")).await);
            assert!(!audit.record(event("nope.example.com")).await);
            assert!(!audit.record(event("nope.example.com")).await);
            // Past the window (a sleep longer than it, not a timing assertion).
            std::thread::sleep(window * 2);
            assert!(audit.record(event("again.example.com")).await);
        });
        let events = log.events();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].actor.as_str(), DenialAudit::UNKNOWN_ACTOR);
        assert_eq!(events[0].action, "denied.unknown_tenant");
        assert_eq!(events[0].host.as_deref(), Some("nope.example.com"));
        assert_eq!(events[0].client, client(7));
        assert_eq!(events[0].detail, None);
        assert_eq!(
            events[1].detail.as_deref(),
            Some("2 earlier denials from this client not logged")
        );
    }
}
