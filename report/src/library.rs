//! The library's own traits, and what a hand-written impl of each one means.
//!
//! The derives and declaration macros implement most of the library's traits in
//! the application's crate, so Rust cannot forbid the application from writing
//! the same impls by hand. The seal (`ImplementedByTenantDieselOnly`) makes such
//! an impl fail to compile unless it is written too; the report lists every
//! impl of it, and of the traits it guards, found in the source (macro
//! expansions are not source, so a finding is always written by hand).

use crate::names::Aliases;

/// What a hand-written impl of a library trait is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraitRole {
    /// The seal itself: an impl by hand declares checked what was not.
    Seal,
    /// A sealed trait (by the seal or a private supertrait): an impl by hand
    /// either does not compile or comes with a hand-written seal.
    Sealed,
    /// An unsealed trait the library and its macros implement, never the
    /// application: an impl by hand can widen what the wall accepts.
    LibraryOnly,
    /// An extension point the application implements by design (a store, the
    /// router state, the audit sink, the actor): listed for review.
    Extension,
}

/// The seal's name.
pub const SEAL: &str = "ImplementedByTenantDieselOnly";

/// Every public trait of tenant-core and tenant-diesel that is not a trusted
/// trait (see [`crate::trust::TRUSTED_TRAITS`]), with its role. A test keeps
/// this list equal to the traits the library declares.
pub const LIBRARY_TRAITS: &[(&str, TraitRole)] = &[
    (SEAL, TraitRole::Seal),
    // Sealed: access-granting declarations.
    ("TenantTable", TraitRole::Sealed),
    ("GlobalTable", TraitRole::Sealed),
    ("WritableTable", TraitRole::Sealed),
    ("WritableColumn", TraitRole::Sealed),
    ("ColumnRole", TraitRole::Sealed),
    ("TheTenantColumnsRole", TraitRole::Sealed),
    ("TableKind", TraitRole::Sealed),
    ("TenantValues", TraitRole::Sealed),
    ("TenantSafe", TraitRole::Sealed),
    ("SharedRowsTable", TraitRole::Sealed),
    ("OwnedTable", TraitRole::Sealed),
    ("ThroughParent", TraitRole::Sealed),
    ("LockableRows", TraitRole::Sealed),
    ("TenantJoin", TraitRole::Sealed),
    ("JoinsInMode", TraitRole::Sealed),
    ("SameTenantReference", TraitRole::Sealed),
    ("TenantColumnType", TraitRole::Sealed),
    ("TenantColumnIsNotNull", TraitRole::Sealed),
    ("SharedRowsColumn", TraitRole::Sealed),
    ("SameTenantColumns", TraitRole::Sealed),
    ("SealedQuery", TraitRole::Sealed),
    ("AsyncSealedQuery", TraitRole::Sealed),
    ("ScopedSubquery", TraitRole::Sealed),
    ("RawConnection", TraitRole::Sealed),
    ("AsyncRawConnection", TraitRole::Sealed),
    ("AuditConnection", TraitRole::Sealed),
    ("AsTenantKey", TraitRole::Sealed),
    ("AsTenantCtx", TraitRole::Sealed),
    ("TenantIdValue", TraitRole::Sealed),
    ("WidensTo", TraitRole::Sealed),
    // Sealed: the refusals, implemented by nothing.
    ("NoSharedRows", TraitRole::Sealed),
    ("NoWritesThroughSharedRows", TraitRole::Sealed),
    ("NoInsertFromThisScope", TraitRole::Sealed),
    ("NoRowLocksOnSharedRows", TraitRole::Sealed),
    ("NoLockToModify", TraitRole::Sealed),
    ("NoUpsertFromThisScope", TraitRole::Sealed),
    ("NoUpsertUnderAParent", TraitRole::Sealed),
    ("NoDieselAsyncQueriesOnTenantConn", TraitRole::Sealed),
    ("NoOrFilterOnScopedQueries", TraitRole::Sealed),
    ("NoCombinationOfScopedQueries", TraitRole::Sealed),
    ("NoDieselJoinOnScopedQueries", TraitRole::Sealed),
    ("NoDieselMethodOnScopedQueries", TraitRole::Sealed),
    ("NoDieselFindOnScopedQueries", TraitRole::Sealed),
    ("NoDeserializedTenantCtx", TraitRole::Sealed),
    ("NoTenantCtxFromAnId", TraitRole::Sealed),
    // Unsealed, implemented by the library and its macros only.
    ("ForeignKeyTo", TraitRole::LibraryOnly),
    (
        "EachTableIsDeclaredOnceByOneModelOrByGlobalTable",
        TraitRole::LibraryOnly,
    ),
    ("ParentsOf", TraitRole::LibraryOnly),
    ("ForeignKeyIsNotNull", TraitRole::LibraryOnly),
    ("ThroughNotNullForeignKey", TraitRole::LibraryOnly),
    ("KeyWithoutTenant", TraitRole::LibraryOnly),
    ("RowKeyOfKind", TraitRole::LibraryOnly),
    ("ConflictTarget", TraitRole::LibraryOnly),
    ("ExcludedColumns", TraitRole::LibraryOnly),
    ("TenantJoinPair", TraitRole::LibraryOnly),
    ("ListsEveryColumn", TraitRole::LibraryOnly),
    ("SharedRowsOfAModel", TraitRole::LibraryOnly),
    ("InsertFromAScope", TraitRole::LibraryOnly),
    ("UpsertFromAScope", TraitRole::LibraryOnly),
    ("RowLockBackend", TraitRole::LibraryOnly),
    // What a backend can do (MySQL: no key locks, no `RETURNING`, no upsert a
    // scope can guard): an impl by hand claims a capability the database lacks.
    ("KeyLockBackend", TraitRole::LibraryOnly),
    ("ReturningBackend", TraitRole::LibraryOnly),
    ("LoadsRowsOn", TraitRole::LibraryOnly),
    ("GivesRowsBack", TraitRole::LibraryOnly),
    ("UpsertBackend", TraitRole::LibraryOnly),
    ("DatabaseWall", TraitRole::LibraryOnly),
    // Every Diesel connection to MySQL has it already (a blanket impl): an impl
    // by hand would be for a look-alike connection the start-up check reads.
    ("CatalogConnection", TraitRole::LibraryOnly),
    ("AsyncWall", TraitRole::LibraryOnly),
    ("ScalarRead", TraitRole::LibraryOnly),
    ("Pick", TraitRole::LibraryOnly),
    ("Correlation", TraitRole::LibraryOnly),
    ("HoldsTheOuterTable", TraitRole::LibraryOnly),
    ("OnceAmongTheOuterTables", TraitRole::LibraryOnly),
    ("RunQueryDsl", TraitRole::LibraryOnly),
    ("RunsOn", TraitRole::LibraryOnly),
    ("AsyncRunsOn", TraitRole::LibraryOnly),
    ("Runnable", TraitRole::LibraryOnly),
    ("RunsAlone", TraitRole::LibraryOnly),
    ("Outcome", TraitRole::LibraryOnly),
    ("Statement", TraitRole::LibraryOnly),
    ("Op", TraitRole::LibraryOnly),
    ("FirstTable", TraitRole::LibraryOnly),
    ("JoinArgument", TraitRole::LibraryOnly),
    ("JoinOnto", TraitRole::LibraryOnly),
    ("JoinStep", TraitRole::LibraryOnly),
    ("AbsentFrom", TraitRole::LibraryOnly),
    ("ProofOf", TraitRole::LibraryOnly),
    ("Condition", TraitRole::LibraryOnly),
    ("JoinWithOn", TraitRole::LibraryOnly),
    ("JoinableByDiesel", TraitRole::LibraryOnly),
    ("LeftTenantTerms", TraitRole::LibraryOnly),
    ("AliasedKind", TraitRole::LibraryOnly),
    ("AliasTenantFilter", TraitRole::LibraryOnly),
    ("NestedJoinKinds", TraitRole::LibraryOnly),
    ("DieselsOwnOn", TraitRole::LibraryOnly),
    ("FlattenNest", TraitRole::LibraryOnly),
    ("NestExists", TraitRole::LibraryOnly),
    ("LeftOnWithExists", TraitRole::LibraryOnly),
    ("JoinDeclared", TraitRole::LibraryOnly),
    // Extension points.
    ("KeyValueStore", TraitRole::Extension),
    ("TenantState", TraitRole::Extension),
];

