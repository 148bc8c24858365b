//! The compile-time bill of the derives: writes a throwaway workspace with N
//! tenant-scoped tables and models (with joinable pairs), once with our derives and
//! once with Diesel's alone, and times a warm-dependency `cargo check` of each.
//!
//! `cargo run --release -p tenant-diesel-benches --bin compile_time -- [N ...]`
//! (default 10 50 100). The generated workspace lives in `target/compile-time/`.
//!
//! Both the wall time and the CPU time (user + system, of cargo and the rustc it
//! runs, read with `/usr/bin/time`) are reported: on a shared machine the CPU time
//! moves much less with the neighbours' load than the wall time does.
//!
//! Incremental compilation is off (`CARGO_INCREMENTAL=0`), so every check of a
//! crate does the whole crate's work instead of an unpredictable share of it
//! reused from the previous check. The two variants are checked in alternation,
//! round after round, and the ratio reported is the median of the rounds' ratios:
//! a slow spell of the machine then falls on both sides of a ratio.
//!
//! `--instructions` adds the instructions rustc executes to check each crate,
//! counted under valgrind (cachegrind, no cache simulation): a figure that the
//! machine's load cannot move, measured once per crate. For that the program runs
//! itself as cargo's `RUSTC_WRAPPER`, putting only the measured crate's rustc under
//! valgrind.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Rounds of each pair of measurements; medians are reported.
const ROUNDS: usize = 5;

/// Set on cargo when this program is its `RUSTC_WRAPPER`: where valgrind writes
/// its summary.
const WRAPPER_LOG: &str = "COMPILE_TIME_VALGRIND_LOG";
/// Set on cargo when this program is its `RUSTC_WRAPPER`: the crate to count.
const WRAPPER_CRATE: &str = "COMPILE_TIME_MEASURED_CRATE";

fn main() {
    if let Ok(log) = std::env::var(WRAPPER_LOG) {
        run_as_rustc_wrapper(&log);
    }
    let mut instructions = false;
    let mut sizes: Vec<usize> = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--instructions" {
            instructions = true;
        } else {
            sizes.push(arg.parse().expect("sizes are numbers, or --instructions"));
        }
    }
    let sizes = if sizes.is_empty() {
        vec![10, 50, 100]
    } else {
        sizes
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf();
    let root = repo.join("target/compile-time");
    write_workspace(&root, &repo, &sizes);

    // Dependencies once, untimed: every later check is warm.
    cargo_check(&root, None);
    println!("Medians of {ROUNDS} rounds, [lowest highest] in brackets.\n");
    println!("| N | Diesel alone: wall / CPU (s) | with tenant-diesel: wall / CPU (s) | ratio wall | ratio CPU |");
    println!("|---|---|---|---|---|");
    for &n in &sizes {
        let rounds: Vec<(Timing, Timing)> = (0..ROUNDS)
            .map(|_| {
                let diesel = touch_and_check(&root, &format!("diesel_{n}"));
                let ours = touch_and_check(&root, &format!("tenant_{n}"));
                (diesel, ours)
            })
            .collect();
        let diesel_wall = Spread::of(rounds.iter().map(|(d, _)| d.wall));
        let diesel_cpu = Spread::of(rounds.iter().map(|(d, _)| d.cpu));
        let ours_wall = Spread::of(rounds.iter().map(|(_, o)| o.wall));
        let ours_cpu = Spread::of(rounds.iter().map(|(_, o)| o.cpu));
        let ratio_wall = Spread::of(rounds.iter().map(|(d, o)| o.wall / d.wall));
        let ratio_cpu = Spread::of(rounds.iter().map(|(d, o)| o.cpu / d.cpu));
        println!(
            "| {n} | {} / {} | {} / {} | {} | {} |",
            diesel_wall.seconds(),
            diesel_cpu.seconds(),
            ours_wall.seconds(),
            ours_cpu.seconds(),
            ratio_wall.ratio(),
            ratio_cpu.ratio(),
        );
    }
    if instructions {
        println!("\nInstructions of rustc checking the crate (valgrind):\n");
        println!("| N | Diesel alone | with tenant-diesel | ratio | extra per table |");
        println!("|---|---|---|---|---|");
        let wrapper = wrapper_copy(&root);
        for &n in &sizes {
            let diesel = count_instructions(&root, &wrapper, &format!("diesel_{n}"));
            let ours = count_instructions(&root, &wrapper, &format!("tenant_{n}"));
            println!(
                "| {n} | {:.3} G | {:.3} G | {:.3} | {:.1} M |",
                diesel as f64 / 1e9,
                ours as f64 / 1e9,
                ours as f64 / diesel as f64,
                (ours - diesel) as f64 / n as f64 / 1e6,
            );
        }
    }
}

