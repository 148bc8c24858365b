//! The start-up check on MariaDB (`tenant_diesel::mysql::verify_isolation`):
//! the test schema and an account with `SELECT, INSERT, UPDATE, DELETE` on its
//! database pass; each misconfiguration, made here as root, is reported as
//! its own problem, with the fix in the error's message.
//!
//! Each test has its own database and account (`TestDb::with_own_user`), so
//! that what one grants no other sees; the one that grants to `PUBLIC` runs
//! alone.
#![allow(clippy::disallowed_methods)]

use std::sync::{RwLock, RwLockReadGuard};

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use tenant_diesel::mysql::{verify_isolation, MysqlChecks, MysqlIsolationError};
use tenant_diesel::mysql::{Granted, MysqlIsolationProblem as Problem};
use tenant_diesel::prelude::*;
use tenant_diesel::DeclaredTables;
use tenant_diesel_tests::mysql::TestDb;
use tenant_diesel_tests::{
    accounts, accounts_everyone, comments, invoices, notes, plans, shared_settings, subscriptions,
    tenants,
};

mod schema {
    // A shared table whose foreign key reaches a tenant table.
    diesel::table! {
        account_tags (id) {
            id -> BigInt,
            owner -> BigInt,
            account_id -> BigInt,
        }
    }

    // A tenant table with a text tenant column, as `diesel print-schema`
    // writes a `CHAR(36)` column.
    diesel::table! {
        docs (tenant_id, id) {
            tenant_id -> Text,
            id -> BigInt,
        }
    }
}

use schema::{account_tags, docs};

global_table!(account_tags(id, owner, account_id));

#[derive(Queryable, Selectable, TenantScoped)]
#[diesel(table_name = docs)]
#[allow(dead_code)]
struct Doc {
    tenant_id: String,
    id: i64,
}

/// Grants to `PUBLIC` reach every account of the server: that test takes this
/// for writing, every other for reading.
static PUBLIC_GRANTS: RwLock<()> = RwLock::new(());

fn alone_with_public() -> RwLockReadGuard<'static, ()> {
    PUBLIC_GRANTS.read().unwrap_or_else(|e| e.into_inner())
}

fn declared() -> DeclaredTables {
    DeclaredTables::new()
        .tenant_table::<accounts::table>()
        .tenant_table::<invoices::table>()
        .tenant_table::<notes::table>()
        .tenant_table::<comments::table>()
        .tenant_table::<subscriptions::table>()
        .global_table::<plans::table>()
        .global_table::<tenants::table>()
}

