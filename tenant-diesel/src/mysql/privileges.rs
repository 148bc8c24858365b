//! The privileges of the account the application connects as, and of every
//! role it can enable: only `SELECT`, `INSERT`, `UPDATE` and `DELETE` on the
//! application's database (or its tables and columns) pass.
//!
//! They are read from `SHOW GRANTS`, not from `information_schema`: measured
//! on MariaDB 10.11, `USER_PRIVILEGES`, `SCHEMA_PRIVILEGES`,
//! `TABLE_PRIVILEGES` and `COLUMN_PRIVILEGES` list the account's own grants
//! only (not its roles', even the enabled one, and not those to `PUBLIC`), and
//! no view lists routine or `PROXY` grants. `SHOW GRANTS` lists all of them
//! for the account and its current role (with the roles granted to that role,
//! at any depth) on MariaDB, and for the roles named in `USING` on MySQL 8.
//!
//! A role granted to the account counts whether or not it is a default role:
//! any statement can `SET ROLE` to it. On MariaDB each is enabled in turn (and
//! the role the session had is enabled again at the end); on MySQL each is
//! named in `SHOW GRANTS FOR CURRENT_USER() USING ..`, as are the server's
//! `mandatory_roles`.

use super::CatalogConnection;
use diesel::deserialize::{self, QueryableByName};
use diesel::mysql::Mysql;
use diesel::row::{NamedRow, Row};
use diesel::sql_types::{Nullable, Text};
use diesel::{QueryableByName as DeriveQueryableByName, RunQueryDsl};

use super::grants::{self, GrantLine, Grantee, Object};
use super::problem::{Granted, MysqlIsolationProblem};

/// Databases the server keeps for itself: the accounts and their password
/// hashes (`mysql`), other sessions' statements (`performance_schema`, and
/// `sys`, which reads it).
const SYSTEM_SCHEMAS: [&str; 3] = ["mysql", "performance_schema", "sys"];

/// One line of `SHOW GRANTS`, whose column is named after the account
/// (`Grants for app_user@localhost`): read by position.
struct GrantRow(String);

impl QueryableByName<Mysql> for GrantRow {
    fn build<'a>(row: &impl NamedRow<'a, Mysql>) -> deserialize::Result<Self> {
        Row::get_value::<Text, String, usize>(row, 0).map(GrantRow)
    }
}

#[derive(DeriveQueryableByName)]
struct Session {
    #[diesel(sql_type = Text)]
    account: String,
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(DeriveQueryableByName)]
struct CurrentRole {
    #[diesel(sql_type = Nullable<Text>)]
    role: Option<String>,
}

#[derive(DeriveQueryableByName)]
struct MandatoryRoles {
    #[diesel(sql_type = Nullable<Text>)]
    roles: Option<String>,
}

/// A line of `SHOW GRANTS` and the role that brought it (none: the account's
/// own, or `PUBLIC`'s).
type Line = (String, Option<String>);

/// The application's account (`user`, `host`), as `CURRENT_USER()` names it.
struct Account {
    user: String,
    host: String,
}

impl Account {
    fn is(&self, grantee: &Grantee) -> bool {
        grantee.name == self.user && grantee.host.as_deref() == Some(self.host.as_str())
    }

    fn sql(&self) -> String {
        Grantee {
            name: self.user.clone(),
            host: Some(self.host.clone()),
            public: false,
        }
        .sql()
    }
}

