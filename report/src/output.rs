//! The report as Markdown (for a pull-request comment) or JSON.

use crate::finding::{Finding, Kind, Severity};

/// The Markdown report: a summary, then one table per kind.
pub fn markdown(crate_name: &str, findings: &[Finding]) -> String {
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    let mut out = format!(
        "## Escape hatches in `{crate_name}`\n\n{} findings: {} error(s), {} warning(s), {} info.\n",
        findings.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    for kind in Kind::ALL {
        let of_kind: Vec<&Finding> = findings.iter().filter(|f| f.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n### {} ({})\n\n| Severity | Where | Function | Detail |\n|---|---|---|---|\n",
            kind.title(),
            of_kind.len()
        ));
        for finding in of_kind {
            out.push_str(&format!(
                "| {} | `{}:{}` | {} | {} |\n",
                finding.severity.name(),
                finding.file,
                finding.line,
                finding
                    .function
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |f| format!("`{f}`")),
                cell(&finding.detail),
            ));
        }
    }
    out
}

/// The JSON report: `{"crate": .., "findings": [..]}`.
pub fn json(crate_name: &str, findings: &[Finding]) -> String {
    let report = serde_json::json!({ "crate": crate_name, "findings": findings });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// One line of the baseline check's output for a finding the baseline lacks.
pub fn new_hatch(finding: &Finding) -> String {
    format!(
        "new or changed hatch: {} at {}:{} ({}): {}",
        finding.id,
        finding.file,
        finding.line,
        finding.severity.name(),
        finding.detail
    )
}

/// A Markdown table cell: pipes escaped, newlines flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