/// The crate names the library is reached under when a crate does not rename it.
pub const LIBRARY_CRATES: [&str; 2] = ["tenant_diesel", "tenant_core"];

/// The role of the library trait `name`, if it is one.
pub fn role(name: &str) -> Option<TraitRole> {
    LIBRARY_TRAITS
        .iter()
        .find(|(trait_name, _)| *trait_name == name)
        .map(|(_, role)| *role)
}

/// The library trait `path` names in a file with `aliases`, with its role.
///
/// A path through the library (`tenant_diesel::..`, a renamed dependency, or
/// `__private`) names the library's trait of its last name; a bare name does
/// when it was imported from the library (under any `as` rename), or came in
/// through a glob import of it and the file declares no trait of that name.
/// The seal and the sealed traits' names are the library's wherever they
/// appear (a facade re-export cannot hide them); the other names, some of
/// which are common words (`Condition`, `RunQueryDsl`), need the import.
pub fn library_trait(path: &syn::Path, aliases: &Aliases) -> Option<(String, TraitRole)> {
    let segments = crate::names::segments(path);
    let last = segments.last()?;
    if let [single] = segments.as_slice() {
        if let Some(original) = aliases.library.get(single) {
            return role(original).map(|role| (original.clone(), role));
        }
        let role = role(single)?;
        let globbed = aliases.library_glob && !aliases.local_traits.contains(single);
        let distinctive = matches!(role, TraitRole::Seal | TraitRole::Sealed);
        return (globbed || distinctive).then(|| (single.clone(), role));
    }
    let role = role(last)?;
    let through_library = segments
        .iter()
        .any(|s| s == "__private" || aliases.is_library_crate(s));
    let distinctive = matches!(role, TraitRole::Seal | TraitRole::Sealed);
    (through_library || distinctive).then(|| (last.clone(), role))
}

