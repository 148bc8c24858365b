//! The baseline: a JSON list of the stable ids of reviewed hatches.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::ReportError;
use crate::finding::Finding;

/// Reads a baseline file.
pub fn read(path: &Path) -> Result<BTreeSet<String>, ReportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReportError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| ReportError::Baseline {
        path: path.to_owned(),
        source,
    })
}

/// Writes the ids of `findings` as a baseline file (sorted, one per line).
pub fn write(path: &Path, findings: &[Finding]) -> Result<(), ReportError> {
    let ids: BTreeSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    let mut text = serde_json::to_string_pretty(&ids).unwrap_or_default();
    text.push('\n');
    std::fs::write(path, text).map_err(|source| ReportError::Io {
        path: path.to_owned(),
        source,
    })
}

/// The findings whose ids are not in `baseline`.
pub fn new_findings<'f>(findings: &'f [Finding], baseline: &BTreeSet<String>) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| !baseline.contains(&f.id))
        .collect()
}

/// The ids of `baseline` that no finding has any more (fixed or changed hatches).
pub fn gone<'b>(findings: &[Finding], baseline: &'b BTreeSet<String>) -> Vec<&'b str> {
    let found: BTreeSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    baseline
        .iter()
        .map(String::as_str)
        .filter(|id| !found.contains(id))
        .collect()
}