/// A fresh database and account, with `sql` run as root.
fn database_with(sql: &str) -> TestDb {
    let mut db = TestDb::with_own_user();
    let sql = sql
        .replace("{db}", &db.name)
        .replace("{user}", &format!("'{}'@'localhost'", db.user));
    if !sql.is_empty() {
        db.observer
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    // A database's grants reach an open session only at its next `USE`.
    db.reconnect_app();
    db
}

/// The problems and the error's message; none for a pass.
fn verify(db: &mut TestDb, checks: &MysqlChecks) -> (Vec<Problem>, String) {
    match verify_isolation(&mut db.app, checks) {
        Ok(()) => (Vec::new(), String::new()),
        Err(error @ MysqlIsolationError::Unsafe(_)) => {
            let message = error.to_string();
            let MysqlIsolationError::Unsafe(problems) = error else {
                unreachable!()
            };
            (problems, message)
        }
        Err(other) => panic!("the check could not run: {other}"),
    }
}

fn granted(problem: &Problem) -> Option<&Granted> {
    match problem {
        Problem::GlobalPrivilege(g)
        | Problem::SchemaPrivilege(g)
        | Problem::SystemSchemaPrivilege(g)
        | Problem::AuditDatabasePrivilege(g)
        | Problem::OtherDatabasePrivilege(g)
        | Problem::RoutinePrivilege(g)
        | Problem::Proxy(g)
        | Problem::GrantOption(g) => Some(g),
        _ => None,
    }
}

fn account(db: &TestDb) -> String {
    format!("`{}`@`localhost`", db.user)
}

#[test]
fn the_test_schema_and_an_account_that_reads_and_writes_rows_pass() {
    let _public = alone_with_public();
    let mut db = database_with("");
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(problems, Vec::new(), "{message}");
    // The same, with an audit database the account cannot reach.
    let mut db = database_with("CREATE DATABASE {db}_audit");
    let checks = MysqlChecks::new(declared()).audit_database(format!("{}_audit", db.name));
    let (problems, message) = verify(&mut db, &checks);
    assert_eq!(problems, Vec::new(), "{message}");
}

#[test]
fn a_global_privilege_is_refused() {
    let _public = alone_with_public();
    let mut db = database_with("GRANT SUPER, PROCESS ON *.* TO {user}");
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let global: Vec<&str> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::GlobalPrivilege(g) => Some(g.privilege.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(global, ["PROCESS", "SUPER"], "{message}");
    assert_eq!(problems.len(), 2, "{message}");
    assert!(
        message.contains(&format!("REVOKE SUPER ON *.* FROM {}", account(&db))),
        "{message}"
    );
}

#[test]
fn every_privilege_beyond_reading_and_writing_rows_of_the_database_is_refused() {
    let _public = alone_with_public();
    // Not SHOW VIEW: with it, the whole set prints as ALL PRIVILEGES.
    let ddl = [
        "CREATE",
        "DROP",
        "ALTER",
        "INDEX",
        "REFERENCES",
        "CREATE VIEW",
        "TRIGGER",
        "CREATE ROUTINE",
        "ALTER ROUTINE",
        "EXECUTE",
        "EVENT",
        "LOCK TABLES",
        "CREATE TEMPORARY TABLES",
        "DELETE HISTORY",
    ];
    let mut db = database_with(&format!("GRANT {} ON {{db}}.* TO {{user}}", ddl.join(", ")));
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let mut refused: Vec<&str> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::SchemaPrivilege(g) if g.object == format!("`{}`.*", db.name) => {
                Some(g.privilege.as_str())
            }
            _ => None,
        })
        .collect();
    refused.sort();
    let mut expected = ddl.to_vec();
    expected.sort();
    assert_eq!(refused, expected, "{message}");
    assert_eq!(problems.len(), ddl.len(), "{message}");
    assert!(
        message.contains(&format!(
            "REVOKE CREATE TEMPORARY TABLES ON `{}`.* FROM {}",
            db.name,
            account(&db)
        )),
        "{message}"
    );
    assert!(
        message.contains("shadows it for the rest of the session"),
        "{message}"
    );
    // Every privilege, as MariaDB prints it.
    let mut db = database_with("GRANT ALL PRIVILEGES ON {db}.* TO {user}");
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert!(
        matches!(problems.as_slice(), [Problem::SchemaPrivilege(g)] if g.privilege == "ALL PRIVILEGES"),
        "{message}"
    );
}

#[test]
fn table_and_column_privileges_beyond_rows_are_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "GRANT TRIGGER ON {db}.accounts TO {user}; GRANT REFERENCES (id) ON {db}.notes TO {user}; \
         GRANT SELECT (id), UPDATE (name) ON {db}.accounts TO {user}",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let mut refused: Vec<(&str, &str)> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::SchemaPrivilege(g) => Some((g.privilege.as_str(), g.object.as_str())),
            _ => None,
        })
        .collect();
    refused.sort();
    let accounts = format!("`{}`.`accounts`", db.name);
    let notes = format!("`{}`.`notes`", db.name);
    assert_eq!(
        refused,
        [
            ("REFERENCES (`id`)", notes.as_str()),
            ("TRIGGER", accounts.as_str())
        ],
        "{message}"
    );
    assert_eq!(problems.len(), 2, "{message}");
    assert!(
        message.contains(&format!(
            "REVOKE TRIGGER ON {accounts} FROM {}",
            account(&db)
        )),
        "{message}"
    );
}

