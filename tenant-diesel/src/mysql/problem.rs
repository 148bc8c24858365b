//! What [`verify_isolation`](super::verify_isolation) reports: one variant per
//! way the application's account or schema lets one tenant reach another's
//! rows (or reach past the application's database), each printed with the
//! statement that fixes it.
//!
//! Names are quoted as MySQL quotes them (`` `accounts` ``), so that the printed
//! fix can be pasted as it is.

use std::fmt;

use super::grants::ident;

/// A privilege the application's account holds, as `SHOW GRANTS` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    /// The privilege, with its columns if it is a column privilege
    /// (`CREATE TEMPORARY TABLES`, ``REFERENCES (`id`)``).
    pub privilege: String,
    /// What it is granted on: `*.*`, `` `app`.* ``, `` `app`.`accounts` ``,
    /// `` PROCEDURE `app`.`p` ``.
    pub object: String,
    /// Whom it is granted to: the account (`` `app_user`@`%` ``), a role
    /// (`` `app_ddl` ``), or `PUBLIC`.
    pub grantee: String,
    /// When the grantee is a role: the role granted to the account that
    /// brings it (the role itself, or the one that holds it), which the
    /// account can enable with `SET ROLE` whether or not it is a default role.
    pub role: Option<String>,
    /// The application's account (`` `app_user`@`%` ``).
    pub account: String,
}

impl Granted {
    /// `REVOKE .. FROM ..`, and the role to revoke instead when it came
    /// through one.
    fn fix(&self) -> String {
        let revoke = format!(
            "REVOKE {} ON {} FROM {}",
            self.privilege, self.object, self.grantee
        );
        match &self.role {
            Some(role) => format!(
                "{revoke} (held through role {}; or REVOKE {} FROM {})",
                self.grantee, role, self.account
            ),
            None => revoke,
        }
    }
}

/// One way the application's account or schema would let a tenant reach
/// another tenant's rows, or reach past the application's database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MysqlIsolationProblem {
    /// The connection has no default database (`DATABASE()` is `NULL`): the
    /// library's queries name tables without a database, so the check cannot
    /// tell which database they read.
    NoDatabase,
    /// A global privilege (on `*.*`) other than `USAGE`: it applies to every
    /// database, the `mysql` system schema and an audit database included, and
    /// most reach the server itself (`SUPER`, `FILE`, `PROCESS`, ..).
    GlobalPrivilege(Granted),
    /// A privilege on the application's database, one of its tables or
    /// columns, other than `SELECT`, `INSERT`, `UPDATE` and `DELETE`: DDL,
    /// triggers, views, routines, events, temporary tables, locks.
    SchemaPrivilege(Granted),
    /// A privilege on a system schema (`mysql`, `performance_schema`, `sys`):
    /// the accounts and their password hashes, other sessions' statements.
    SystemSchemaPrivilege(Granted),
    /// A privilege on the audit database ([`MysqlChecks::audit_database`](super::MysqlChecks::audit_database)).
    AuditDatabasePrivilege(Granted),
    /// A privilege on a database other than the application's (or on
    /// databases named by a pattern).
    OtherDatabasePrivilege(Granted),
    /// A privilege on a stored routine (`EXECUTE`, `ALTER ROUTINE`).
    RoutinePrivilege(Granted),
    /// `PROXY`: the account can act as another account, with its privileges.
    Proxy(Granted),
    /// `WITH GRANT OPTION`: the account can hand what it holds on the object
    /// to any account.
    GrantOption(Granted),
    /// A role granted `WITH ADMIN OPTION`: the account can grant the role to
    /// any account.
    RoleAdminOption {
        /// The role.
        role: String,
        /// Whom it is granted to (the account, `PUBLIC`, or a role).
        grantee: String,
    },
    /// A line of `SHOW GRANTS` of a shape the check does not know: refused
    /// rather than guessed at.
    UnreadableGrant(String),
    /// A declared tenant table is not in the database.
    MissingTenantTable(String),
    /// A declared tenant table has no column of the tenant column's name.
    MissingTenantColumn {
        /// The table.
        table: String,
        /// The declared tenant column.
        column: String,
    },
    /// A text tenant column whose collation is not binary: under a
    /// case-insensitive (or accent-insensitive) collation `'ACME' = 'acme'`,
    /// and a tenant id kept as text in another spelling matches the tenant's.
    TenantColumnCollation {
        /// The table.
        table: String,
        /// The tenant column.
        column: String,
        /// Its type, as `COLUMNS.COLUMN_TYPE` prints it (`varchar(36)`).
        column_type: String,
        /// Its character set.
        charset: String,
        /// Its collation.
        collation: String,
        /// Whether it is nullable.
        nullable: bool,
    },
    /// A unique key (or the primary key) of a tenant table that does not lead
    /// with the whole tenant column: a scoped insert or update that collides
    /// with it tells the tenant that another tenant holds the value.
    UniqueKeyWithoutTenant {
        /// The table.
        table: String,
        /// The key (`PRIMARY` for the primary key).
        key: String,
        /// Its columns, in order (a prefix as `name(10)`).
        columns: Vec<String>,
        /// The table's tenant column.
        tenant_column: String,
        /// The column that is `AUTO_INCREMENT`, when the key holds it: InnoDB
        /// needs an index that leads with it, so the fix keeps one.
        auto_increment: Option<String>,
    },
    /// A foreign key between tenant tables that does not pair the tenant
    /// columns: it accepts a reference to another tenant's row, and its error
    /// tells whether the row exists.
    ForeignKeyWithoutTenant {
        /// The referencing table.
        table: String,
        /// The constraint.
        constraint: String,
        /// The referenced table.
        references: String,
        /// The referencing columns.
        columns: Vec<String>,
        /// The referenced columns.
        referenced_columns: Vec<String>,
        /// The referencing table's tenant column.
        tenant_column: String,
        /// The referenced table's tenant column.
        referenced_tenant_column: String,
    },
    /// A table declared shared (`global_table!`) has the name of a declared
    /// tenant table.
    SharedTableIsATenantTable(String),
    /// A table declared shared has a column named like a tenant column.
    SharedTableWithTenantColumn {
        /// The shared table.
        table: String,
        /// Its column.
        column: String,
    },
    /// A table declared shared has a foreign key to a tenant table.
    SharedTableReferencesATenantTable {
        /// The shared table.
        table: String,
        /// The tenant table it references.
        parent: String,
        /// The foreign key's columns, comma-separated.
        foreign_key: String,
    },
    /// A table declared shared is not in the database.
    MissingSharedTable(String),
}

