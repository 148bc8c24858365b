//! What every test harness that starts a process shares: a run directory that
//! says who owns it, a guard that ends a process group when dropped, and a sweep
//! that ends what an earlier, interrupted run left behind.
//!
//! A run directory is `<tmp>/<prefix><random>/` holding `owner.pid`: the test
//! process's pid and its start time (so a reused pid is never taken for the
//! owner). Each process a harness starts is recorded there as `<name>.pid`, in the
//! same form. A directory whose owner is gone is a leftover: the next run of a
//! harness with the same prefix ends the processes it records, every process whose
//! command line names the directory (a browser's profile, a server's data
//! directory), and removes it. A live owner's directory is never touched, so test
//! binaries running side by side leave each other alone.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A process as `pid start-time`: the start time (clock ticks since boot, from
/// `/proc/<pid>/stat`) tells a live process from a later one that reused its pid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessId {
    /// The pid.
    pub pid: u32,
    start: u64,
}

impl ProcessId {
    /// The process `pid`, if it is running.
    pub fn of(pid: u32) -> Option<Self> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command name may hold spaces and parentheses: the fields after it
        // start after the last `)`. The start time is field 22, the 20th after it.
        let after = &stat[stat.rfind(')')? + 2..];
        let start = after.split(' ').nth(19)?.parse().ok()?;
        Some(Self { pid, start })
    }

    /// This test process.
    pub fn current() -> Self {
        Self::of(std::process::id()).expect("this process is in /proc")
    }

    /// Whether this very process (not a later one with its pid) still runs: a
    /// zombie, killed but not yet reaped by its parent, runs no more.
    pub fn is_alive(&self) -> bool {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)) else {
            return false;
        };
        let zombie = stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z'));
        !zombie && Self::of(self.pid).is_some_and(|now| now.start == self.start)
    }

    fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(path).ok()?;
        let (pid, start) = text.trim().split_once(' ')?;
        Some(Self {
            pid: pid.parse().ok()?,
            start: start.parse().ok()?,
        })
    }

    fn write(&self, path: &Path) -> io::Result<()> {
        std::fs::write(path, format!("{} {}\n", self.pid, self.start))
    }
}

/// A harness's temporary directory, owned by this test process: removed when
/// dropped, unless [kept](RunDir::keep) for a server that lives as long as the
/// process.
#[derive(Debug)]
pub struct RunDir {
    path: PathBuf,
    remove_on_drop: bool,
}

impl RunDir {
    /// Ends the leftovers of earlier runs with `prefix`, then makes a new
    /// directory owned by this process.
    pub fn create(prefix: &str) -> io::Result<Self> {
        sweep_leftovers(prefix);
        let path = tempfile::Builder::new().prefix(prefix).tempdir()?.keep();
        let run = Self {
            path,
            remove_on_drop: true,
        };
        ProcessId::current().write(&run.path.join("owner.pid"))?;
        Ok(run)
    }

