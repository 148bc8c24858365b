//! Why the report could not be made (exit code 3).

use std::path::PathBuf;

/// A usage, I/O or parse error.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The command line could not be understood.
    #[error("usage: {0}")]
    Usage(String),
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A Rust file is not valid Rust.
    #[error("{path}:{line}: cannot parse: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The line of the error.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A baseline file is not a JSON list of ids.
    #[error("{path}: not a baseline (a JSON list of ids): {source}")]
    Baseline {
        /// The baseline file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
}