/// Why a privilege other than reading and writing rows breaks the library's
/// filter, or reaches past the application's rows.
fn why(privilege: &str) -> &'static str {
    // The name without its columns.
    let name = privilege.split(" (").next().unwrap_or(privilege);
    match name {
        "ALL PRIVILEGES" | "ALL" => "every privilege, DDL and grants included",
        "CREATE" => "it creates tables, and with DROP or ALTER it puts a table or view of its own in place of a tenant table",
        "DROP" => "it drops tenant tables, and MySQL's TRUNCATE TABLE, which empties every tenant's rows, needs only DROP",
        "ALTER" => "it changes tables: a tenant column re-collated case-insensitively, a key without the tenant, a table renamed away",
        "INDEX" => "a unique index without the tenant column makes every scoped insert an oracle on other tenants' values",
        "REFERENCES" => "a foreign key of its own probes every tenant's keys",
        "CREATE VIEW" => "a view named like a tenant table (in place of one dropped or missing) can claim any tenant's rows with a tenant column of its own making",
        "SHOW VIEW" => "it reads view definitions, which the library never needs",
        "TRIGGER" => "a trigger on a tenant table runs on every tenant's writes: it can copy each row away, or rewrite the tenant column the library stamped",
        "CREATE ROUTINE" => "routines run with their definer's rights, and triggers and views call them",
        "ALTER ROUTINE" => "it can turn an administrator's routine into SQL SECURITY DEFINER and run it with that administrator's rights",
        "EXECUTE" => "routines run with their definer's rights by default (SQL SECURITY DEFINER), which may reach what the account cannot",
        "EVENT" => "an event runs statements on a schedule, outside any request, for as long as it exists",
        "LOCK TABLES" => "a lock on a tenant table stalls every tenant",
        "CREATE TEMPORARY TABLES" => "a temporary table named like a tenant table shadows it for the rest of the session, and a pool hands that session to the next tenant",
        "DELETE HISTORY" => "it deletes the history of system-versioned tables, every tenant's",
        "GRANT OPTION" => "it hands what the account holds to any account",
        "SUPER" => "it sets any account as a DEFINER, changes global settings, and ends other sessions",
        "FILE" => "it reads and writes the server's files, every database's data files among them",
        "PROCESS" => "it shows every session's statements, with their values",
        "SHUTDOWN" => "it stops the server",
        "CREATE USER" => "it creates and changes accounts, this one's grants included",
        "SET USER" => "it sets any account as a DEFINER",
        "BINLOG ADMIN" | "BINLOG MONITOR" | "BINLOG REPLAY" | "REPLICATION SLAVE" | "REPLICATION REPLICA" | "REPLICATION CLIENT" | "REPLICATION MASTER ADMIN" | "REPLICATION SLAVE ADMIN" => "the binary log holds every tenant's writes",
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" => "it reaches rows outside the application's database",
        _ => "the library needs only SELECT, INSERT, UPDATE and DELETE on the application's database",
    }
}

