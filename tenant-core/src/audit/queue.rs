//! The audit queue: async code hands its events to a writer thread and waits for
//! them to be written, without holding a runtime thread or a lock while the sink
//! writes.
//!
//! Why a thread and a queue: a durable write (an `fsync`) takes milliseconds, and a
//! sink such as `DieselAuditSink` has one connection. Written inline from async
//! handlers, every audited request waits for the lock and then blocks a runtime
//! thread for its own write: the server runs at one `fsync` per request. Queued,
//! the writer takes whatever is waiting (up to [`QueueSettings::max_batch`]) and
//! writes it as one batch ([`AuditSink::record_batch`], one transaction in the
//! Diesel sink), so fifty concurrent requests share one `fsync`.
//!
//! What does not change is failing closed: [`Auditor::record_async`] returns only
//! after the sink has written the batch holding its event, and an error if it
//! could not, or if the writer is gone (stopped, or panicked mid-batch). The
//! audited action runs after that `Ok`, never before.
//!
//! Back-pressure instead of growth: the queue holds at most
//! [`QueueSettings::capacity`] events; a caller that finds it full waits for room,
//! so a flood slows its own requests rather than filling memory.
//!
//! [`Auditor::record_async`]: super::Auditor::record_async

use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot};

use super::{AuditError, AuditEvent, AuditSink};

/// How big the queue is and how much the writer takes at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSettings {
    /// The most events waiting to be written; more callers wait for room.
    pub capacity: usize,
    /// The most events written as one batch.
    pub max_batch: usize,
}

impl Default for QueueSettings {
    /// 1,024 waiting, 256 per batch: room for a burst of a busy server, and a
    /// batch whose transaction stays short.
    fn default() -> Self {
        Self {
            capacity: 1024,
            max_batch: 256,
        }
    }
}

/// An event on its way to the writer, and where its outcome goes.
struct Queued {
    event: AuditEvent,
    written: oneshot::Sender<Result<(), String>>,
}

/// The sending end of the queue, held by the [`Auditor`](super::Auditor).
#[derive(Clone)]
pub(super) struct QueueSender {
    sender: mpsc::Sender<Queued>,
}

impl QueueSender {
    /// Queues `event`, waiting for room, then waits until the writer has written
    /// it (`Ok`) or could not (`Err`).
    pub(super) async fn write(&self, event: AuditEvent) -> Result<(), AuditError> {
        let (written, outcome) = oneshot::channel();
        self.sender
            .send(Queued { event, written })
            .await
            .map_err(|_| AuditError::new(WRITER_GONE))?;
        match outcome.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(AuditError::new(message)),
            // The writer dropped the event unanswered: it panicked mid-batch.
            Err(_) => Err(AuditError::new(WRITER_GONE)),
        }
    }

    /// How many events wait to be written now.
    pub(super) fn waiting(&self) -> usize {
        self.sender.max_capacity() - self.sender.capacity()
    }
}

const WRITER_GONE: &str = "the audit writer has stopped";

/// The writer thread of a queued [`Auditor`](super::Auditor): it ends when every
/// clone of the auditor is dropped and the queue is empty, or when its sink
/// panics.
///
/// Dropping the handle leaves the thread running; [`AuditWriter::join`] waits for
/// it (after the auditors are dropped) so that a server shutting down writes every
/// queued event first.
#[derive(Debug)]
pub struct AuditWriter {
    thread: JoinHandle<()>,
}

impl AuditWriter {
    /// Waits until the writer has written everything queued and stopped (which it
    /// does once every clone of its auditor is dropped). An error if it panicked.
    pub fn join(self) -> Result<(), AuditError> {
        self.thread
            .join()
            .map_err(|_| AuditError::new("the audit writer panicked"))
    }

    /// Whether the writer has stopped.
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }
}

/// Starts the writer thread over `sink`; the sender is the auditor's.
pub(super) fn spawn(
    sink: Arc<dyn AuditSink>,
    settings: QueueSettings,
) -> Result<(QueueSender, AuditWriter), AuditError> {
    let capacity = settings.capacity.max(1);
    let max_batch = settings.max_batch.max(1);
    let (sender, receiver) = mpsc::channel(capacity);
    let thread = std::thread::Builder::new()
        .name("tenant-audit-writer".into())
        .spawn(move || write_until_closed(&*sink, receiver, max_batch))
        .map_err(|e| AuditError::new(format!("cannot start the audit writer: {e}")))?;
    Ok((QueueSender { sender }, AuditWriter { thread }))
}

/// The writer's loop: takes what waits (at least one event, at most `max_batch`),
/// writes it as one batch and answers every caller with the batch's outcome.
fn write_until_closed(
    sink: &dyn AuditSink,
    mut receiver: mpsc::Receiver<Queued>,
    max_batch: usize,
) {
    let mut events = Vec::with_capacity(max_batch);
    let mut callers = Vec::with_capacity(max_batch);
    // `blocking_recv`: this is a thread of its own, not a runtime's.
    while let Some(first) = receiver.blocking_recv() {
        let mut next = Some(first);
        while let Some(Queued { event, written }) = next.take() {
            events.push(event);
            callers.push(written);
            if events.len() < max_batch {
                next = receiver.try_recv().ok();
            }
        }
        let outcome = sink.record_batch(&events).map_err(|e| e.to_string());
        events.clear();
        for written in callers.drain(..) {
            // A caller that stopped waiting (its request was cancelled) has
            // nobody to tell; its event is written all the same.
            let _ = written.send(outcome.clone());
        }
    }
}