/// A temporary table shadows the tenant table of its name for the rest of the
/// session, on MariaDB as on MySQL: the control for why `CREATE TEMPORARY
/// TABLES` is refused.
#[test]
fn control_a_temporary_table_shadows_a_tenant_table_in_its_session() {
    let _public = alone_with_public();
    let mut db = database_with("GRANT CREATE TEMPORARY TABLES ON {db}.* TO {user}");
    db.app
        .batch_execute(
            "CREATE TEMPORARY TABLE accounts AS SELECT id, 2 AS tenant_id, name, balance FROM accounts",
        )
        .unwrap();
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let count = |conn: &mut diesel::mysql::MysqlConnection| {
        diesel::sql_query("SELECT COUNT(*) AS n FROM accounts WHERE tenant_id = 2")
            .get_result::<Count>(conn)
            .unwrap()
            .n
    };
    let everyone = count(&mut db.observer) + {
        let rows: Count =
            diesel::sql_query("SELECT COUNT(*) AS n FROM accounts WHERE tenant_id <> 2")
                .get_result(&mut db.observer)
                .unwrap();
        rows.n
    };
    assert!(everyone > count(&mut db.observer));
    // Tenant 2's filter now reads every tenant's accounts.
    assert_eq!(count(&mut db.app), everyone);
    let (problems, _) = verify(&mut db, &MysqlChecks::new(declared()));
    assert!(problems.iter().any(|p| matches!(p,
        Problem::SchemaPrivilege(g) if g.privilege == "CREATE TEMPORARY TABLES")));
}

#[test]
fn a_role_with_ddl_set_as_the_default_role_is_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "CREATE ROLE {db}_ddl; GRANT CREATE, DROP ON {db}.* TO {db}_ddl; \
         GRANT {db}_ddl TO {user}; SET DEFAULT ROLE {db}_ddl FOR {user}",
    );
    let role = format!("`{}_ddl`", db.name);
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let refused: Vec<(&str, &str, Option<&str>)> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::SchemaPrivilege(g) => {
                Some((g.privilege.as_str(), g.grantee.as_str(), g.role.as_deref()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        refused,
        [
            ("CREATE", role.as_str(), Some(role.as_str())),
            ("DROP", role.as_str(), Some(role.as_str()))
        ],
        "{message}"
    );
    assert_eq!(problems.len(), 2, "{message}");
    assert!(
        message.contains(&format!("REVOKE CREATE ON `{}`.* FROM {role}", db.name)),
        "{message}"
    );
    assert!(
        message.contains(&format!("REVOKE {role} FROM {}", account(&db))),
        "{message}"
    );
}

#[test]
fn a_role_the_account_can_enable_counts_at_any_depth_and_the_session_keeps_its_role() {
    let _public = alone_with_public();
    let mut db = database_with(
        "CREATE ROLE {db}_outer; CREATE ROLE {db}_inner; GRANT FILE ON *.* TO {db}_inner; \
         GRANT {db}_inner TO {db}_outer; GRANT {db}_outer TO {user}",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let outer = format!("`{}_outer`", db.name);
    let inner = format!("`{}_inner`", db.name);
    assert_eq!(
        problems,
        [Problem::GlobalPrivilege(Granted {
            privilege: "FILE".to_owned(),
            object: "*.*".to_owned(),
            grantee: inner.clone(),
            role: Some(outer.clone()),
            account: account(&db),
        })],
        "{message}"
    );
    assert!(
        message.contains(&format!("REVOKE FILE ON *.* FROM {inner}")),
        "{message}"
    );
    assert!(
        message.contains(&format!("REVOKE {outer} FROM {}", account(&db))),
        "{message}"
    );
    // The check enabled the role to read its grants, and the session's own
    // role (none) again after.
    #[derive(QueryableByName)]
    struct Role {
        #[diesel(sql_type = Nullable<Text>)]
        role: Option<String>,
    }
    let role: Role = diesel::sql_query("SELECT CURRENT_ROLE() AS role")
        .get_result(&mut db.app)
        .unwrap();
    assert_eq!(role.role, None);
}

#[test]
fn grant_option_is_refused() {
    let _public = alone_with_public();
    let mut db = database_with("GRANT SELECT ON {db}.* TO {user} WITH GRANT OPTION");
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(
        problems,
        [Problem::GrantOption(Granted {
            privilege: "GRANT OPTION".to_owned(),
            object: format!("`{}`.*", db.name),
            grantee: account(&db),
            role: None,
            account: account(&db),
        })],
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "REVOKE GRANT OPTION ON `{}`.* FROM {}",
            db.name,
            account(&db)
        )),
        "{message}"
    );
}

