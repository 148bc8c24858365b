//! The start-up check of the database wall: [`verify_isolation`] reads the
//! catalog as the application's role and lists every way one tenant could
//! reach another's rows around the policies. Each file checks one concern.

mod acl;
mod catalog;
mod citus;
mod functions;
mod keys;
mod policies;
mod privileges;
mod probe;
mod problem;
mod roles;
mod rules;
mod search_path;
mod shared;
mod tables;
mod views;
mod wall;

use diesel::pg::PgConnection;

pub use problem::{IsolationProblem, WallFunctionFault};

use super::RlsMigrations;

/// What [`verify_isolation`] found wrong, every problem at once.
#[derive(Debug, thiserror::Error)]
pub enum IsolationError {
    /// The setup would let one tenant see another's rows.
    #[error("row-level security would not isolate tenants for role `{role}`:{}", list(.problems))]
    Unsafe {
        /// The role the application connects as.
        role: String,
        /// Each problem, named.
        problems: Vec<IsolationProblem>,
    },
    /// The catalog could not be read.
    #[error("could not check row-level security: {0}")]
    Query(#[from] diesel::result::Error),
}

fn list(problems: &[IsolationProblem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

/// Refuses to start when the database wall would not hold for the role `conn` is
/// connected as, and names every problem with the statement that fixes it.
///
/// It checks:
/// - the role: not a superuser, `BYPASSRLS` or `CREATEROLE`, not able to
///   `SET ROLE` to such a role (or to one that reads the server's files), not an
///   owner of a tenant table, no `TEMPORARY` on the database, no `CREATE` on a
///   schema of the pinned search path;
/// - each tenant table ([`RlsMigrations::tables`], looked up through the search
///   path as the application's queries name it): row-level security enabled and
///   forced, the generated tenant policy exactly as generated (its expressions
///   compared with what PostgreSQL prints for them: the verifier of the tenant
///   column's type, or for a table reached through its parent the semi-join on
///   the parent, which must be declared too; the `SELECT`-only policy of a table
///   with shared rows), no other permissive policy,
///   no privilege beyond reading and writing rows (`TRUNCATE`, `TRIGGER`,
///   `REFERENCES`), no rule, no unique key or leakproof index that does not lead
///   with the tenant column, no foreign key to another tenant table that does not
///   pair the tenant columns, no trigger running a `SECURITY DEFINER` function of
///   a role that bypasses the policies;
/// - each partition or inheritance child of one, at any depth, that the role can
///   name: its own row-level security and policy;
/// - the objects around them: views over a tenant table (at any depth) that are
///   not `security_invoker`, materialized views of one the role can read,
///   `SECURITY DEFINER` functions the role can execute whose owner bypasses the
///   policies, the library's own wall functions and the declared lookups
///   ([`RlsMigrations::directory_lookup`], [`RlsMigrations::membership_lookup`])
///   exactly as generated, and its signing key out of reach;
/// - the mode: policies that trust an unsigned setting the role can set itself;
/// - on Citus (the `citus` extension), that a unit of work forwards its
///   `SET LOCAL`s to the workers, whose shards' policies read the tenant there:
///   inside one, `citus.propagate_set_commands` must be Citus's own setting at
///   `local` (a Citus without it takes it as a placeholder that forwards
///   nothing);
/// - the tables declared shared ([`RlsMigrations::global_table`]): none is a
///   tenant table under another declaration, under row-level security, with a
///   tenant column, or with a foreign key to a tenant table.
///
/// Call it at start-up with the application's own connection (the pool's role).
pub fn verify_isolation(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
) -> Result<(), IsolationError> {
    let mut problems = Vec::new();
    let role = roles::check(conn, &mut problems)?;
    let relations = catalog::tenant_relations(conn, rls, &mut problems)?;
    let walled = policies::check(conn, &relations, rls, &mut problems)?;
    tables::check(&relations, &walled, &mut problems);
    privileges::check(conn, &relations, &mut problems)?;
    keys::check(conn, &relations, rls, &mut problems)?;
    views::check(conn, &relations, &mut problems)?;
    rules::check(conn, &relations, &mut problems)?;
    let wall = wall::check(conn, rls, &mut problems)?;
    functions::check(conn, &relations, &wall, &mut problems)?;
    shared::check(conn, rls, &mut problems)?;
    search_path::check(conn, rls, &mut problems)?;
    probe::check(conn, rls, &mut problems)?;
    citus::check(conn, rls, &mut problems)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(IsolationError::Unsafe { role, problems })
    }
}