/// The instructions rustc executes to check `package`, under valgrind.
fn count_instructions(root: &Path, wrapper: &Path, package: &str) -> i64 {
    let log = root.join(format!("{package}.valgrind.log"));
    // A summary left by an earlier run must not pass for this one's.
    if log.exists() {
        std::fs::remove_file(&log).expect("remove the previous valgrind summary");
    }
    touch(root, package);
    let status = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "-p", package])
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTC_WRAPPER", wrapper)
        .env(WRAPPER_LOG, &log)
        .env(WRAPPER_CRATE, package)
        .current_dir(root)
        .status()
        .expect("run cargo check");
    assert!(status.success(), "cargo check of {package} failed");
    let summary = std::fs::read_to_string(&log).expect("valgrind's summary");
    summary
        .lines()
        .find_map(|line| {
            let (_, count) = line.split_once("I   refs:")?;
            count.trim().replace(',', "").parse().ok()
        })
        .unwrap_or_else(|| panic!("no instruction count in {}", log.display()))
}

/// A copy of this program for cargo to run as its `RUSTC_WRAPPER`: a copy, because
/// a `cargo bench` meanwhile rebuilds (and so deletes) the program itself.
fn wrapper_copy(root: &Path) -> PathBuf {
    let copy = root.join("rustc-wrapper");
    std::fs::copy(std::env::current_exe().expect("this program"), &copy)
        .expect("copy this program as the rustc wrapper");
    copy
}

/// Cargo runs `wrapper rustc args..`: the measured crate's rustc runs under
/// valgrind, every other one (and `rustc -vV`) as it is.
fn run_as_rustc_wrapper(log: &str) -> ! {
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next().expect("cargo passes rustc first");
    let args: Vec<OsString> = args.collect();
    let measured = std::env::var(WRAPPER_CRATE).unwrap_or_default();
    let is_measured = args
        .windows(2)
        .any(|pair| pair[0] == "--crate-name" && pair[1] == measured.as_str());
    let mut command = if is_measured {
        let mut valgrind = Command::new("valgrind");
        valgrind
            .args([
                "--tool=cachegrind",
                "--cache-sim=no",
                "--cachegrind-out-file=/dev/null",
            ])
            .arg(format!("--log-file={log}"))
            .arg(&rustc);
        valgrind
    } else {
        Command::new(&rustc)
    };
    let status = command
        .args(&args)
        .status()
        .expect("run rustc (and valgrind, for the measured crate: is it installed?)");
    std::process::exit(status.code().unwrap_or(1));
}

/// One measurement, in seconds.
#[derive(Clone, Copy)]
struct Timing {
    wall: f64,
    cpu: f64,
}

/// The median and the extremes of a set of figures.
struct Spread {
    low: f64,
    median: f64,
    high: f64,
}

impl Spread {
    fn of(values: impl Iterator<Item = f64>) -> Spread {
        let mut values: Vec<f64> = values.collect();
        values.sort_by(f64::total_cmp);
        Spread {
            low: values[0],
            median: values[values.len() / 2],
            high: values[values.len() - 1],
        }
    }