#[test]
fn a_role_with_admin_option_is_refused() {
    let _public = alone_with_public();
    let mut db =
        database_with("CREATE ROLE {db}_reader; GRANT {db}_reader TO {user} WITH ADMIN OPTION");
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let role = format!("`{}_reader`", db.name);
    assert_eq!(
        problems,
        [Problem::RoleAdminOption {
            role: role.clone(),
            grantee: account(&db),
        }],
        "{message}"
    );
    let fix = format!("REVOKE ADMIN OPTION FOR {role} FROM {}", account(&db));
    assert!(message.contains(&fix), "{message}");
    // The printed fix is one MariaDB takes, and the check then passes.
    db.observer.batch_execute(&fix).unwrap();
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(problems, [], "{message}");
}

#[test]
fn privileges_on_the_system_schemas_are_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "GRANT SELECT ON mysql.global_priv TO {user}; GRANT SELECT ON performance_schema.* TO {user}",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let mut objects: Vec<&str> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::SystemSchemaPrivilege(g) => Some(g.object.as_str()),
            _ => None,
        })
        .collect();
    objects.sort();
    assert_eq!(
        objects,
        ["`mysql`.`global_priv`", "`performance_schema`.*"],
        "{message}"
    );
    assert_eq!(problems.len(), 2, "{message}");
    assert!(
        message.contains(&format!(
            "REVOKE SELECT ON `mysql`.`global_priv` FROM {}",
            account(&db)
        )),
        "{message}"
    );
}

#[test]
fn any_privilege_on_the_audit_database_is_refused_and_on_another_database_too() {
    let _public = alone_with_public();
    let mut db =
        database_with("CREATE DATABASE {db}_audit; GRANT INSERT ON {db}_audit.* TO {user}");
    let audit = format!("{}_audit", db.name);
    let expected = Granted {
        privilege: "INSERT".to_owned(),
        object: format!("`{audit}`.*"),
        grantee: account(&db),
        role: None,
        account: account(&db),
    };
    let checks = MysqlChecks::new(declared()).audit_database(&audit);
    let (problems, message) = verify(&mut db, &checks);
    assert_eq!(
        problems,
        [Problem::AuditDatabasePrivilege(expected.clone())],
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "REVOKE INSERT ON `{audit}`.* FROM {}",
            account(&db)
        )),
        "{message}"
    );
    assert!(message.contains("an account of its own"), "{message}");
    // Not named as the audit database, it is another database.
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(
        problems,
        [Problem::OtherDatabasePrivilege(expected)],
        "{message}"
    );
}

#[test]
fn routine_and_proxy_privileges_are_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "CREATE PROCEDURE {db}.everything() SQL SECURITY DEFINER SELECT COUNT(*) FROM {db}.accounts; \
         GRANT EXECUTE ON PROCEDURE {db}.everything TO {user}; GRANT PROXY ON ''@'%' TO {user}",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let kinds: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| match p {
            Problem::RoutinePrivilege(g) => ("routine", g.object.as_str()),
            Problem::Proxy(g) => ("proxy", g.object.as_str()),
            other => panic!("{other}"),
        })
        .collect();
    let procedure = format!("PROCEDURE `{}`.`everything`", db.name);
    assert_eq!(
        kinds,
        [("routine", procedure.as_str()), ("proxy", "``@`%`")],
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "REVOKE EXECUTE ON {procedure} FROM {}",
            account(&db)
        )),
        "{message}"
    );
}

#[test]
fn a_grant_to_public_is_refused() {
    let _alone = PUBLIC_GRANTS.write().unwrap_or_else(|e| e.into_inner());
    let mut db = database_with("GRANT CREATE TEMPORARY TABLES ON {db}.* TO PUBLIC");
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    db.observer
        .batch_execute(&format!(
            "REVOKE CREATE TEMPORARY TABLES ON {}.* FROM PUBLIC",
            db.name
        ))
        .unwrap();
    let grantees: Vec<(&str, &str)> = problems
        .iter()
        .filter_map(granted)
        .map(|g| (g.privilege.as_str(), g.grantee.as_str()))
        .collect();
    assert_eq!(
        grantees,
        [("CREATE TEMPORARY TABLES", "PUBLIC")],
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "REVOKE CREATE TEMPORARY TABLES ON `{}`.* FROM PUBLIC",
            db.name
        )),
        "{message}"
    );
}

