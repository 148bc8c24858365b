//! The command line, parsed by hand.

use std::path::PathBuf;

use crate::error::ReportError;

/// The `--help` text.
pub const HELP: &str = "\
tenant-diesel-report: list the escape hatches of a crate built on tenant-diesel

USAGE:
    tenant-diesel-report [OPTIONS] [CRATE_DIR]
    cargo tenant-report [OPTIONS] [CRATE_DIR]   (once installed: cargo install --path report)

CRATE_DIR defaults to `.`; its src/, tests/ and examples/ are scanned.

OPTIONS:
    --format markdown|json   output format (default: markdown)
    --baseline FILE          compare with the reviewed ids in FILE (a JSON list);
                             print each new or changed hatch
    --write-baseline FILE    write the ids of every finding to FILE
    -h, --help               print this help

EXIT CODES:
    0  clean
    1  error findings (e.g. an AdminCtx reason that is not a string literal)
    2  new or changed hatches compared with the baseline (and no errors)
    3  usage, I/O or parse error
";

/// The name cargo passes first to `cargo-tenant-report` when run as
/// `cargo tenant-report`.
pub const SUBCOMMAND: &str = "tenant-report";

/// `args` without the subcommand name cargo puts first (`cargo tenant-report
/// ..` runs `cargo-tenant-report tenant-report ..`); unchanged when run directly.
pub fn without_subcommand_name(args: &[String]) -> &[String] {
    match args.split_first() {
        Some((first, rest)) if first == SUBCOMMAND => rest,
        _ => args,
    }
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Grouped by kind, for a pull-request comment.
    Markdown,
    /// Every finding, with its stable id.
    Json,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The crate's root directory.
    pub root: PathBuf,
    /// The output format.
    pub format: Format,
    /// The baseline to compare with.
    pub baseline: Option<PathBuf>,
    /// Where to write a baseline.
    pub write_baseline: Option<PathBuf>,
}

/// Parses the arguments (without the program name); `None` asks for the help.
pub fn parse(args: &[String]) -> Result<Option<Options>, ReportError> {
    let mut root = None;
    let mut format = Format::Markdown;
    let mut baseline = None;
    let mut write_baseline = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| ReportError::Usage(format!("{flag} needs a value")))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--format" => {
                format = match value("--format")?.as_str() {
                    "markdown" => Format::Markdown,
                    "json" => Format::Json,
                    other => {
                        return Err(ReportError::Usage(format!(
                            "unknown format `{other}` (markdown or json)"
                        )))
                    }
                }
            }
            "--baseline" => baseline = Some(PathBuf::from(value("--baseline")?)),
            "--write-baseline" => write_baseline = Some(PathBuf::from(value("--write-baseline")?)),
            flag if flag.starts_with('-') => {
                return Err(ReportError::Usage(format!("unknown option `{flag}`")))
            }
            path if root.is_none() => root = Some(PathBuf::from(path)),
            extra => return Err(ReportError::Usage(format!("unexpected argument `{extra}`"))),
        }
    }
    Ok(Some(Options {
        root: root.unwrap_or_else(|| PathBuf::from(".")),
        format,
        baseline,
        write_baseline,
    }))
}