/// What a hand-written impl of a trait with `role` is, as a sentence.
pub fn meaning(role: TraitRole) -> &'static str {
    match role {
        TraitRole::Seal => {
            "the seal written by hand: it declares checked what no derive or macro checked"
        }
        TraitRole::Sealed => {
            "a sealed trait written by hand: it compiles only beside a hand-written seal, and declares unchecked what the derives check"
        }
        TraitRole::LibraryOnly => {
            "a trait only the library and its macros implement: a hand-written impl can widen what the wall accepts"
        }
        TraitRole::Extension => "an extension point of the library",
    }
}

/// The names under which a crate reaches the library: `tenant_diesel`,
/// `tenant_core`, and every rename in its `Cargo.toml`
/// (`td = { package = "tenant-diesel" }`).
pub fn crate_names(cargo_toml: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = LIBRARY_CRATES.iter().map(|n| (*n).to_owned()).collect();
    let Some(text) = cargo_toml else {
        return names;
    };
    let Ok(manifest) = text.parse::<toml::Table>() else {
        return names;
    };
    let mut tables = Vec::new();
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        tables.extend(manifest.get(section).and_then(toml::Value::as_table));
    }
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        for target in targets.values().filter_map(toml::Value::as_table) {
            for section in ["dependencies", "dev-dependencies"] {
                tables.extend(target.get(section).and_then(toml::Value::as_table));
            }
        }
    }
    for table in tables {
        for (name, spec) in table {
            let package = spec
                .get("package")
                .and_then(toml::Value::as_str)
                .unwrap_or(name);
            if matches!(package, "tenant-diesel" | "tenant-core") {
                let name = name.replace('-', "_");
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    names
}