    /// Keeps the directory past this value: its server's watchdog removes it
    /// when the test process ends (or a later run's sweep does).
    pub fn keep(mut self) -> PathBuf {
        self.remove_on_drop = false;
        self.path.clone()
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records the process `pid` under `name`, for the sweep of a later run.
    pub fn record(&self, name: &str, pid: u32) -> io::Result<()> {
        match ProcessId::of(pid) {
            Some(process) => process.write(&self.path.join(format!("{name}.pid"))),
            None => Err(io::Error::other(format!("{name} ({pid}) is not running"))),
        }
    }
}

impl Drop for RunDir {
    fn drop(&mut self) {
        if self.remove_on_drop {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Ends what earlier runs with `prefix` left behind, when their owner is gone.
pub fn sweep_leftovers(prefix: &str) {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(prefix) {
            continue;
        }
        let dir = entry.path();
        match ProcessId::read(&dir.join("owner.pid")) {
            Some(owner) if owner.is_alive() => continue,
            // Not ours (no owner file): another tool's directory, or one being
            // made this instant. Leave it.
            None => continue,
            Some(_) => end_leftover(&dir),
        }
    }
}

fn end_leftover(dir: &Path) {
    // Postgres first, the gentle way: an immediate stop also ends its backends.
    if let Ok(stop) = std::fs::read_to_string(dir.join("stop.sh")) {
        let _ = Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let is_pid_file = path.extension().is_some_and(|e| e == "pid")
                && path.file_name().is_some_and(|n| n != "owner.pid");
            if let Some(process) = is_pid_file.then(|| ProcessId::read(&path)).flatten() {
                if process.is_alive() {
                    // A group leader takes its group along; a server started
                    // by a shell is not one, and is killed by itself.
                    kill_group(process.pid);
                    kill_pid(process.pid);
                }
            }
        }
    }
    kill_naming(dir);
    let _ = std::fs::remove_dir_all(dir);
}

/// SIGKILLs the process group `pgid` (a process started as a group leader, with
/// every child that stayed in its group).
pub fn kill_group(pgid: u32) {
    sigkill(&format!("-{pgid}"));
}

fn kill_pid(pid: u32) {
    sigkill(&pid.to_string());
}

/// `kill -KILL -- <target>`; a process that is already gone is no error here.
fn sigkill(target: &str) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", target])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// SIGKILLs every process whose command line names `dir`, but this one: what
/// left its process group (a browser's helpers, a daemonised server).
pub fn kill_naming(dir: &Path) {
    let needle = dir.to_string_lossy().into_owned();
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if String::from_utf8_lossy(&cmdline).contains(&needle) {
            kill_pid(pid);
        }
    }
}

/// A process started in a group of its own, with everything it starts: the group
/// is killed, and any process naming the run directory too, when the guard is
/// dropped: at the end of the test, and while a failing test unwinds.
#[derive(Debug)]
pub struct ProcessGuard {
    child: Child,
    dir: PathBuf,
    pid_file: PathBuf,
}

impl ProcessGuard {
    /// Starts `command` as the leader of a new process group, recorded in `dir`
    /// as `name`, with a watchdog that ends the group if this test process dies
    /// without unwinding (killed, or aborted).
    pub fn spawn(mut command: Command, dir: &RunDir, name: &str) -> io::Result<Self> {
        use std::os::unix::process::CommandExt;
        let child = command.process_group(0).spawn()?;
        let guard = Self {
            child,
            dir: dir.path().to_owned(),
            pid_file: dir.path().join(format!("{name}.pid")),
        };
        dir.record(name, guard.child.id())?;
        // The pid file is removed once the guard has ended the group, so the
        // watchdog never signals a group id that a later process reused.
        // `-9 -<pgid>`: the form every `sh` builtin `kill` takes.
        spawn_watchdog(&format!(
            "[ -e '{}' ] && kill -9 -{} 2>/dev/null",
            guard.pid_file.display(),
            guard.child.id()
        ))?;
        Ok(guard)
    }

    /// The leader's pid.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the leader is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for ProcessGuard {
    fn drop(&mut self) {
        kill_group(self.child.id());
        let _ = self.child.wait();
        kill_naming(&self.dir);
        let _ = std::fs::remove_file(&self.pid_file);
    }
}

/// Runs `cleanup` with `sh` once this test process has ended, however it ends
/// (see [`spawn_session_shell`]).
pub fn spawn_watchdog(cleanup: &str) -> io::Result<()> {
    spawn_session_shell(&after_this_process(cleanup))
}

/// A shell snippet that waits for this test process to end, then runs `cleanup`.
/// The owner is checked by pid and start time, like the sweep does, so a reused
/// pid does not keep a server alive; a zombie (killed, not yet reaped by its
/// parent) has ended.
pub fn after_this_process(cleanup: &str) -> String {
    let owner = ProcessId::current();
    format!(
        "while s=$(sed 's/.*) //' /proc/{pid}/stat 2>/dev/null | cut -d' ' -f1,20) \
           && [ \"${{s#Z }}\" = \"$s\" ] && [ \"${{s#* }}\" = '{start}' ]; \
         do sleep 0.2; done; {cleanup}",
        pid = owner.pid,
        start = owner.start,
    )
}

/// A shell command that prints the start time of the process `pid` (a number
/// or a shell expansion such as `$!`), or nothing once it is gone.
pub fn start_time_of(pid: &str) -> String {
    // The command name in parentheses may hold spaces: cut after the last `) `.
    format!("sed 's/.*) //' /proc/{pid}/stat 2>/dev/null | cut -d' ' -f20")
}

/// Runs `script` with `sh` in a session of its own, so that the Ctrl-C that
/// interrupts the tests does not reach it, detached from the test's standard
/// streams.
pub fn spawn_session_shell(script: &str) -> io::Result<()> {
    use std::os::unix::process::CommandExt;
    Command::new("sh")
        .args(["-c", script])
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
}

/// Polls `ready` every 50 ms until it answers `Ok`, for at most `limit`; the last
/// error otherwise.
pub fn wait_until<T>(
    limit: Duration,
    mut ready: impl FnMut() -> Result<T, String>,
) -> Result<T, String> {
    let deadline = Instant::now() + limit;
    loop {
        match ready() {
            Ok(value) => return Ok(value),
            Err(last) if Instant::now() >= deadline => {
                return Err(format!("not ready after {limit:?}: {last}"))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Whether the tests run as root: database servers refuse to, unless told
/// which system user to become.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// Runs `command` to its end with no input; its output in the error when it
/// fails.
pub fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
