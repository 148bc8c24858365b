//! The queued auditor: an action awaits its event's write, batches share one
//! write, a full queue makes callers wait, and a writer that dies or fails
//! refuses every action whose event it did not write.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tenant_core::audit::{AuditError, AuditEvent, AuditSink, Auditor, MemorySink, QueueSettings};
use tenant_core::ActorId;

/// What the gated sink does with the batch it holds.
enum Verdict {
    Write,
    Fail,
    Panic,
}

/// A sink that announces each batch and then waits to be told what to do with it.
struct GatedSink {
    entered: Mutex<Sender<usize>>,
    verdicts: Mutex<Receiver<Verdict>>,
    written: MemorySink,
}

/// The test's end of a gated sink.
struct Gate {
    entered: Receiver<usize>,
    verdicts: Sender<Verdict>,
}

impl Gate {
    /// Waits for the writer to hold a batch; its size. Yields meanwhile, so that
    /// the spawned actions (on this one-thread runtime) can queue their events.
    async fn batch(&self) -> usize {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.entered.try_recv() {
                Ok(size) => return size,
                Err(_) if Instant::now() < deadline => tokio::task::yield_now().await,
                Err(e) => panic!("the writer never took a batch: {e}"),
            }
        }
    }

    fn decide(&self, verdict: Verdict) {
        self.verdicts.send(verdict).unwrap();
    }
}

fn gated() -> (Arc<GatedSink>, Gate) {
    let (entered_tx, entered) = channel();
    let (verdicts, verdicts_rx) = channel();
    let sink = Arc::new(GatedSink {
        entered: Mutex::new(entered_tx),
        verdicts: Mutex::new(verdicts_rx),
        written: MemorySink::new(),
    });
    (sink, Gate { entered, verdicts })
}

impl AuditSink for GatedSink {
    fn record(&self, event: &AuditEvent) -> Result<(), AuditError> {
        self.record_batch(std::slice::from_ref(event))
    }

    fn record_batch(&self, events: &[AuditEvent]) -> Result<(), AuditError> {
        self.entered.lock().unwrap().send(events.len()).unwrap();
        let verdict = self.verdicts.lock().unwrap().recv().unwrap();
        match verdict {
            Verdict::Write => events.iter().try_for_each(|e| self.written.record(e)),
            Verdict::Fail => Err(AuditError::new("disk full")),
            Verdict::Panic => panic!("the audit writer dies mid-batch"),
        }
    }
}

fn event(n: usize) -> AuditEvent {
    AuditEvent::cross_tenant(ActorId::new("alice"), "export", "test").with_target(n)
}

/// An audited action as a handler writes it: audit first, act only on `Ok`.
async fn audited_action(audit: Auditor, n: usize, done: Arc<Mutex<Vec<usize>>>) -> bool {
    match audit.record_async(event(n)).await {
        Ok(()) => {
            done.lock().unwrap().push(n);
            true
        }
        Err(_) => false,
    }
}