#[test]
fn declared_tables_missing_from_the_database_are_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "DROP TABLE invoices; SET FOREIGN_KEY_CHECKS = 0; DROP TABLE plans; SET FOREIGN_KEY_CHECKS = 1",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(
        problems,
        [
            Problem::MissingTenantTable("invoices".to_owned()),
            Problem::MissingSharedTable("plans".to_owned())
        ],
        "{message}"
    );
    assert!(
        message.contains("tenant table `invoices` is not in the database"),
        "{message}"
    );
}

#[test]
fn a_tenant_table_without_its_tenant_column_is_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "DROP TABLE invoices; CREATE TABLE invoices (owner BIGINT NOT NULL, id BIGINT NOT NULL, \
         account_id BIGINT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (owner, id))",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    let missing = Problem::MissingTenantColumn {
        table: "invoices".to_owned(),
        column: "tenant_id".to_owned(),
    };
    assert!(problems.contains(&missing), "{message}");
    assert!(
        message.contains("tenant table `invoices` has no tenant column `tenant_id`"),
        "{message}"
    );
}

#[test]
fn a_unique_key_without_the_tenant_is_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "CREATE UNIQUE INDEX account_balance ON accounts (balance); \
         CREATE TABLE docs (tenant_id CHAR(36) COLLATE utf8mb4_bin NOT NULL, id BIGINT NOT NULL, \
                            PRIMARY KEY (tenant_id, id), UNIQUE KEY doc_prefix (tenant_id(8), id))",
    );
    let checks = MysqlChecks::new(declared().tenant_table::<docs::table>());
    let (problems, message) = verify(&mut db, &checks);
    assert_eq!(
        problems,
        [
            Problem::UniqueKeyWithoutTenant {
                table: "accounts".to_owned(),
                key: "account_balance".to_owned(),
                columns: vec!["balance".to_owned()],
                tenant_column: "tenant_id".to_owned(),
                auto_increment: None,
            },
            Problem::UniqueKeyWithoutTenant {
                table: "docs".to_owned(),
                key: "doc_prefix".to_owned(),
                columns: vec!["tenant_id(8)".to_owned(), "id".to_owned()],
                tenant_column: "tenant_id".to_owned(),
                auto_increment: None,
            },
        ],
        "{message}"
    );
    assert!(
        message.contains("ALTER TABLE `accounts` DROP INDEX `account_balance`, ADD UNIQUE KEY `account_balance` (`tenant_id`, `balance`)"),
        "{message}"
    );
    assert!(
        message.contains("ADD UNIQUE KEY `doc_prefix` (`tenant_id`, `id`)"),
        "{message}"
    );
}

/// The common `id BIGINT AUTO_INCREMENT PRIMARY KEY` is refused, as a
/// single-column primary key is on PostgreSQL; the printed fix is accepted by
/// InnoDB (which needs an index led by the `AUTO_INCREMENT` column) and passes.
#[test]
fn an_auto_increment_id_primary_key_is_refused_and_its_fix_passes() {
    let _public = alone_with_public();
    let mut db = database_with(
        "DROP TABLE invoices; CREATE TABLE invoices (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         tenant_id BIGINT NOT NULL, account_id BIGINT NOT NULL, amount BIGINT NOT NULL)",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(
        problems,
        [Problem::UniqueKeyWithoutTenant {
            table: "invoices".to_owned(),
            key: "PRIMARY".to_owned(),
            columns: vec!["id".to_owned()],
            tenant_column: "tenant_id".to_owned(),
            auto_increment: Some("id".to_owned()),
        }],
        "{message}"
    );
    let fix = "ALTER TABLE `invoices` DROP PRIMARY KEY, ADD PRIMARY KEY (`tenant_id`, `id`), ADD KEY (`id`)";
    assert!(message.contains(fix), "{message}");
    db.observer.batch_execute(fix).unwrap();
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(problems, [], "{message}");
}

#[test]
fn a_foreign_key_between_tenant_tables_without_the_tenant_is_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "ALTER TABLE accounts ADD KEY account_id (id); SET FOREIGN_KEY_CHECKS = 0; \
         ALTER TABLE invoices ADD CONSTRAINT invoice_account FOREIGN KEY (account_id) REFERENCES accounts (id); \
         SET FOREIGN_KEY_CHECKS = 1",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(
        problems,
        [Problem::ForeignKeyWithoutTenant {
            table: "invoices".to_owned(),
            constraint: "invoice_account".to_owned(),
            references: "accounts".to_owned(),
            columns: vec!["account_id".to_owned()],
            referenced_columns: vec!["id".to_owned()],
            tenant_column: "tenant_id".to_owned(),
            referenced_tenant_column: "tenant_id".to_owned(),
        }],
        "{message}"
    );
    assert!(
        message.contains("ADD CONSTRAINT `invoice_account` FOREIGN KEY (`tenant_id`, `account_id`) REFERENCES `accounts` (`tenant_id`, `id`)"),
        "{message}"
    );
}

