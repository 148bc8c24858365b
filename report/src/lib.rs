//! The escape-hatch report of a crate built on tenant-diesel.
//!
//! The types make tenant isolation a compile-time guarantee, except where code
//! steps out of them on purpose: an `AdminCtx` opened with a reason, a global
//! table, raw SQL allowed past the workspace `clippy.toml`, a membership check
//! that lets everyone in, a hand-written impl of one of the library's sealed
//! traits, the setting the database wall reads, a `table!` table that is
//! neither scoped nor global (or a second name for a tenant table), a tenant
//! table without row-level security. This crate parses every `.rs` file
//! of a crate's `src/`, `tests/` and `examples/` with `syn` (macro bodies
//! included) and lists those hatches, each with a stable id, so that a pull
//! request adding one is seen.
//!
//! ```text
//! cargo run -p tenant-diesel-report -- path/to/crate [--format markdown|json]
//!     [--baseline FILE] [--write-baseline FILE]
//! cargo tenant-report path/to/crate ..   # once installed: cargo install --path report
//! ```
//!
//! # Exit codes
//!
//! - `0`: clean (no error findings; with `--baseline`, every finding reviewed).
//! - `1`: error findings, e.g. an `AdminCtx::new` reason that is not a string
//!   literal (or a string constant of the crate), a hand-written seal, an
//!   unclassified tenant table. Takes precedence over `2`.
//! - `2`: with `--baseline`, findings whose ids are not in the baseline.
//! - `3`: usage, I/O or parse error.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bans;
pub mod baseline;
pub mod cli;
pub mod crate_path;
pub mod error;
pub mod finding;
pub mod library;
pub mod names;
pub mod output;
pub mod scan;
pub mod schema;
pub mod tokens;
pub mod trust;
pub mod walk;

use std::io::Write;
use std::path::Path;

pub use error::ReportError;
pub use finding::{Finding, Kind, Severity};

/// Exit code: clean.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: error findings.
pub const EXIT_ERRORS: i32 = 1;
/// Exit code: new hatches compared with the baseline.
pub const EXIT_NEW_HATCHES: i32 = 2;
/// Exit code: usage, I/O or parse error.
pub const EXIT_FAILURE: i32 = 3;

/// Every escape hatch of the crate at `root`, sorted by file and line, with ids.
pub fn scan_crate(root: &Path) -> Result<Vec<Finding>, ReportError> {
    let mut parsed = Vec::new();
    let mut constants = names::Constants::default();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).ok();
    let crates = library::crate_names(manifest.as_deref());
    for path in walk::rust_files(root)? {
        let text = std::fs::read_to_string(&path).map_err(|source| ReportError::Io {
            path: path.clone(),
            source,
        })?;
        let file = syn::parse_file(&text).map_err(|error| ReportError::Parse {
            path: path.clone(),
            line: error.span().start().line,
            message: error.to_string(),
        })?;
        let relative = walk::relative(root, &path);
        constants.add_file(&relative, &file);
        parsed.push((relative, file));
    }
    let context = scan::CrateContext {
        aliases: names::Aliases::crate_wide(&parsed, &crates),
        constants,
        bans: bans::load(root)?,
    };
    let mut findings: Vec<Finding> = parsed
        .iter()
        .flat_map(|(path, file)| scan::scan_file(path, file, &context))
        .collect();
    findings.extend(schema::scan(root, &parsed)?);
    finding::assign_ids(&mut findings);
    Ok(findings)
}

/// Runs the command with `args` (without the program name); returns the exit code.
pub fn run(args: &[String], out: &mut impl Write, err: &mut impl Write) -> i32 {
    match try_run(args, out) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(err, "tenant-diesel-report: {error}");
            if matches!(error, ReportError::Usage(_)) {
                let _ = write!(err, "\n{}", cli::HELP);
            }
            EXIT_FAILURE
        }
    }
}

fn try_run(args: &[String], out: &mut impl Write) -> Result<i32, ReportError> {
    let Some(options) = cli::parse(args)? else {
        write_out(out, cli::HELP)?;
        return Ok(EXIT_CLEAN);
    };
    if !options.root.is_dir() {
        return Err(ReportError::Usage(format!(
            "`{}` is not a directory",
            options.root.display()
        )));
    }
    let findings = scan_crate(&options.root)?;
    let crate_name = options.root.display().to_string();
    if let Some(path) = &options.write_baseline {
        baseline::write(path, &findings)?;
    }
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    let mut new_hatches = false;
    if let Some(path) = &options.baseline {
        let reviewed = baseline::read(path)?;
        let new = baseline::new_findings(&findings, &reviewed);
        new_hatches = !new.is_empty();
        let mut text = String::new();
        for finding in &new {
            text.push_str(&output::new_hatch(finding));
            text.push('\n');
        }
        for id in baseline::gone(&findings, &reviewed) {
            text.push_str(&format!(
                "hatch no longer found (update the baseline): {id}\n"
            ));
        }
        if new.is_empty() {
            text.push_str(&format!(
                "no new hatches: {} finding(s), all in the baseline\n",
                findings.len()
            ));
        }
        write_out(out, &text)?;
    } else {
        let text = match options.format {
            cli::Format::Markdown => output::markdown(&crate_name, &findings),
            cli::Format::Json => output::json(&crate_name, &findings),
        };
        write_out(out, &text)?;
    }
    Ok(if errors {
        EXIT_ERRORS
    } else if new_hatches {
        EXIT_NEW_HATCHES
    } else {
        EXIT_CLEAN
    })
}

fn write_out(out: &mut impl Write, text: &str) -> Result<(), ReportError> {
    out.write_all(text.as_bytes())
        .map_err(|source| ReportError::Io {
            path: "<stdout>".into(),
            source,
        })
}