/// Lets the spawned tasks run until `ready` holds.
async fn until(mut ready: impl FnMut() -> bool) {
    for _ in 0..100_000 {
        if ready() {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("never ready");
}

#[tokio::test]
async fn an_action_goes_on_only_after_its_event_is_written() {
    let log = Arc::new(MemorySink::new());
    let (audit, writer) = Auditor::queued(log.clone(), QueueSettings::default()).unwrap();
    audit.record_async(event(1)).await.unwrap();
    assert_eq!(
        log.events().len(),
        1,
        "written before record_async returned"
    );
    drop(audit);
    writer.join().unwrap();
}

#[tokio::test]
async fn waiting_events_share_one_batch() {
    let (sink, gate) = gated();
    let (audit, writer) = Auditor::queued(sink.clone(), QueueSettings::default()).unwrap();
    let done = Arc::new(Mutex::new(Vec::new()));
    let first = tokio::spawn(audited_action(audit.clone(), 0, done.clone()));
    assert_eq!(gate.batch().await, 1);
    // While the writer holds the first batch, ten more actions queue up.
    let rest: Vec<_> = (1..=10)
        .map(|n| tokio::spawn(audited_action(audit.clone(), n, done.clone())))
        .collect();
    until(|| audit.waiting() == 10).await;
    assert!(
        done.lock().unwrap().is_empty(),
        "no action before its write"
    );
    gate.decide(Verdict::Write);
    assert_eq!(
        gate.batch().await,
        10,
        "the ten waiting events are one batch"
    );
    gate.decide(Verdict::Write);
    assert!(first.await.unwrap());
    for task in rest {
        assert!(task.await.unwrap());
    }
    assert_eq!(sink.written.events().len(), 11);
    drop(audit);
    writer.join().unwrap();
}

#[tokio::test]
async fn a_full_queue_makes_callers_wait_instead_of_growing() {
    let (sink, gate) = gated();
    let settings = QueueSettings {
        capacity: 2,
        max_batch: 1,
    };
    let (audit, writer) = Auditor::queued(sink.clone(), settings).unwrap();
    let done = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..8)
        .map(|n| tokio::spawn(audited_action(audit.clone(), n, done.clone())))
        .collect();
    assert_eq!(gate.batch().await, 1);
    until(|| audit.waiting() == 2).await;
    // Let every task run as far as it can: the queue stays at its capacity.
    for _ in 0..1000 {
        tokio::task::yield_now().await;
    }
    assert_eq!(
        audit.waiting(),
        2,
        "the queue never holds more than its capacity"
    );
    assert!(done.lock().unwrap().is_empty());
    gate.decide(Verdict::Write);
    for _ in 1..8 {
        assert_eq!(gate.batch().await, 1);
        gate.decide(Verdict::Write);
    }
    for task in tasks {
        assert!(task.await.unwrap());
    }
    assert_eq!(done.lock().unwrap().len(), 8);
    drop(audit);
    writer.join().unwrap();
}

#[tokio::test]
async fn a_killed_writer_refuses_every_action_it_did_not_write() {
    let (sink, gate) = gated();
    let (audit, writer) = Auditor::queued(sink.clone(), QueueSettings::default()).unwrap();
    let done = Arc::new(Mutex::new(Vec::new()));
    let held = tokio::spawn(audited_action(audit.clone(), 0, done.clone()));
    assert_eq!(gate.batch().await, 1);
    let queued: Vec<_> = (1..=5)
        .map(|n| tokio::spawn(audited_action(audit.clone(), n, done.clone())))
        .collect();
    until(|| audit.waiting() == 5).await;
    // The writer dies holding event 0, with five more queued behind it.
    gate.decide(Verdict::Panic);
    assert!(!held.await.unwrap(), "the held event's action is refused");
    for task in queued {
        assert!(!task.await.unwrap(), "a queued event's action is refused");
    }
    // And so is every later one: nobody is left to write it.
    assert!(!audited_action(audit.clone(), 6, done.clone()).await);
    let error = audit.record_async(event(7)).await.unwrap_err();
    assert!(
        error.to_string().contains("the audit writer has stopped"),
        "{error}"
    );
    assert!(done.lock().unwrap().is_empty(), "no action ran: {done:?}");
    assert!(sink.written.events().is_empty());
    assert!(writer.join().is_err(), "the writer panicked");
}

#[tokio::test]
async fn a_failed_batch_refuses_each_of_its_actions_and_the_writer_goes_on() {
    let (sink, gate) = gated();
    let (audit, writer) = Auditor::queued(sink.clone(), QueueSettings::default()).unwrap();
    let done = Arc::new(Mutex::new(Vec::new()));
    let failing = tokio::spawn(audited_action(audit.clone(), 0, done.clone()));
    assert_eq!(gate.batch().await, 1);
    gate.decide(Verdict::Fail);
    assert!(!failing.await.unwrap());
    let next = tokio::spawn(audited_action(audit.clone(), 1, done.clone()));
    assert_eq!(gate.batch().await, 1);
    gate.decide(Verdict::Write);
    assert!(next.await.unwrap());
    assert_eq!(*done.lock().unwrap(), [1]);
    drop(audit);
    writer.join().unwrap();
}

#[tokio::test]
async fn failing_open_the_action_goes_on_and_the_loss_is_reported() {
    let (sink, gate) = gated();
    let (audit, writer) = Auditor::queued(sink.clone(), QueueSettings::default()).unwrap();
    let audit = audit.fail_open();
    let done = Arc::new(Mutex::new(Vec::new()));
    let task = tokio::spawn(audited_action(audit.clone(), 0, done.clone()));
    assert_eq!(gate.batch().await, 1);
    gate.decide(Verdict::Panic);
    assert!(task.await.unwrap(), "failing open, the action goes on");
    assert!(writer.join().is_err());
}

#[test]
fn the_sync_record_of_a_queued_auditor_writes_inline() {
    let log = Arc::new(MemorySink::new());
    let (audit, writer) = Auditor::queued(log.clone(), QueueSettings::default()).unwrap();
    audit.record(event(1)).unwrap();
    assert_eq!(log.events().len(), 1);
    drop(audit);
    writer.join().unwrap();
}
