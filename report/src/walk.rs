//! Which files the report reads: the `.rs` files under `src/`, `tests/` and `examples/`.

use std::path::{Path, PathBuf};

use crate::error::ReportError;

/// The directories of a crate that are scanned, when present.
pub const SCANNED_DIRS: [&str; 3] = ["src", "tests", "examples"];

/// Every `.rs` file under the scanned directories of `root`, sorted.
pub fn rust_files(root: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let mut files = Vec::new();
    for dir in SCANNED_DIRS {
        let dir = root.join(dir);
        if dir.is_dir() {
            collect(&dir, &mut files)?;
        }
    }
    files.sort();
    Ok(files)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ReportError> {
    every_file(dir, &mut |path| {
        if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path.to_owned());
        }
        Ok(())
    })
}

/// Calls `visit` with every file under `dir`, depth first. Symbolic links are
/// not followed: no cycles, no files outside the crate.
pub fn every_file(
    dir: &Path,
    visit: &mut dyn FnMut(&Path) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let io = |source| ReportError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let kind = entry.file_type().map_err(io)?;
        if kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            every_file(&entry.path(), visit)?;
        } else {
            visit(&entry.path())?;
        }
    }
    Ok(())
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