/// Checks every privilege of the account against the allow-list; refuses the
/// audit database's entirely.
pub(super) fn check(
    conn: &mut impl CatalogConnection,
    database: &str,
    audit: Option<&str>,
    problems: &mut Vec<MysqlIsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let session: Session = session(conn)?;
    let (user, host) = session
        .account
        .rsplit_once('@')
        .unwrap_or((session.account.as_str(), ""));
    let account = Account {
        user: user.to_owned(),
        host: host.to_owned(),
    };
    let lines = if session.version.contains("MariaDB") {
        mariadb_lines(conn, &account)?
    } else {
        mysql_lines(conn, &account)?
    };
    let mut seen = std::collections::HashSet::new();
    for (line, role) in lines {
        if !seen.insert(line.clone()) {
            continue;
        }
        match grants::parse(&line) {
            None => problems.push(MysqlIsolationProblem::UnreadableGrant(line)),
            Some(GrantLine::Nothing) => {}
            Some(GrantLine::Roles {
                roles,
                grantee,
                admin_option,
            }) => {
                if admin_option {
                    problems.extend(roles.iter().map(|granted| {
                        MysqlIsolationProblem::RoleAdminOption {
                            role: granted.sql(),
                            grantee: grantee.sql(),
                        }
                    }));
                }
            }
            Some(GrantLine::Privileges {
                privileges,
                object,
                grantee,
                grant_option,
            }) => {
                let granted = |privilege: String| Granted {
                    privilege,
                    object: object.sql(),
                    grantee: grantee.sql(),
                    role: role_of(&grantee, &account, &role),
                    account: account.sql(),
                };
                if grant_option {
                    problems.push(MysqlIsolationProblem::GrantOption(granted(
                        "GRANT OPTION".to_owned(),
                    )));
                }
                for privilege in privileges {
                    let problem = classify(&object, &privilege.name, database, audit);
                    if let Some(problem) = problem {
                        problems.push(problem(granted(privilege.sql())));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The problem a privilege on `object` is, if it is one.
fn classify(
    object: &Object,
    privilege: &str,
    database: &str,
    audit: Option<&str>,
) -> Option<fn(Granted) -> MysqlIsolationProblem> {
    let rows = matches!(privilege, "SELECT" | "INSERT" | "UPDATE" | "DELETE");
    // A database-level name is a pattern (`%` covers every database, `mysql`
    // included); a table's database is a name.
    let (pattern, literal) = match object {
        Object::Global => {
            return (privilege != "USAGE").then_some(MysqlIsolationProblem::GlobalPrivilege)
        }
        Object::Proxy(_) => return Some(MysqlIsolationProblem::Proxy),
        Object::Routine { .. } => return Some(MysqlIsolationProblem::RoutinePrivilege),
        Object::Database(pattern) => (pattern.as_str(), false),
        Object::Table { database, .. } => (database.as_str(), true),
    };
    let covers = |name: &str| {
        if literal {
            pattern == name
        } else {
            grants::database_matches(pattern, name)
        }
    };
    if SYSTEM_SCHEMAS.iter().any(|schema| covers(schema)) {
        Some(MysqlIsolationProblem::SystemSchemaPrivilege)
    } else if audit.is_some_and(covers) {
        Some(MysqlIsolationProblem::AuditDatabasePrivilege)
    } else if pattern == database || (!literal && grants::unescaped(pattern) == database) {
        // `GRANT .. ON app_db.*` leaves `_` a wildcard (it also matches
        // `appxdb`); it is taken as the application's database, which it is
        // meant to be: another database of that shape needs CREATE to exist.
        (!rows).then_some(MysqlIsolationProblem::SchemaPrivilege)
    } else {
        Some(MysqlIsolationProblem::OtherDatabasePrivilege)
    }
}

/// The role to revoke from the account when `grantee` is a role.
fn role_of(grantee: &Grantee, account: &Account, role: &Option<String>) -> Option<String> {
    if grantee.public || account.is(grantee) {
        None
    } else {
        Some(role.clone().unwrap_or_else(|| grantee.sql()))
    }
}

// Catalog reads with no value from outside the server; the lint is for
// handler code.
#[allow(clippy::disallowed_methods)]
fn session(conn: &mut impl CatalogConnection) -> Result<Session, diesel::result::Error> {
    diesel::sql_query("SELECT CURRENT_USER() AS account, VERSION() AS version").get_result(conn)
}

#[allow(clippy::disallowed_methods)]
fn show_grants(
    conn: &mut impl CatalogConnection,
    statement: &str,
) -> Result<Vec<String>, diesel::result::Error> {
    let rows: Vec<GrantRow> = diesel::sql_query(statement).load(conn)?;
    Ok(rows.into_iter().map(|GrantRow(line)| line).collect())
}

/// The roles granted to the account (or to `PUBLIC`), as `SET ROLE` and
/// `USING` take them, from lines of `SHOW GRANTS`.
fn granted_roles(lines: &[String], account: &Account) -> Vec<String> {
    let mut roles = Vec::new();
    for line in lines {
        if let Some(GrantLine::Roles {
            roles: granted,
            grantee,
            ..
        }) = grants::parse(line)
        {
            if grantee.public || account.is(&grantee) {
                roles.extend(granted.iter().map(Grantee::sql));
            }
        }
    }
    roles.sort();
    roles.dedup();
    roles
}

/// MariaDB: the account's lines (with its current role's), then each granted
/// role's, enabled in turn; the session's role is enabled again at the end,
/// whatever happened.
#[allow(clippy::disallowed_methods)]
fn mariadb_lines(
    conn: &mut impl CatalogConnection,
    account: &Account,
) -> Result<Vec<Line>, diesel::result::Error> {
    let current: CurrentRole =
        diesel::sql_query("SELECT CURRENT_ROLE() AS role").get_result(conn)?;
    let current = current.role.map(|role| grants::ident(&role));
    let own = show_grants(conn, "SHOW GRANTS")?;
    let roles = granted_roles(&own, account);
    let mut lines: Vec<Line> = own
        .into_iter()
        .map(|line| (line, current.clone()))
        .collect();
    let mut each = || -> Result<(), diesel::result::Error> {
        for role in &roles {
            // `SET ROLE` takes no bind value; the name is one the server
            // printed, quoted again.
            conn.batch_execute(&format!("SET ROLE {role}"))?;
            lines.extend(
                show_grants(conn, "SHOW GRANTS")?
                    .into_iter()
                    .map(|line| (line, Some(role.clone()))),
            );
        }
        Ok(())
    };
    let read = each();
    let restore = conn.batch_execute(&format!(
        "SET ROLE {}",
        current.as_deref().unwrap_or("NONE")
    ));
    read.and(restore)?;
    Ok(lines)
}

/// MySQL 8: the account's own lines, then each granted (or mandatory) role's
/// through `USING`, which adds the role's privileges to the account's lines.
#[allow(clippy::disallowed_methods)]
fn mysql_lines(
    conn: &mut impl CatalogConnection,
    account: &Account,
) -> Result<Vec<Line>, diesel::result::Error> {
    let own = show_grants(conn, "SHOW GRANTS FOR CURRENT_USER()")?;
    let mut roles = granted_roles(&own, account);
    let mandatory: MandatoryRoles =
        diesel::sql_query("SELECT @@GLOBAL.mandatory_roles AS roles").get_result(conn)?;
    roles.extend(
        mandatory
            .roles
            .iter()
            .flat_map(|list| list.split(','))
            .filter_map(mandatory_role),
    );
    let mut lines: Vec<Line> = own.iter().map(|line| (line.clone(), None)).collect();
    for role in roles {
        // `USING` takes no bind value; the name is one the server printed,
        // quoted again.
        let with_role = show_grants(
            conn,
            &format!("SHOW GRANTS FOR CURRENT_USER() USING {role}"),
        )?;
        lines.extend(
            with_role
                .into_iter()
                .filter(|line| !own.contains(line))
                .map(|line| (line, Some(role.clone()))),
        );
    }
    Ok(lines)
}

/// A role of `mandatory_roles` (`r`, `r@%`, `` `r`@`%` ``), quoted.
fn mandatory_role(item: &str) -> Option<String> {
    let item = item.trim();
    if item.is_empty() {
        return None;
    }
    let unquote = |part: &str| part.trim().trim_matches(['`', '\'', '"']).to_owned();
    let (name, host) = match item.rsplit_once('@') {
        Some((name, host)) => (unquote(name), unquote(host)),
        None => (unquote(item), "%".to_owned()),
    };
    Some(
        Grantee {
            name,
            host: Some(host),
            public: false,
        }
        .sql(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reading_and_writing_rows_of_the_application_database_passes() {
        let app = Object::Database("app".to_owned());
        let table = Object::Table {
            database: "app".to_owned(),
            table: "accounts".to_owned(),
        };
        for privilege in ["SELECT", "INSERT", "UPDATE", "DELETE"] {
            assert!(classify(&app, privilege, "app", None).is_none());
            assert!(classify(&table, privilege, "app", None).is_none());
        }
        for privilege in [
            "CREATE",
            "TRIGGER",
            "CREATE TEMPORARY TABLES",
            "ALL PRIVILEGES",
        ] {
            assert!(classify(&app, privilege, "app", None).is_some());
        }
        assert!(classify(&Object::Global, "USAGE", "app", None).is_none());
        assert!(classify(&Object::Global, "SELECT", "app", None).is_some());
    }

    #[test]
    fn a_pattern_that_covers_a_system_schema_or_the_audit_database_is_refused() {
        let granted = Granted {
            privilege: String::new(),
            object: String::new(),
            grantee: String::new(),
            role: None,
            account: String::new(),
        };
        let problem = |object: &Object, audit| {
            classify(object, "SELECT", "app", audit).map(|p| p(granted.clone()))
        };
        assert!(matches!(
            problem(&Object::Database("%".to_owned()), None),
            Some(MysqlIsolationProblem::SystemSchemaPrivilege(_))
        ));
        assert!(matches!(
            problem(&Object::Database("aud%".to_owned()), Some("audit")),
            Some(MysqlIsolationProblem::AuditDatabasePrivilege(_))
        ));
        assert!(matches!(
            problem(&Object::Database("other".to_owned()), Some("audit")),
            Some(MysqlIsolationProblem::OtherDatabasePrivilege(_))
        ));
        assert!(problem(&Object::Database("app".to_owned()), Some("audit")).is_none());
    }

    #[test]
    fn mandatory_roles_are_quoted() {
        assert_eq!(mandatory_role(" r1@% "), Some("`r1`@`%`".to_owned()));
        assert_eq!(mandatory_role("`r2`@`h`"), Some("`r2`@`h`".to_owned()));
        assert_eq!(mandatory_role("r3"), Some("`r3`@`%`".to_owned()));
        assert_eq!(mandatory_role(""), None);
    }
}