    fn seconds(&self) -> String {
        format!("{:.2} [{:.2} {:.2}]", self.median, self.low, self.high)
    }

    fn ratio(&self) -> String {
        format!("{:.3} [{:.3} {:.3}]", self.median, self.low, self.high)
    }
}

/// `cargo check -p package` after touching its source, so that cargo rebuilds it.
fn touch_and_check(root: &Path, package: &str) -> Timing {
    touch(root, package);
    cargo_check(root, Some(package))
}

/// Rewrites the package's source unchanged, so that cargo checks it again.
fn touch(root: &Path, package: &str) {
    let lib = root.join(package).join("src/lib.rs");
    let source = std::fs::read_to_string(&lib).expect("the generated source");
    std::fs::write(&lib, source).expect("touch the generated source");
}

fn cargo_check(root: &Path, package: Option<&str>) -> Timing {
    let mut command = Command::new("/usr/bin/time");
    command
        .args(["-f", "%U %S"])
        .arg(env!("CARGO"))
        .arg("check")
        .arg("--quiet")
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(root);
    match package {
        Some(package) => command.args(["-p", package]),
        None => command.arg("--workspace"),
    };
    let start = Instant::now();
    let output = command
        .output()
        .expect("run cargo check under /usr/bin/time");
    let wall = start.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "cargo check of {package:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // `time` writes its line last on standard error.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let cpu = stderr
        .lines()
        .last()
        .and_then(|line| {
            let mut fields = line.split_whitespace().map(str::parse::<f64>);
            Some(fields.next()?.ok()? + fields.next()?.ok()?)
        })
        .expect("the user and system times");
    Timing { wall, cpu }
}

fn write_workspace(root: &Path, repo: &Path, sizes: &[usize]) {
    let mut members = Vec::new();
    for &n in sizes {
        for (name, ours) in [
            (format!("diesel_{n}"), false),
            (format!("tenant_{n}"), true),
        ] {
            write_crate(&root.join(&name), repo, &name, n, ours);
            members.push(format!("\"{name}\""));
        }
    }
    std::fs::create_dir_all(root).expect("the workspace directory");
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("the workspace manifest");
    // Reuse the repository's lock file, so the versions are the ones measured elsewhere.
    std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).expect("the lock file");
}

fn write_crate(dir: &Path, repo: &Path, name: &str, n: usize, ours: bool) {
    std::fs::create_dir_all(dir.join("src")).expect("the crate directory");
    let tenant_diesel: PathBuf = repo.join("tenant-diesel");
    let dependency = if ours {
        format!(
            "tenant-diesel = {{ path = {:?} }}\n",
            tenant_diesel.display().to_string()
        )
    } else {
        String::new()
    };
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\ndiesel = {{ version = \"2.3.14\", default-features = false, features = [\"sqlite\", \"32-column-tables\"] }}\n\
             libsqlite3-sys = {{ version = \">=0.30, <0.39\", features = [\"bundled\"] }}\n{dependency}"
        ),
    )
    .expect("the crate manifest");
    std::fs::write(dir.join("src/lib.rs"), source(n, ours)).expect("the crate source");
}

