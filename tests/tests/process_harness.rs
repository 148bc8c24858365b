//! The harnesses' process handling: a guard ends its whole process group, and a
//! later run ends what an interrupted run left behind, but never what a live
//! run owns.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use tenant_diesel_tests::process::{self, ProcessGuard, ProcessId, RunDir};

/// A shell that names `dir` in its command line (as a browser's profile or a
/// server's data directory does) and starts a `sleep` that is not a group
/// leader; the sleep's pid goes to `<dir>/child`.
fn sleeper(dir: &Path) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "sleep 600 & echo $! > '{}/child'; wait",
            dir.display()
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn child_of(dir: &Path) -> ProcessId {
    let pid = process::wait_until(Duration::from_secs(20), || {
        std::fs::read_to_string(dir.join("child"))
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .ok_or_else(|| "no child pid yet".to_owned())
    })
    .expect("the shell starts its child");
    ProcessId::of(pid).expect("the child runs")
}

fn wait_gone(process: ProcessId, what: &str) {
    process::wait_until(Duration::from_secs(20), || {
        if process.is_alive() {
            Err(format!("{what} ({}) still runs", process.pid))
        } else {
            Ok(())
        }
    })
    .unwrap();
}

#[test]
fn a_dropped_guard_ends_its_whole_process_group() {
    let run = RunDir::create("tenant-diesel-guard-test-").unwrap();
    let guard = ProcessGuard::spawn(sleeper(run.path()), &run, "sleeper").unwrap();
    let leader = ProcessId::of(guard.id()).unwrap();
    let child = child_of(run.path());
    drop(guard);
    wait_gone(leader, "the group leader");
    wait_gone(child, "the leader's child");
    let path = run.path().to_owned();
    drop(run);
    assert!(!path.exists(), "the run directory is removed");
}

#[test]
fn a_guard_ends_its_group_while_a_failing_test_unwinds() {
    let run = RunDir::create("tenant-diesel-guard-test-").unwrap();
    let dir = run.path().to_owned();
    let started = std::sync::Mutex::new(None);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let guard = ProcessGuard::spawn(sleeper(&dir), &run, "sleeper").unwrap();
        *started.lock().unwrap() = Some((ProcessId::of(guard.id()).unwrap(), child_of(&dir)));
        panic!("the test fails with its processes running");
    }));
    assert!(result.is_err());
    let (leader, child) = started.lock().unwrap().take().unwrap();
    wait_gone(leader, "the group leader");
    wait_gone(child, "the leader's child");
}

/// An interrupted run: its owner is gone, its processes still run (here a
/// shell in a group of its own and its child, outside any guard). The next
/// run's sweep ends them and removes the directory; a live run's directory is
/// left alone.
#[test]
fn the_next_run_ends_the_leftovers_of_an_interrupted_one() {
    use std::os::unix::process::CommandExt;
    let prefix = "tenant-diesel-sweep-test-";
    // A live run with the same prefix, whose process must survive the sweep.
    let live = RunDir::create(prefix).unwrap();
    let live_guard = ProcessGuard::spawn(sleeper(live.path()), &live, "sleeper").unwrap();
    let live_child = child_of(live.path());

    // The interrupted run: made like any other, its processes recorded, then
    // its owner replaced by a process that has ended.
    let interrupted = RunDir::create(prefix).unwrap();
    let shell = sleeper(interrupted.path())
        .process_group(0)
        .spawn()
        .unwrap();
    interrupted.record("sleeper", shell.id()).unwrap();
    let shell_process = ProcessId::of(shell.id()).unwrap();
    let child = child_of(interrupted.path());
    let mut gone = Command::new("true").spawn().unwrap();
    let dead_owner = gone.id();
    gone.wait().unwrap();
    let leftover = interrupted.keep();
    std::fs::write(leftover.join("owner.pid"), format!("{dead_owner} 1\n")).unwrap();

    process::sweep_leftovers(prefix);

    wait_gone(shell_process, "the leftover shell");
    wait_gone(child, "the leftover shell's child");
    assert!(!leftover.exists(), "the leftover directory is removed");
    assert!(live_child.is_alive(), "a live run's process is left alone");
    assert!(live.path().exists(), "a live run's directory is left alone");
    drop(live_guard);
    wait_gone(live_child, "the live run's child, once its guard drops");
    drop(shell);
}