#[test]
fn a_case_insensitive_text_tenant_column_is_refused() {
    let _public = alone_with_public();
    let schema = |collation: &str| {
        format!(
            "CREATE TABLE docs (tenant_id CHAR(36) COLLATE {collation} NOT NULL, id BIGINT NOT NULL, \
             PRIMARY KEY (tenant_id, id))"
        )
    };
    let checks = MysqlChecks::new(declared().tenant_table::<docs::table>());
    let mut db = database_with(&schema("utf8mb4_general_ci"));
    let (problems, message) = verify(&mut db, &checks);
    assert_eq!(
        problems,
        [Problem::TenantColumnCollation {
            table: "docs".to_owned(),
            column: "tenant_id".to_owned(),
            column_type: "char(36)".to_owned(),
            charset: "utf8mb4".to_owned(),
            collation: "utf8mb4_general_ci".to_owned(),
            nullable: false,
        }],
        "{message}"
    );
    assert!(
        message.contains("ALTER TABLE `docs` MODIFY `tenant_id` char(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL"),
        "{message}"
    );
    // Its control: the binary collation passes.
    let mut db = database_with(&schema("utf8mb4_bin"));
    let (problems, message) = verify(&mut db, &checks);
    assert_eq!(problems, [], "{message}");
}

#[test]
fn shared_tables_that_are_a_tenants_are_refused() {
    let _public = alone_with_public();
    let mut db = database_with(
        "CREATE TABLE shared_settings (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL); \
         CREATE TABLE account_tags (id BIGINT PRIMARY KEY, owner BIGINT NOT NULL, account_id BIGINT NOT NULL, \
                                    FOREIGN KEY (owner, account_id) REFERENCES accounts (tenant_id, id))",
    );
    let checks = MysqlChecks::new(
        declared()
            .global_table::<accounts_everyone::table>()
            .global_table::<shared_settings::table>()
            .global_table::<account_tags::table>(),
    );
    let (problems, message) = verify(&mut db, &checks);
    assert_eq!(
        problems,
        [
            Problem::SharedTableIsATenantTable("accounts".to_owned()),
            Problem::SharedTableWithTenantColumn {
                table: "shared_settings".to_owned(),
                column: "tenant_id".to_owned(),
            },
            Problem::SharedTableReferencesATenantTable {
                table: "account_tags".to_owned(),
                parent: "accounts".to_owned(),
                foreign_key: "owner, account_id".to_owned(),
            },
        ],
        "{message}"
    );
    assert!(
        message.contains("derive TenantScoped on its model"),
        "{message}"
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let _public = alone_with_public();
    let mut db = database_with(
        "GRANT SUPER ON *.* TO {user}; CREATE UNIQUE INDEX account_balance ON accounts (balance)",
    );
    let (problems, message) = verify(&mut db, &MysqlChecks::new(declared()));
    assert_eq!(problems.len(), 2, "{message}");
    assert!(message.starts_with("refusing to start"), "{message}");
    assert_eq!(message.matches("\n  - ").count(), 2, "{message}");
}

#[test]
fn a_connection_without_a_database_is_refused() {
    let _public = alone_with_public();
    let db = database_with("");
    let mut conn = tenant_diesel_tests::mysql::MysqlServer::shared().connect(&db.user, "");
    let problems = match verify_isolation(&mut conn, &MysqlChecks::new(declared())) {
        Err(MysqlIsolationError::Unsafe(problems)) => problems,
        other => panic!("{other:?}"),
    };
    assert_eq!(problems, [Problem::NoDatabase]);
}
