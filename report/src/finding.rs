//! What the report finds: one escape hatch, its kind, severity and stable id.

use serde::{Deserialize, Serialize};

/// The kind of escape hatch a finding reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An `AdminCtx::new(reason, actor, audit)` (or `AdminCtx::new_async`)
    /// call: cross-tenant access.
    AdminCtx,
    /// A `global_table!`, `global_joinable!` or `tenant_joinable!` declaration.
    TableDeclaration,
    /// An `#[allow(clippy::disallowed_*)]` attribute.
    AllowDisallowed,
    /// A call to a method or macro the workspace `clippy.toml` disallows.
    DisallowedCall,
    /// An implementation of a trait the library trusts for who is who and what
    /// is written: membership, directory, resolver, session, actor, audit sink.
    TrustImpl,
    /// A hand-written impl of one of the library's own traits: the seal, a
    /// sealed trait, one only its macros implement, or an extension point.
    LibraryImpl,
    /// A `with_setting` call: the database setting the row-level security
    /// policies read, chosen by the application.
    WallSetting,
    /// A `ResolvedTenant::new` call or a use of the `doc_support` helpers.
    TestSupport,
    /// A `table!` table that is neither scoped nor global, a global table with a
    /// tenant column, or a tenant table without row-level security.
    Schema,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 9] = [
        Kind::AdminCtx,
        Kind::TableDeclaration,
        Kind::AllowDisallowed,
        Kind::DisallowedCall,
        Kind::TrustImpl,
        Kind::LibraryImpl,
        Kind::WallSetting,
        Kind::TestSupport,
        Kind::Schema,
    ];

    /// The kind's short name, as used in stable ids and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Kind::AdminCtx => "admin-ctx",
            Kind::TableDeclaration => "table-declaration",
            Kind::AllowDisallowed => "allow-disallowed",
            Kind::DisallowedCall => "disallowed-call",
            Kind::TrustImpl => "trust-impl",
            Kind::LibraryImpl => "library-impl",
            Kind::WallSetting => "wall-setting",
            Kind::TestSupport => "test-support",
            Kind::Schema => "schema",
        }
    }

    /// The heading the Markdown report gives this kind.
    pub fn title(self) -> &'static str {
        match self {
            Kind::AdminCtx => "Admin contexts (`AdminCtx::new`, `AdminCtx::new_async`)",
            Kind::TableDeclaration => "Global tables and joins",
            Kind::AllowDisallowed => "Allowed clippy bans",
            Kind::DisallowedCall => "Disallowed calls (raw SQL, boxing, SQL text)",
            Kind::TrustImpl => "Membership, directory, resolver, actor and audit impls",
            Kind::LibraryImpl => "Hand-written impls of the library's traits",
            Kind::WallSetting => "Database wall settings (`with_setting`)",
            Kind::TestSupport => "Test-only helpers",
            Kind::Schema => "Schema coverage (tables and row-level security)",
        }
    }
}

/// How much a finding needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A hatch to know about and review once.
    Info,
    /// A hatch that is often a mistake.
    Warning,
    /// A hatch the report refuses (exit code 1), e.g. a non-literal admin reason.
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One escape hatch found in the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// An id that survives line shifts: kind, file, enclosing fn, a hash of the
    /// normalized detail and an occurrence index among identical keys.
    pub id: String,
    /// What was found.
    pub kind: Kind,
    /// How much it needs attention.
    pub severity: Severity,
    /// The file, relative to the crate root, with `/` separators.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The enclosing function (`Type::method` inside impls), if any.
    pub function: Option<String>,
    /// What the hatch is, as text (e.g. the admin reason and actor).
    pub detail: String,
}

impl Finding {
    /// A finding whose id is not assigned yet (see [`assign_ids`]).
    pub fn new(
        kind: Kind,
        severity: Severity,
        file: &str,
        line: usize,
        function: Option<String>,
        detail: String,
    ) -> Self {
        Finding {
            id: String::new(),
            kind,
            severity,
            file: file.to_owned(),
            line,
            function,
            detail,
        }
    }

    /// The id before the occurrence index: nothing here depends on line numbers.
    fn key(&self) -> String {
        let normalized: Vec<&str> = self.detail.split_whitespace().collect();
        format!(
            "{}:{}:{}:{:016x}",
            self.kind.key(),
            self.file,
            self.function.as_deref().unwrap_or("-"),
            fnv1a(normalized.join(" ").as_bytes())
        )
    }
}

/// Sorts the findings (file, line, kind) and gives each its stable id.
pub fn assign_ids(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.kind, &a.detail).cmp(&(&b.file, b.line, b.kind, &b.detail))
    });
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for finding in findings.iter_mut() {
        let key = finding.key();
        let index = seen.entry(key.clone()).or_insert(0);
        finding.id = format!("{key}#{index}");
        *index += 1;
    }
}

/// FNV-1a, 64 bits: a hash that never changes between Rust releases.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