/// `name` as it prints in a column list: `` `email`(10) `` for a prefix.
fn key_part(part: &str) -> String {
    match part.split_once('(') {
        Some((name, length)) => format!("{}({length}", ident(name)),
        None => ident(part),
    }
}

impl fmt::Display for MysqlIsolationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoDatabase => f.write_str("the connection has no default database (DATABASE() is NULL), and the library's queries name tables without one: connect with the application's database in the URL (mysql://user@host/app)"),
            Self::GlobalPrivilege(g) => write!(f, "{} holds {} on every database ({}): {}", g.grantee, g.privilege, why(&g.privilege), g.fix()),
            Self::SchemaPrivilege(g) => write!(f, "{} holds {} on {} ({}): {}", g.grantee, g.privilege, g.object, why(&g.privilege), g.fix()),
            Self::SystemSchemaPrivilege(g) => write!(f, "{} holds {} on system schema {} (the accounts, their password hashes and other sessions' statements live there): {}", g.grantee, g.privilege, g.object, g.fix()),
            Self::AuditDatabasePrivilege(g) => write!(f, "{} holds {} on the audit database {} (the account whose actions it records could read, erase or forge them): {}, and let the audit sink connect as an account of its own", g.grantee, g.privilege, g.object, g.fix()),
            Self::OtherDatabasePrivilege(g) => write!(f, "{} holds {} on {}, outside the application's database (it reaches other data, and after a `USE` left on a pooled session the library's unqualified table names resolve there): {}; give another application's database an account of its own", g.grantee, g.privilege, g.object, g.fix()),
            Self::RoutinePrivilege(g) => write!(f, "{} holds {} on {} (a routine runs with its definer's rights by default, which may reach every tenant's rows and beyond): {}", g.grantee, g.privilege, g.object, g.fix()),
            Self::Proxy(g) => write!(f, "{} may act as {} (PROXY), with its privileges: {}", g.grantee, g.object, g.fix()),
            Self::GrantOption(g) => write!(f, "{} holds its privileges on {} WITH GRANT OPTION, so it can hand them to any account: {}", g.grantee, g.object, g.fix()),
            Self::RoleAdminOption { role, grantee } => write!(f, "{grantee} holds role {role} WITH ADMIN OPTION, so it can grant the role to any account: REVOKE ADMIN OPTION FOR {role} FROM {grantee} (on MySQL: REVOKE {role} FROM {grantee}; GRANT {role} TO {grantee})"),
            Self::UnreadableGrant(line) => write!(f, "a grant of the account is of a shape the check does not read, so it cannot tell what it allows: `{line}`; revoke it, or grant only SELECT, INSERT, UPDATE, DELETE ON `app`.*"),
            Self::MissingTenantTable(t) => write!(f, "tenant table {} is not in the database: run the migration that creates it, or fix the model's `table_name`", ident(t)),
            Self::MissingTenantColumn { table, column } => write!(f, "tenant table {} has no tenant column {}: fix the model's declaration or the table", ident(table), ident(column)),
            Self::TenantColumnCollation { table, column, column_type, charset, collation, nullable } => write!(f, "tenant column {}.{} compares as {collation}, which is not binary, so 'ACME' = 'acme' and a tenant id in another spelling matches the tenant's: ALTER TABLE {} MODIFY {} {column_type} CHARACTER SET {charset} COLLATE {charset}_bin {}(keeping its other attributes)", ident(table), ident(column), ident(table), ident(column), if *nullable { "" } else { "NOT NULL " }),
            Self::UniqueKeyWithoutTenant { table, key, columns, tenant_column, auto_increment } => {
                let listed: Vec<String> = columns.iter().map(|c| key_part(c)).collect();
                let fixed: Vec<String> = std::iter::once(ident(tenant_column))
                    .chain(columns.iter().filter(|c| c.split('(').next() != Some(tenant_column.as_str())).map(|c| key_part(c)))
                    .collect();
                let kind = if key == "PRIMARY" { "primary key".to_owned() } else { format!("unique key {}", ident(key)) };
                write!(f, "{kind} ({}) of tenant table {} does not lead with {}, so a scoped insert or update that collides with it tells the tenant that another tenant holds the value: ALTER TABLE {} ", listed.join(", "), ident(table), ident(tenant_column), ident(table))?;
                if key == "PRIMARY" {
                    write!(f, "DROP PRIMARY KEY, ADD PRIMARY KEY ({})", fixed.join(", "))?;
                } else {
                    write!(f, "DROP INDEX {}, ADD UNIQUE KEY {} ({})", ident(key), ident(key), fixed.join(", "))?;
                }
                match auto_increment {
                    Some(column) => write!(f, ", ADD KEY ({}) (InnoDB keeps an index led by the AUTO_INCREMENT column; a plain one tells nothing, though the counter still shows every tenant's inserts: ids the application draws at random do not)", ident(column)),
                    None => Ok(()),
                }
            }
            Self::ForeignKeyWithoutTenant { table, constraint, references, columns, referenced_columns, tenant_column, referenced_tenant_column } => {
                let from: Vec<String> = std::iter::once(tenant_column.as_str()).chain(columns.iter().map(String::as_str).filter(|c| c != tenant_column)).map(ident).collect();
                let to: Vec<String> = std::iter::once(referenced_tenant_column.as_str()).chain(referenced_columns.iter().map(String::as_str).filter(|c| c != referenced_tenant_column)).map(ident).collect();
                let listed = |names: &[String]| names.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ");
                write!(f, "foreign key {} from {} ({}) to {} ({}) does not pair the tenant columns, so it accepts another tenant's row and its error tells whether one exists: ALTER TABLE {} DROP FOREIGN KEY {}, ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) (the referenced columns need a key that leads with them)", ident(constraint), ident(table), listed(columns), ident(references), listed(referenced_columns), ident(table), ident(constraint), ident(constraint), from.join(", "), ident(references), to.join(", "))
            }
            Self::SharedTableIsATenantTable(t) => write!(f, "{} is declared shared (global_table!) but is a tenant table: a second `table!` of it declared global reads every tenant's rows; query it through its model", ident(t)),
            Self::SharedTableWithTenantColumn { table, column } => write!(f, "shared table {} has a tenant column {}: a table that says which tenant owns each row is a tenant table; derive TenantScoped on its model", ident(table), ident(column)),
            Self::SharedTableReferencesATenantTable { table, parent, foreign_key } => write!(f, "shared table {} references tenant table {} ({foreign_key}): each of its rows belongs to the tenant of the row it references, and declared shared it reads every tenant's; give it its own tenant column (ALTER TABLE {} ADD COLUMN tenant_id .., filled from {}), and derive TenantScoped on its model", ident(table), ident(parent), ident(table), ident(parent)),
            Self::MissingSharedTable(t) => write!(f, "shared table {} is not in the database: run the migration that creates it, or drop it from the declarations", ident(t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_primary_key_fix_leads_with_the_tenant_and_keeps_an_auto_increment_index() {
        let problem = MysqlIsolationProblem::UniqueKeyWithoutTenant {
            table: "accounts".to_owned(),
            key: "PRIMARY".to_owned(),
            columns: vec!["id".to_owned()],
            tenant_column: "tenant_id".to_owned(),
            auto_increment: Some("id".to_owned()),
        };
        assert!(problem.to_string().contains(
            "ALTER TABLE `accounts` DROP PRIMARY KEY, ADD PRIMARY KEY (`tenant_id`, `id`), ADD KEY (`id`)"
        ));
        let problem = MysqlIsolationProblem::UniqueKeyWithoutTenant {
            table: "users".to_owned(),
            key: "email".to_owned(),
            columns: vec!["tenant_id(8)".to_owned(), "email(10)".to_owned()],
            tenant_column: "tenant_id".to_owned(),
            auto_increment: None,
        };
        assert!(problem
            .to_string()
            .contains("DROP INDEX `email`, ADD UNIQUE KEY `email` (`tenant_id`, `email`(10))"));
    }

    #[test]
    fn a_privilege_through_a_role_names_both_fixes() {
        let problem = MysqlIsolationProblem::SchemaPrivilege(Granted {
            privilege: "CREATE".to_owned(),
            object: "`app`.*".to_owned(),
            grantee: "`app_ddl`".to_owned(),
            role: Some("`app_ddl`".to_owned()),
            account: "`app_user`@`%`".to_owned(),
        });
        let text = problem.to_string();
        assert!(
            text.contains("REVOKE CREATE ON `app`.* FROM `app_ddl`"),
            "{text}"
        );
        assert!(
            text.contains("REVOKE `app_ddl` FROM `app_user`@`%`"),
            "{text}"
        );
    }
}
