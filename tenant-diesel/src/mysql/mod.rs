//! The start-up check on MySQL and MariaDB: [`verify_isolation`] reads, as the
//! application's own account, what that account may do and what the declared
//! tables look like, and lists every problem it finds. Each file checks one
//! concern.
//!
//! MySQL has no row-level security, so there is no database wall to verify:
//! raw SQL on the application's account reads every tenant's rows whatever
//! this check says. What it narrows is what that account can do beyond
//! reading and writing rows (objects that would break the library's filter
//! for correct code later, reach past the application's database, or reach
//! the audit log), and the schema mistakes through which the library's own
//! statements would tell one tenant about another's rows.

mod catalog;
mod grants;
mod keys;
mod privileges;
mod problem;
mod shared;
mod tables;

use diesel::connection::LoadConnection;
use diesel::mysql::Mysql;

pub use problem::{Granted, MysqlIsolationProblem};

/// A connection the start-up check reads the grants and the catalog on:
/// Diesel's `MysqlConnection` (feature `mysql`), or diesel-async's
/// `AsyncMysqlConnection` behind its blocking wrapper
/// (`AsyncConnectionWrapper`, feature `async-mysql`, no C client library).
pub trait CatalogConnection: LoadConnection<Backend = Mysql> {}

impl<C: LoadConnection<Backend = Mysql>> CatalogConnection for C {}

use crate::declared::DeclaredTables;

/// What [`verify_isolation`] checks: the declared tables, and the database the
/// application's account must keep away from, if any.
///
/// ```
/// use tenant_diesel::mysql::MysqlChecks;
/// use tenant_diesel::prelude::*;
/// use tenant_diesel::DeclaredTables;
/// # diesel::table! { accounts (tenant_id, id) { id -> BigInt, tenant_id -> BigInt, name -> Text, } }
/// # diesel::table! { plans (id) { id -> BigInt, name -> Text, } }
/// # global_table!(plans (id, name));
/// # #[derive(Queryable, Selectable, TenantScoped)]
/// # #[diesel(table_name = accounts)]
/// # struct Account { id: i64, tenant_id: i64, name: String }
///
/// let checks = MysqlChecks::new(
///     DeclaredTables::new()
///         .tenant_table::<accounts::table>()
///         .global_table::<plans::table>(),
/// )
/// .audit_database("audit");
/// # let _ = checks;
/// ```
#[derive(Debug, Clone, Default)]
pub struct MysqlChecks {
    tables: DeclaredTables,
    audit_database: Option<String>,
}

impl MysqlChecks {
    /// The checks of `tables`, with no audit database named.
    pub fn new(tables: DeclaredTables) -> Self {
        Self {
            tables,
            audit_database: None,
        }
    }

    /// Names the database that holds the audit log: the application's account
    /// must hold no privilege at all on it (nor on a pattern that covers it).
    ///
    /// Not even `INSERT`: the account whose actions the log records must not
    /// be able to read, erase or forge it, and `DieselAuditSink` creates its
    /// own table with its migrations (DDL) before it appends. Let the sink
    /// connect as an account of its own.
    pub fn audit_database(mut self, name: impl Into<String>) -> Self {
        self.audit_database = Some(name.into());
        self
    }
}

impl From<DeclaredTables> for MysqlChecks {
    fn from(tables: DeclaredTables) -> Self {
        Self::new(tables)
    }
}

/// What [`verify_isolation`] found wrong, every problem at once.
#[derive(Debug, thiserror::Error)]
pub enum MysqlIsolationError {
    /// The account or the schema would let one tenant reach another's rows,
    /// or the account reach past the application's database.
    #[error("refusing to start: the MySQL account or schema would not keep tenants apart:{}", list(.0))]
    Unsafe(Vec<MysqlIsolationProblem>),
    /// The grants or the catalog could not be read.
    #[error("could not check the MySQL account and schema: {0}")]
    Query(#[from] diesel::result::Error),
}

fn list(problems: &[MysqlIsolationProblem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

/// Refuses to start when the account `conn` is connected as may do more than
/// read and write the rows of its database, or when the declared tables would
/// let the library's statements tell one tenant about another's rows; names
/// every problem with the statement that fixes it.
///
/// It checks:
/// - the account's privileges, its own, `PUBLIC`'s and those of every role
///   granted to it (default or not, at any depth): no global privilege but
///   `USAGE`; on the application's database (`DATABASE()`), its tables and
///   columns, nothing but `SELECT`, `INSERT`, `UPDATE` and `DELETE` (no DDL,
///   `TRIGGER`, `CREATE VIEW`, routines, `EVENT`, `LOCK TABLES`, `CREATE
///   TEMPORARY TABLES`, ..); nothing on another database, on a stored
///   routine, on `mysql`, `performance_schema` or `sys`, or on the audit
///   database ([`MysqlChecks::audit_database`]); no `PROXY`, no `GRANT
///   OPTION`, no role `WITH ADMIN OPTION`;
/// - each declared tenant table: in the database, with its tenant column; a
///   text tenant column with a binary collation (`utf8mb4_bin`); every unique
///   key and the primary key led by the whole tenant column; every foreign
///   key to a tenant table pairing the tenant columns;
/// - each declared shared table: in the database, not a tenant table, without
///   a column named like a tenant column, without a foreign key to a tenant
///   table.
///
/// It reads `SHOW GRANTS` and `information_schema`; on MariaDB it enables each
/// role granted to the account in turn with `SET ROLE`, then the session's
/// role again. Call it at start-up on a connection of the application's
/// account, opened with the application's database (`mysql://user@host/app`).
pub fn verify_isolation(
    conn: &mut impl CatalogConnection,
    checks: &MysqlChecks,
) -> Result<(), MysqlIsolationError> {
    let mut problems = Vec::new();
    match catalog::database(conn)? {
        None => problems.push(MysqlIsolationProblem::NoDatabase),
        Some(database) => {
            let tenant = checks.tables.tenant_tables();
            let shared = checks.tables.shared_tables();
            privileges::check(
                conn,
                &database,
                checks.audit_database.as_deref(),
                &mut problems,
            )?;
            tables::check(conn, tenant, &mut problems)?;
            keys::check(conn, tenant, &mut problems)?;
            shared::check(conn, tenant, shared, &mut problems)?;
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(MysqlIsolationError::Unsafe(problems))
    }
}