/// N tables `t0..tN`, each a child of the one before, a model per table, and one
/// filtered read, one join and one join of three tables (the table, its parent and
/// its grandparent, nested) per table, written the way each variant writes them.
fn source(n: usize, ours: bool) -> String {
    let mut s = String::from("#![allow(dead_code)]\n");
    s += if ours {
        "use tenant_diesel::prelude::*;\n\n"
    } else {
        "use diesel::prelude::*;\n\n"
    };
    for i in 0..n {
        writeln!(
            s,
            "diesel::table! {{ t{i} (id) {{ id -> BigInt, tenant_id -> BigInt, parent_id -> BigInt, name -> Text, }} }}"
        )
        .unwrap();
    }
    let tables: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
    writeln!(
        s,
        "diesel::allow_tables_to_appear_in_same_query!({});",
        tables.join(", ")
    )
    .unwrap();
    for i in 1..n {
        let p = i - 1;
        writeln!(s, "diesel::joinable!(t{i} -> t{p} (parent_id));").unwrap();
        if ours {
            writeln!(s, "tenant_joinable!(t{i} -> t{p} (parent_id));").unwrap();
        }
    }
    for i in 0..n {
        let derive = if ours { ", TenantScoped" } else { "" };
        writeln!(
            s,
            "\n#[derive(Queryable, Selectable{derive})]\n#[diesel(table_name = t{i})]\n\
             pub struct M{i} {{ pub id: i64, pub tenant_id: i64, pub parent_id: i64, pub name: String }}"
        )
        .unwrap();
        if ours {
            writeln!(
                s,
                "pub fn read{i}(ctx: &TenantCtx, conn: &mut TenantConn<&mut SqliteConnection>) -> QueryResult<Vec<M{i}>> {{\n    \
                 M{i}::scoped(ctx).filter(t{i}::name.eq(\"x\")).order(t{i}::id).load(conn)\n}}"
            )
            .unwrap();
        } else {
            writeln!(
                s,
                "pub fn read{i}(tenant: i64, conn: &mut SqliteConnection) -> QueryResult<Vec<M{i}>> {{\n    \
                 t{i}::table.filter(t{i}::tenant_id.eq(tenant)).filter(t{i}::name.eq(\"x\")).order(t{i}::id).load(conn)\n}}"
            )
            .unwrap();
        }
        if i > 0 {
            let p = i - 1;
            if ours {
                writeln!(
                    s,
                    "pub fn join{i}(ctx: &TenantCtx, conn: &mut TenantConn<&mut SqliteConnection>) -> QueryResult<Vec<(i64, String)>> {{\n    \
                     M{i}::scoped(ctx).inner_join(t{p}::table).select((t{i}::id, t{p}::name)).load(conn)\n}}"
                )
                .unwrap();
            } else {
                writeln!(
                    s,
                    "pub fn join{i}(tenant: i64, conn: &mut SqliteConnection) -> QueryResult<Vec<(i64, String)>> {{\n    \
                     t{i}::table.inner_join(t{p}::table.on(t{i}::parent_id.eq(t{p}::id).and(t{i}::tenant_id.eq(t{p}::tenant_id))))\n        \
                     .filter(t{i}::tenant_id.eq(tenant)).filter(t{p}::tenant_id.eq(tenant))\n        \
                     .select((t{i}::id, t{p}::name)).load(conn)\n}}"
                )
                .unwrap();
            }
        }
        if i > 1 {
            let (p, pp) = (i - 1, i - 2);
            if ours {
                writeln!(
                    s,
                    "pub fn join3_{i}(ctx: &TenantCtx, conn: &mut TenantConn<&mut SqliteConnection>) -> QueryResult<Vec<(i64, String)>> {{\n    \
                     M{i}::scoped(ctx).inner_join(t{p}::table.inner_join(t{pp}::table)).select((t{i}::id, t{pp}::name)).load(conn)\n}}"
                )
                .unwrap();
            } else {
                writeln!(
                    s,
                    "pub fn join3_{i}(tenant: i64, conn: &mut SqliteConnection) -> QueryResult<Vec<(i64, String)>> {{\n    \
                     t{i}::table.inner_join(t{p}::table.on(t{i}::parent_id.eq(t{p}::id).and(t{i}::tenant_id.eq(t{p}::tenant_id))))\n        \
                     .inner_join(t{pp}::table.on(t{p}::parent_id.eq(t{pp}::id).and(t{p}::tenant_id.eq(t{pp}::tenant_id))))\n        \
                     .filter(t{i}::tenant_id.eq(tenant)).filter(t{p}::tenant_id.eq(tenant)).filter(t{pp}::tenant_id.eq(tenant))\n        \
                     .select((t{i}::id, t{pp}::name)).load(conn)\n}}"
                )
                .unwrap();
            }
        }
    }
    s
}
