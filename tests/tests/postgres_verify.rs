//! `verify_isolation` against real misconfigurations: for each way the database
//! wall can fail, a fresh database is broken that way by its owner and the check,
//! run as the application's role, must name exactly that problem; beside it, a
//! control (the same database before, or the fixed form) that it must accept.
//!
//! These tests play the database administrator, so they write raw SQL on purpose.
//! Roles are cluster-wide: a test that changes a role makes its own (named after
//! its database) and never touches `app_user`'s memberships or attributes.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use tenant_diesel::postgres::{
    rls_up_statements, same_tenant_foreign_key_sql, verify_isolation, IsolationError,
    IsolationProblem, RlsMigrations, RlsTable, WallFunctionFault,
};
use tenant_diesel::TenantSetting;
use tenant_diesel_tests::postgres::{rls_migrations, PgServer, TestDb};
use tenant_diesel_tests::*;

use IsolationProblem as P;

fn problems(result: Result<(), IsolationError>) -> Vec<IsolationProblem> {
    match result {
        Ok(()) => Vec::new(),
        Err(IsolationError::Unsafe { problems, .. }) => problems,
        Err(other) => panic!("{other}"),
    }
}

/// A fresh database and a way to change it as its owner and check it.
struct Db {
    db: TestDb,
}

impl Db {
    fn new() -> Self {
        Self { db: TestDb::new() }
    }

    /// Runs `sql` as the tables' owner; `{db}` is replaced by the database's name.
    fn owner(&mut self, sql: &str) -> &mut Self {
        let sql = sql.replace("{db}", &self.db.name);
        self.db
            .observer
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        self
    }

    /// The problems found for `app_user` with the test schema's migrations.
    fn check(&mut self) -> Vec<IsolationProblem> {
        self.check_with(&rls_migrations())
    }

    fn check_with(&mut self, rls: &RlsMigrations) -> Vec<IsolationProblem> {
        problems(verify_isolation(&mut self.db.app, rls))
    }

    /// The problems found for another role (`{db}` replaced).
    fn check_as(&mut self, role: &str) -> Vec<IsolationProblem> {
        let role = role.replace("{db}", &self.db.name);
        let mut conn: PgConnection = PgServer::shared().connect(&role, &self.db.name);
        problems(verify_isolation(&mut conn, &rls_migrations()))
    }

    fn name(&self) -> String {
        self.db.name.clone()
    }
}

fn s(text: &str) -> String {
    text.to_owned()
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| s(t)).collect()
}

/// A login role of this database's own, with the application's rights on the
/// test tables, for the tests that change a role.
const APP_LIKE: &str = "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO";

// ---------------------------------------------------------------- the good setup

#[test]
fn verify_isolation_accepts_the_good_setup() {
    let mut db = Db::new();
    assert_eq!(db.check(), []);
    // A view that runs with the caller's rights is fine too.
    db.owner(
        "CREATE VIEW rich AS SELECT * FROM accounts WHERE balance > 100;
         ALTER VIEW rich SET (security_invoker = true);",
    );
    assert_eq!(db.check(), []);
}

// ---------------------------------------------------------------- roles (existing)

#[test]
fn verify_isolation_rejects_a_superuser_and_a_bypassrls_role() {
    let mut db = Db::new();
    assert!(db.check_as("postgres").contains(&P::Superuser));
    db.owner(&format!(
        "CREATE ROLE bypass_{{db}} LOGIN BYPASSRLS; {APP_LIKE} bypass_{{db}};"
    ));
    assert_eq!(db.check_as("bypass_{db}"), [P::BypassRls]);
}

#[test]
fn verify_isolation_rejects_a_role_that_owns_a_tenant_table() {
    let mut db = Db::new();
    db.owner("CREATE ROLE owner_{db} LOGIN;");
    // Control: the same role, owning nothing.
    assert_eq!(db.check_as("owner_{db}"), []);
    db.owner("ALTER TABLE notes OWNER TO owner_{db};");
    assert_eq!(db.check_as("owner_{db}"), [P::OwnsTable(s("notes"))]);
}

// ---------------------------------------------------------------- 8. memberships

#[test]
fn verify_isolation_rejects_a_member_of_a_bypassrls_role_through_a_group() {
    let mut db = Db::new();
    db.owner(&format!(
        "CREATE ROLE member_{{db}} LOGIN; {APP_LIKE} member_{{db}};
         CREATE ROLE boss_{{db}} NOLOGIN BYPASSRLS; CREATE ROLE group_{{db}} NOLOGIN;
         GRANT boss_{{db}} TO group_{{db}};"
    ));
    // Control: not a member yet.
    assert_eq!(db.check_as("member_{db}"), []);
    db.owner("GRANT group_{db} TO member_{db};");
    let n = db.name();
    assert_eq!(
        db.check_as("member_{db}"),
        [P::MemberOfPrivilegedRole {
            role: format!("boss_{n}"),
            attribute: s("BYPASSRLS"),
            path: vec![
                format!("member_{n}"),
                format!("group_{n}"),
                format!("boss_{n}")
            ],
        }]
    );
}

#[test]
fn verify_isolation_rejects_a_member_of_a_superuser_role_even_without_inherit() {
    let mut db = Db::new();
    db.owner(&format!(
        "CREATE ROLE member_{{db}} LOGIN NOINHERIT; {APP_LIKE} member_{{db}};
         CREATE ROLE root_{{db}} NOLOGIN SUPERUSER;"
    ));
    assert_eq!(db.check_as("member_{db}"), []);
    db.owner("GRANT root_{db} TO member_{db};");
    let n = db.name();
    let found = db.check_as("member_{db}");
    assert_eq!(
        found,
        [P::MemberOfPrivilegedRole {
            role: format!("root_{n}"),
            attribute: s("SUPERUSER"),
            path: vec![format!("member_{n}"), format!("root_{n}")],
        }]
    );
    let text = found[0].to_string();
    assert!(
        text.contains(&format!("REVOKE root_{n} FROM member_{n}")),
        "{text}"
    );
}

// ---------------------------------------------------------------- 9. CREATEROLE

#[test]
fn verify_isolation_rejects_a_role_with_createrole() {
    let mut db = Db::new();
    db.owner(&format!(
        "CREATE ROLE creator_{{db}} LOGIN NOCREATEROLE; {APP_LIKE} creator_{{db}};"
    ));
    assert_eq!(db.check_as("creator_{db}"), []);
    db.owner("ALTER ROLE creator_{db} CREATEROLE;");
    let n = db.name();
    let found = db.check_as("creator_{db}");
    assert_eq!(
        found,
        [P::CreateRole {
            role: format!("creator_{n}")
        }]
    );
    assert!(found[0]
        .to_string()
        .contains(&format!("ALTER ROLE creator_{n} NOCREATEROLE")));
}

// ---------------------------------------------------------------- 10. TEMPORARY

#[test]
fn verify_isolation_rejects_temporary_objects_on_the_database() {
    let mut db = Db::new();
    // Control: the harness revokes TEMPORARY from PUBLIC on every test database.
    assert_eq!(db.check(), []);
    db.owner("GRANT TEMPORARY ON DATABASE {db} TO PUBLIC;");
    let n = db.name();
    let found = db.check();
    assert_eq!(
        found,
        [P::TemporaryObjects {
            database: n.clone(),
            grantees: strings(&["PUBLIC"]),
        }]
    );
    assert!(found[0]
        .to_string()
        .contains(&format!("REVOKE TEMPORARY ON DATABASE {n} FROM PUBLIC")));
    db.owner("REVOKE TEMPORARY ON DATABASE {db} FROM PUBLIC; GRANT TEMPORARY ON DATABASE {db} TO app_user;");
    assert_eq!(
        db.check(),
        [P::TemporaryObjects {
            database: n,
            grantees: strings(&["app_user"]),
        }]
    );
}

// ---------------------------------------------------------------- 7. privileges

#[test]
fn verify_isolation_rejects_truncate_trigger_and_references() {
    let mut db = Db::new();
    db.owner("GRANT TRUNCATE, TRIGGER, REFERENCES ON accounts TO app_user;");
    let found = db.check();
    let extra = |privilege: &str| P::ExtraPrivilege {
        table: s("accounts"),
        privilege: s(privilege),
        grantees: strings(&["app_user"]),
    };
    assert_eq!(
        found,
        [extra("REFERENCES"), extra("TRIGGER"), extra("TRUNCATE")]
    );
    assert!(found[2]
        .to_string()
        .contains("REVOKE TRUNCATE ON accounts FROM app_user"));
    // Control: taken back, nothing is left.
    db.owner("REVOKE TRUNCATE, TRIGGER, REFERENCES ON accounts FROM app_user;");
    assert_eq!(db.check(), []);
}

#[test]
fn verify_isolation_counts_privileges_through_public_groups_and_columns() {
    let mut db = Db::new();
    db.owner(&format!(
        "CREATE ROLE member_{{db}} LOGIN; {APP_LIKE} member_{{db}};
         CREATE ROLE group_{{db}} NOLOGIN; GRANT group_{{db}} TO member_{{db}};"
    ));
    assert_eq!(db.check_as("member_{db}"), []);
    db.owner(
        "GRANT TRUNCATE ON notes TO PUBLIC;
         GRANT TRUNCATE ON invoices TO group_{db};
         GRANT REFERENCES (id) ON subscriptions TO member_{db};",
    );
    let n = db.name();
    assert_eq!(
        db.check_as("member_{db}"),
        [
            P::ExtraPrivilege {
                table: s("invoices"),
                privilege: s("TRUNCATE"),
                grantees: vec![format!("group_{n}")],
            },
            P::ExtraPrivilege {
                table: s("notes"),
                privilege: s("TRUNCATE"),
                grantees: strings(&["PUBLIC"]),
            },
            P::ExtraPrivilege {
                table: s("subscriptions"),
                privilege: s("REFERENCES"),
                grantees: vec![format!("member_{n}")],
            },
        ]
    );
}

// ---------------------------------------------------------------- RLS (existing)

#[test]
fn verify_isolation_rejects_missing_rls_force_and_policy() {
    assert_eq!(
        Db::new()
            .owner("ALTER TABLE invoices DISABLE ROW LEVEL SECURITY;")
            .check(),
        [P::RlsDisabled(s("invoices"))]
    );
    assert_eq!(
        Db::new()
            .owner("ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;")
            .check(),
        [P::RlsNotForced(s("invoices"))]
    );
    assert_eq!(
        Db::new()
            .owner("DROP POLICY invoices_tenant_isolation ON invoices;")
            .check(),
        [P::MissingPolicy(s("invoices"))]
    );
    assert_eq!(
        Db::new().owner("DROP TABLE subscriptions;").check(),
        [P::MissingTable(s("subscriptions"))]
    );
}

#[test]
fn verify_isolation_rejects_a_declared_tenant_column_the_table_lacks() {
    let mut db = Db::new();
    let found = db.check_with(&rls_migrations().table(RlsTable::named("plans", "tenant_id")));
    assert!(
        found.contains(&P::MissingTenantColumn {
            table: s("plans"),
            column: s("tenant_id")
        }),
        "{found:?}"
    );
}

// ---------------------------------------------------------------- 11. exact policy

const SIGNED_PREDICATE: &str =
    "(tenant_id = ( SELECT tenant_wall.current_tenant() AS current_tenant))";

#[test]
fn verify_isolation_rejects_a_fail_open_tenant_policy() {
    let mut db = Db::new();
    // Control: the generated policy, dropped and created again by hand, is accepted.
    db.owner(
        "DROP POLICY accounts_tenant_isolation ON accounts;
         CREATE POLICY accounts_tenant_isolation ON accounts
             USING (tenant_id = (SELECT tenant_wall.current_tenant()))
             WITH CHECK (tenant_id = (SELECT tenant_wall.current_tenant()));",
    );
    assert_eq!(db.check(), []);
    // Without a tenant, this one reads every row: it still mentions the column and
    // the verifier, which is all a pattern match would see.
    db.owner(
        "DROP POLICY accounts_tenant_isolation ON accounts;
         CREATE POLICY accounts_tenant_isolation ON accounts
             USING (tenant_id = COALESCE((SELECT tenant_wall.current_tenant()), tenant_id))
             WITH CHECK (tenant_id = COALESCE((SELECT tenant_wall.current_tenant()), tenant_id));",
    );
    let found = db.check();
    assert_eq!(
        found,
        [P::AlteredTenantPolicy {
            table: s("accounts"),
            policy: s("accounts_tenant_isolation"),
            expected: s(SIGNED_PREDICATE),
        }]
    );
    assert!(found[0].to_string().contains(&format!(
        "CREATE POLICY accounts_tenant_isolation ON accounts USING {SIGNED_PREDICATE} WITH CHECK {SIGNED_PREDICATE}"
    )));
}

#[test]
fn verify_isolation_rejects_a_tenant_policy_for_one_command_only() {
    let mut db = Db::new();
    db.owner(
        "DROP POLICY accounts_tenant_isolation ON accounts;
         CREATE POLICY accounts_tenant_isolation ON accounts FOR SELECT
             USING (tenant_id = (SELECT tenant_wall.current_tenant()));",
    );
    assert_eq!(
        db.check(),
        [P::AlteredTenantPolicy {
            table: s("accounts"),
            policy: s("accounts_tenant_isolation"),
            expected: s(SIGNED_PREDICATE),
        }]
    );
}

// ---------------------------------------------------------------- 12. other permissive policies

#[test]
fn verify_isolation_rejects_any_other_permissive_policy() {
    assert_eq!(
        Db::new()
            .owner("CREATE POLICY open_door ON accounts USING (true);")
            .check(),
        [P::PermissivePolicy {
            table: s("accounts"),
            policy: s("open_door")
        }]
    );
    assert_eq!(
        Db::new()
            .owner("CREATE POLICY insert_any ON accounts FOR INSERT WITH CHECK (true);")
            .check(),
        [P::PermissivePolicy {
            table: s("accounts"),
            policy: s("insert_any")
        }]
    );
}

#[test]
fn verify_isolation_accepts_restrictive_policies_and_policies_for_other_roles() {
    let mut db = Db::new();
    db.owner(
        "CREATE POLICY positive ON accounts AS RESTRICTIVE USING (balance > 0);
         CREATE ROLE auditor_{db} NOLOGIN;
         CREATE POLICY auditors ON accounts TO auditor_{db} USING (true);",
    );
    assert_eq!(db.check(), []);
}

// ---------------------------------------------------------------- 13. unsigned mode

/// A table of its own under the unsigned mode's generated policy.
fn unsigned_ledger(db: &mut Db) -> RlsMigrations {
    let rls = RlsMigrations::new("1")
        .table(RlsTable::named("ledger", "tenant_id"))
        .unsigned_tenant();
    db.owner(
        "CREATE TABLE ledger (tenant_id BIGINT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
         GRANT SELECT, INSERT, UPDATE, DELETE ON ledger TO app_user;",
    );
    for statement in rls.up_statements() {
        db.owner(&statement);
    }
    rls
}

const UNSIGNED_PREDICATE: &str =
    "(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::bigint)";

#[test]
fn verify_isolation_reports_the_unsigned_mode() {
    let mut db = Db::new();
    let rls = unsigned_ledger(&mut db);
    let found = db.check_with(&rls);
    // The unsigned policy itself is as generated: the mode is the one problem.
    assert_eq!(
        found,
        [P::UnsignedTenant {
            setting: s("app.tenant_id")
        }]
    );
    assert!(found[0]
        .to_string()
        .contains("set_config('app.tenant_id', '2', true)"));
    // Control: the signed mode (the fixture's) is not reported.
    assert_eq!(db.check(), []);
}

#[test]
fn verify_isolation_rejects_a_fail_open_unsigned_policy() {
    let mut db = Db::new();
    let rls = unsigned_ledger(&mut db);
    db.owner(
        "DROP POLICY ledger_tenant_isolation ON ledger;
         CREATE POLICY ledger_tenant_isolation ON ledger
             USING (tenant_id = COALESCE(NULLIF(current_setting('app.tenant_id', true), '')::bigint, tenant_id));",
    );
    assert_eq!(
        db.check_with(&rls),
        [
            P::UnsignedTenant {
                setting: s("app.tenant_id")
            },
            P::AlteredTenantPolicy {
                table: s("ledger"),
                policy: s("ledger_tenant_isolation"),
                expected: s(UNSIGNED_PREDICATE),
            },
        ]
    );
}

// ---------------------------------------------------------------- 1. partitions and children

/// A partitioned tenant table `events` with one partition, under the generated
/// (signed) migration, which covers the partitions that exist.
fn events(db: &mut Db) -> RlsMigrations {
    let table = RlsTable::named("events", "tenant_id");
    db.owner(
        "CREATE TABLE events (tenant_id BIGINT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (tenant_id, id))
             PARTITION BY LIST (tenant_id);
         CREATE TABLE events_t1 PARTITION OF events FOR VALUES IN (1);
         GRANT SELECT, INSERT, UPDATE, DELETE ON events, events_t1 TO app_user;",
    );
    for statement in rls_up_statements(&table, &TenantSetting::default()) {
        db.owner(&statement);
    }
    rls_migrations().table(table)
}

#[test]
fn verify_isolation_rejects_a_partition_without_its_own_wall() {
    let mut db = Db::new();
    let rls = events(&mut db);
    // Control: the migration put the wall on the partition that existed.
    assert_eq!(db.check_with(&rls), []);
    // A partition made later has none, and is named directly.
    db.owner(
        "CREATE TABLE events_t2 PARTITION OF events FOR VALUES IN (2);
         GRANT SELECT ON events_t2 TO app_user;",
    );
    let found = db.check_with(&rls);
    assert_eq!(
        found,
        [P::ChildTableWithoutWall {
            table: s("events"),
            child: s("events_t2"),
            rls_enabled: false,
            rls_forced: false,
            tenant_policy: false,
            grantees: strings(&["app_user"]),
        }]
    );
    let text = found[0].to_string();
    assert!(
        text.contains("ALTER TABLE events_t2 ENABLE ROW LEVEL SECURITY;")
            && text.contains("REVOKE ALL ON events_t2 FROM app_user"),
        "{text}"
    );
    // Control: with the role's access taken away, the partition is walled off.
    db.owner("REVOKE ALL ON events_t2 FROM app_user;");
    assert_eq!(db.check_with(&rls), []);
    // Control: the generated statements for the descendants fix it too.
    db.owner("GRANT SELECT ON events_t2 TO app_user;");
    db.owner(&rls.descendants_sql());
    assert_eq!(db.check_with(&rls), []);
}

#[test]
fn verify_isolation_rejects_a_sub_partition_at_any_depth_and_each_missing_part() {
    let mut db = Db::new();
    let rls = events(&mut db);
    db.owner(
        "CREATE TABLE events_t3 PARTITION OF events FOR VALUES IN (3) PARTITION BY RANGE (id);
         CREATE TABLE events_t3_low PARTITION OF events_t3 FOR VALUES FROM (0) TO (100);",
    );
    db.owner(&rls.descendants_sql());
    assert_eq!(db.check_with(&rls), []);
    db.owner(
        "GRANT SELECT ON events_t3_low TO app_user;
         ALTER TABLE events_t3_low NO FORCE ROW LEVEL SECURITY;",
    );
    assert_eq!(
        db.check_with(&rls),
        [P::ChildTableWithoutWall {
            table: s("events"),
            child: s("events_t3_low"),
            rls_enabled: true,
            rls_forced: false,
            tenant_policy: true,
            grantees: strings(&["app_user"]),
        }]
    );
    db.owner(
        "ALTER TABLE events_t3_low FORCE ROW LEVEL SECURITY;
         DROP POLICY events_t3_low_tenant_isolation ON events_t3_low;",
    );
    assert_eq!(
        db.check_with(&rls),
        [P::ChildTableWithoutWall {
            table: s("events"),
            child: s("events_t3_low"),
            rls_enabled: true,
            rls_forced: true,
            tenant_policy: false,
            grantees: strings(&["app_user"]),
        }]
    );
}

#[test]
fn verify_isolation_rejects_an_inheritance_child_of_a_tenant_table() {
    let mut db = Db::new();
    db.owner("CREATE TABLE accounts_archive () INHERITS (accounts);");
    // Control: the role holds nothing on it.
    assert_eq!(db.check(), []);
    db.owner("GRANT SELECT ON accounts_archive TO app_user;");
    assert_eq!(
        db.check(),
        [P::ChildTableWithoutWall {
            table: s("accounts"),
            child: s("accounts_archive"),
            rls_enabled: false,
            rls_forced: false,
            tenant_policy: false,
            grantees: strings(&["app_user"]),
        }]
    );
}

// ---------------------------------------------------------------- 5. indexes and unique keys

#[test]
fn verify_isolation_rejects_a_unique_key_that_does_not_lead_with_the_tenant() {
    let mut db = Db::new();
    // Control: a unique key per tenant.
    db.owner(
        "ALTER TABLE accounts ADD CONSTRAINT accounts_tenant_name UNIQUE (tenant_id, id, name);",
    );
    assert_eq!(db.check(), []);
    db.owner("ALTER TABLE accounts ADD CONSTRAINT accounts_id_key UNIQUE (id);");
    let found = db.check();
    assert_eq!(
        found,
        [P::UniqueKeyWithoutTenant {
            table: s("accounts"),
            index: s("accounts_id_key"),
            constraint: Some(s("accounts_id_key")),
            definition: s("UNIQUE (id)"),
            tenant_column: s("tenant_id"),
        }]
    );
    let text = found[0].to_string();
    assert!(
        text.contains("ALTER TABLE accounts DROP CONSTRAINT accounts_id_key, ADD CONSTRAINT accounts_id_key UNIQUE (tenant_id, id)"),
        "{text}"
    );
}

#[test]
fn verify_isolation_rejects_a_global_primary_key_and_a_unique_index() {
    let mut db = Db::new();
    db.owner(
        "ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_pkey, ADD PRIMARY KEY (id);
         CREATE UNIQUE INDEX notes_body ON notes (body);",
    );
    let found = db.check();
    assert_eq!(
        found,
        [
            P::UniqueKeyWithoutTenant {
                table: s("notes"),
                index: s("notes_body"),
                constraint: None,
                definition: s("CREATE UNIQUE INDEX notes_body ON public.notes USING btree (body)"),
                tenant_column: s("tenant_id"),
            },
            P::UniqueKeyWithoutTenant {
                table: s("subscriptions"),
                index: s("subscriptions_pkey"),
                constraint: Some(s("subscriptions_pkey")),
                definition: s("PRIMARY KEY (id)"),
                tenant_column: s("tenant_id"),
            },
        ]
    );
    let text = found[0].to_string();
    assert!(
        text.contains("DROP INDEX notes_body; CREATE UNIQUE INDEX notes_body ON public.notes USING btree (tenant_id, body)"),
        "{text}"
    );
}

#[test]
fn verify_isolation_rejects_an_index_that_does_not_lead_with_the_tenant() {
    let mut db = Db::new();
    // Controls: a tenant-leading index, and a full-text index, whose operator
    // is not leakproof and so only runs after the policy.
    db.owner(
        "CREATE INDEX accounts_tenant_balance ON accounts (tenant_id, balance);
         CREATE INDEX accounts_words ON accounts USING gin (to_tsvector('simple', name));",
    );
    assert_eq!(db.check(), []);
    db.owner(
        "CREATE INDEX accounts_balance ON accounts (balance);
         CREATE INDEX accounts_name_hash ON accounts USING hash (name);",
    );
    let found = db.check();
    assert_eq!(
        found,
        [
            P::IndexWithoutTenant {
                table: s("accounts"),
                index: s("accounts_balance"),
                definition: s(
                    "CREATE INDEX accounts_balance ON public.accounts USING btree (balance)"
                ),
                tenant_column: s("tenant_id"),
            },
            P::IndexWithoutTenant {
                table: s("accounts"),
                index: s("accounts_name_hash"),
                definition: s(
                    "CREATE INDEX accounts_name_hash ON public.accounts USING hash (name)"
                ),
                tenant_column: s("tenant_id"),
            },
        ]
    );
    let text = found[0].to_string();
    assert!(
        text.contains("DROP INDEX accounts_balance; CREATE INDEX accounts_balance ON public.accounts USING btree (tenant_id, balance)"),
        "{text}"
    );
}

// ---------------------------------------------------------------- 6. foreign keys

#[test]
fn verify_isolation_rejects_a_foreign_key_that_does_not_pair_the_tenants() {
    let mut db = Db::new();
    // Control: the composite key the library writes. The seed's invoice 5 (of
    // tenant 1, naming tenant 2's account) has to go before any key can hold.
    db.owner("DELETE FROM invoices WHERE id = 5;");
    db.owner(&same_tenant_foreign_key_sql(
        &RlsTable::named("invoices", "tenant_id"),
        "account_id",
        &RlsTable::named("accounts", "tenant_id"),
        "id",
    ));
    assert_eq!(db.check(), []);
    let mut db = Db::new();
    db.owner(
        "DELETE FROM invoices WHERE id = 5;
         ALTER TABLE accounts ADD CONSTRAINT accounts_id_key UNIQUE (id);
         ALTER TABLE invoices ADD CONSTRAINT invoices_account FOREIGN KEY (account_id) REFERENCES accounts (id);",
    );
    let found = db.check();
    let key = P::ForeignKeyWithoutTenant {
        table: s("invoices"),
        constraint: s("invoices_account"),
        references: s("accounts"),
        columns: strings(&["account_id"]),
        referenced_columns: strings(&["id"]),
        tenant_column: s("tenant_id"),
        referenced_tenant_column: s("tenant_id"),
    };
    // The global key it needs is an oracle of its own.
    assert!(
        matches!(found[0], P::UniqueKeyWithoutTenant { .. }),
        "{found:?}"
    );
    assert_eq!(found[1..], [key]);
    let text = found[1].to_string();
    assert!(
        text.contains("ALTER TABLE invoices DROP CONSTRAINT invoices_account, ADD CONSTRAINT invoices_account FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)"),
        "{text}"
    );
}

#[test]
fn verify_isolation_rejects_a_foreign_key_with_the_tenant_columns_crossed() {
    let mut db = Db::new();
    // The seed's comments happen to satisfy it: note ids and tenant ids are 1 and 2.
    db.owner(
        "ALTER TABLE comments ADD CONSTRAINT crossed FOREIGN KEY (note_id, tenant_id) REFERENCES notes (tenant_id, id);",
    );
    assert_eq!(
        db.check(),
        [P::ForeignKeyWithoutTenant {
            table: s("comments"),
            constraint: s("crossed"),
            references: s("notes"),
            columns: strings(&["note_id", "tenant_id"]),
            referenced_columns: strings(&["tenant_id", "id"]),
            tenant_column: s("tenant_id"),
            referenced_tenant_column: s("tenant_id"),
        }]
    );
}

// ---------------------------------------------------------------- 4. rules

#[test]
fn verify_isolation_rejects_rules_on_or_into_tenant_tables() {
    let mut db = Db::new();
    // Control: a rule that touches no tenant table.
    db.owner(
        "CREATE TABLE inbox (id BIGINT); CREATE TABLE outbox (id BIGINT);
         CREATE RULE forward AS ON INSERT TO inbox DO ALSO INSERT INTO outbox VALUES (NEW.id);",
    );
    assert_eq!(db.check(), []);
    db.owner(
        "CREATE RULE announce AS ON UPDATE TO accounts DO ALSO NOTIFY accounts_changed;
         CREATE RULE touch AS ON INSERT TO inbox DO ALSO UPDATE accounts SET balance = balance WHERE id = NEW.id;",
    );
    assert_eq!(
        db.check(),
        [
            P::RewriteRule {
                table: s("accounts"),
                rule: s("announce")
            },
            P::RewriteRule {
                table: s("inbox"),
                rule: s("touch")
            },
        ]
    );
}

// ---------------------------------------------------------------- 14. views

#[test]
fn verify_isolation_rejects_a_view_without_security_invoker() {
    assert_eq!(
        Db::new()
            .owner("CREATE VIEW everyone AS SELECT * FROM accounts;")
            .check(),
        [P::ViewWithoutSecurityInvoker {
            view: s("everyone"),
            table: s("accounts")
        }]
    );
}

#[test]
fn verify_isolation_accepts_every_spelling_of_security_invoker() {
    let mut db = Db::new();
    for (n, spelling) in ["1", "on", "yes", "true", "TRUE", "t"].iter().enumerate() {
        db.owner(&format!(
            "CREATE VIEW invoker_{n} WITH (security_invoker = {spelling}) AS SELECT * FROM accounts;"
        ));
    }
    assert_eq!(db.check(), []);
    // Control: the spellings of false are definer views.
    db.owner(
        "CREATE VIEW definer_0 WITH (security_invoker = 0) AS SELECT * FROM accounts;
         CREATE VIEW definer_off WITH (security_invoker = off) AS SELECT * FROM accounts;",
    );
    assert_eq!(
        db.check(),
        [
            P::ViewWithoutSecurityInvoker {
                view: s("definer_0"),
                table: s("accounts")
            },
            P::ViewWithoutSecurityInvoker {
                view: s("definer_off"),
                table: s("accounts")
            },
        ]
    );
}

#[test]
fn verify_isolation_accepts_a_definer_view_over_an_invoker_function() {
    let mut db = Db::new();
    // The function runs as the caller, under the policies, even from a definer
    // view; PostgreSQL still records the view's dependency on the columns of
    // `accounts` (the function's row type).
    db.owner(
        "CREATE FUNCTION visible_accounts() RETURNS SETOF accounts LANGUAGE sql STABLE
             AS $$ SELECT * FROM accounts $$;
         CREATE VIEW through_a_function AS SELECT * FROM visible_accounts();",
    );
    assert_eq!(db.check(), []);
    // Control: the same view reading the table itself.
    db.owner("CREATE VIEW directly AS SELECT * FROM visible_accounts() UNION ALL SELECT * FROM accounts;");
    assert_eq!(
        db.check(),
        [P::ViewWithoutSecurityInvoker {
            view: s("directly"),
            table: s("accounts")
        }]
    );
}

#[test]
fn verify_isolation_rejects_a_view_over_a_view_at_any_depth() {
    let mut db = Db::new();
    db.owner(
        "CREATE VIEW inner_view WITH (security_invoker = true) AS SELECT * FROM accounts;
         CREATE VIEW middle_view WITH (security_invoker = true) AS SELECT * FROM inner_view;",
    );
    assert_eq!(db.check(), []);
    db.owner("CREATE VIEW outer_view AS SELECT * FROM middle_view;");
    assert_eq!(
        db.check(),
        [P::ViewWithoutSecurityInvoker {
            view: s("outer_view"),
            table: s("accounts")
        }]
    );
}

#[test]
fn verify_isolation_rejects_a_view_over_a_partition() {
    let mut db = Db::new();
    let rls = events(&mut db);
    db.owner("CREATE VIEW first_tenant_events AS SELECT * FROM events_t1;");
    assert_eq!(
        db.check_with(&rls),
        [P::ViewWithoutSecurityInvoker {
            view: s("first_tenant_events"),
            table: s("events_t1")
        }]
    );
}

// ---------------------------------------------------------------- 2. materialized views

#[test]
fn verify_isolation_rejects_a_readable_materialized_view_of_a_tenant_table() {
    let mut db = Db::new();
    db.owner(
        "CREATE VIEW invoker WITH (security_invoker = true) AS SELECT * FROM accounts;
         CREATE MATERIALIZED VIEW balances AS SELECT tenant_id, sum(balance) AS total FROM invoker GROUP BY 1;",
    );
    // Control: the role cannot read it.
    assert_eq!(db.check(), []);
    db.owner("GRANT SELECT ON balances TO app_user;");
    let found = db.check();
    assert_eq!(
        found,
        [P::MaterializedView {
            view: s("balances"),
            table: s("accounts"),
            grantees: strings(&["app_user"]),
        }]
    );
    assert!(found[0]
        .to_string()
        .contains("DROP MATERIALIZED VIEW balances"));
}

// ---------------------------------------------------------------- 3. SECURITY DEFINER

#[test]
fn verify_isolation_rejects_an_executable_definer_function_of_a_superuser() {
    let mut db = Db::new();
    db.owner(
        "CREATE FUNCTION every_account() RETURNS SETOF accounts LANGUAGE sql SECURITY DEFINER
             AS $$ SELECT * FROM accounts $$;
         REVOKE EXECUTE ON FUNCTION every_account() FROM PUBLIC;",
    );
    // Control: the role cannot execute it.
    assert_eq!(db.check(), []);
    // EXECUTE to PUBLIC is PostgreSQL's default for a new function.
    db.owner("GRANT EXECUTE ON FUNCTION every_account() TO PUBLIC;");
    let found = db.check();
    assert_eq!(
        found,
        [P::DefinerFunction {
            function: s("every_account()"),
            owner: s("postgres"),
            grantees: strings(&["PUBLIC"]),
        }]
    );
    let text = found[0].to_string();
    assert!(
        text.contains("ALTER FUNCTION every_account() SECURITY INVOKER")
            && text.contains("REVOKE EXECUTE ON FUNCTION every_account() FROM PUBLIC"),
        "{text}"
    );
    // Control: the invoker form.
    db.owner("ALTER FUNCTION every_account() SECURITY INVOKER;");
    assert_eq!(db.check(), []);
}

#[test]
fn verify_isolation_rejects_a_definer_function_of_a_tenant_tables_owner() {
    let mut db = Db::new();
    db.owner(
        "CREATE ROLE tables_{db} NOLOGIN;
         CREATE FUNCTION count_notes(t BIGINT) RETURNS BIGINT LANGUAGE sql SECURITY DEFINER
             AS $$ SELECT count(*) FROM notes WHERE tenant_id = t $$;
         ALTER FUNCTION count_notes(BIGINT) OWNER TO tables_{db};",
    );
    // Control: its owner owns no tenant table.
    assert_eq!(db.check(), []);
    db.owner("ALTER TABLE notes OWNER TO tables_{db};");
    let n = db.name();
    assert_eq!(
        db.check(),
        [P::DefinerFunction {
            function: s("count_notes(bigint)"),
            owner: format!("tables_{n}"),
            grantees: strings(&["PUBLIC"]),
        }]
    );
}

#[test]
fn verify_isolation_rejects_a_definer_trigger_on_a_tenant_table() {
    let mut db = Db::new();
    db.owner(
        "CREATE TABLE copies (tenant_id BIGINT, name TEXT);
         CREATE FUNCTION tap() RETURNS trigger LANGUAGE plpgsql
             AS $$ BEGIN INSERT INTO copies VALUES (NEW.tenant_id, NEW.name); RETURN NEW; END $$;
         REVOKE EXECUTE ON FUNCTION tap() FROM PUBLIC;
         CREATE TRIGGER tap AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION tap();",
    );
    // Control: an invoker trigger function runs as the writer.
    assert_eq!(db.check(), []);
    // The role cannot execute it, but every tenant's insert runs it.
    db.owner("ALTER FUNCTION tap() SECURITY DEFINER;");
    assert_eq!(
        db.check(),
        [P::DefinerTrigger {
            table: s("accounts"),
            trigger: s("tap"),
            function: s("tap()"),
            owner: s("postgres"),
        }]
    );
}

#[test]
fn verify_isolation_rejects_a_wall_function_that_is_not_the_generated_one() {
    let current = "tenant_wall.current_tenant()";
    // Control: the good setup's wall functions (fresh database) pass.
    assert_eq!(Db::new().check(), []);
    let mut db = Db::new();
    db.owner(
        "CREATE OR REPLACE FUNCTION tenant_wall.current_tenant() RETURNS bigint
             LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
             AS $wall$ BEGIN RETURN NULLIF(current_setting('app.tenant_id', true), '')::bigint; END $wall$;",
    );
    // The altered verifier also fails on the library's own signed value.
    assert_eq!(
        db.check(),
        [
            P::WallFunctionAltered {
                function: s(current),
                fault: WallFunctionFault::Body,
            },
            P::SignedTenantRefused,
        ]
    );
    let mut db = Db::new();
    db.owner("ALTER FUNCTION tenant_wall.current_tenant() RESET search_path;");
    assert_eq!(
        db.check(),
        [P::WallFunctionAltered {
            function: s(current),
            fault: WallFunctionFault::SearchPath,
        }]
    );
    // A search path that puts a writable schema first, or one more setting
    // beside the pinned path, is not the generated function either.
    for setting in [
        "SET search_path = public, pg_catalog, pg_temp",
        "SET row_security = off",
    ] {
        let mut db = Db::new();
        db.owner(&format!(
            "ALTER FUNCTION tenant_wall.current_tenant_uuid() {setting};"
        ));
        assert_eq!(
            db.check(),
            [P::WallFunctionAltered {
                function: s("tenant_wall.current_tenant_uuid()"),
                fault: WallFunctionFault::SearchPath,
            }],
            "{setting}"
        );
    }
    let mut db = Db::new();
    db.owner("ALTER FUNCTION tenant_wall.assert_clean_session() OWNER TO app_user;");
    assert_eq!(
        db.check(),
        [P::WallFunctionAltered {
            function: s("tenant_wall.assert_clean_session()"),
            fault: WallFunctionFault::OwnedByRole,
        }]
    );
}

#[test]
fn verify_isolation_rejects_a_signing_key_the_role_can_read() {
    let mut db = Db::new();
    db.owner("GRANT SELECT ON tenant_wall.signing_key TO app_user;");
    let found = db.check();
    assert_eq!(
        found,
        [P::SigningKeyExposed {
            table: s("tenant_wall.signing_key"),
            grantees: strings(&["app_user"]),
        }]
    );
    db.owner("REVOKE SELECT ON tenant_wall.signing_key FROM app_user;");
    assert_eq!(db.check(), []);
}

// ---------------------------------------------------------------- shared tables (existing)

/// Class 4: a second `table!` of a tenant table, declared shared. Its control:
/// on SQLite, which has no wall, it reads every tenant (`attack_controls.rs`).
#[test]
fn verify_isolation_refuses_a_tenant_table_declared_shared_under_another_name() {
    let mut db = Db::new();
    assert_eq!(
        db.check_with(
            &rls_migrations()
                .global_table::<plans::table>()
                .global_table::<accounts_everyone::table>()
        ),
        [P::SharedTableIsATenantTable(s("accounts"))]
    );
    // Control: the real shared tables pass.
    assert_eq!(
        db.check_with(
            &rls_migrations()
                .global_table::<plans::table>()
                .global_table::<tenants::table>()
        ),
        []
    );
}

/// Class 4: a shared table with a tenant column, and one under row-level
/// security that no tenant model declares.
#[test]
fn verify_isolation_refuses_a_shared_table_that_says_who_owns_each_row() {
    let mut db = Db::new();
    db.owner(
        "CREATE TABLE shared_settings (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL);
         CREATE TABLE under_rls (id BIGINT PRIMARY KEY);
         ALTER TABLE under_rls ENABLE ROW LEVEL SECURITY;",
    );
    assert_eq!(
        db.check_with(&rls_migrations().global_table::<shared_settings::table>()),
        [P::SharedTableWithTenantColumn {
            table: s("shared_settings"),
            column: s("tenant_id")
        }]
    );
    diesel::table! { under_rls (id) { id -> BigInt, } }
    tenant_diesel::global_table!(under_rls(id));
    assert_eq!(
        db.check_with(&rls_migrations().global_table::<under_rls::table>()),
        [P::SharedTableIsATenantTable(s("under_rls"))]
    );
}

/// A table whose tenant is only reachable through its parent (`team_members`
/// through `teams`), declared shared: it would read every tenant's rows.
#[test]
fn verify_isolation_refuses_a_shared_table_whose_rows_belong_to_a_tenant_table() {
    let mut db = Db::new();
    db.owner(
        "CREATE TABLE team_members (id BIGINT PRIMARY KEY, note_tenant BIGINT NOT NULL, note_id BIGINT NOT NULL,
                                    FOREIGN KEY (note_tenant, note_id) REFERENCES notes (tenant_id, id));
         CREATE TABLE plan_features (id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id));
         GRANT SELECT ON team_members, plan_features TO app_user;",
    );
    diesel::table! { team_members (id) { id -> BigInt, note_tenant -> BigInt, note_id -> BigInt, } }
    diesel::table! { plan_features (id) { id -> BigInt, plan_id -> BigInt, } }
    tenant_diesel::global_table!(
        team_members(id, note_tenant, note_id),
        plan_features(id, plan_id)
    );
    let found = db.check_with(&rls_migrations().global_table::<team_members::table>());
    assert_eq!(
        found,
        [P::SharedTableReferencesATenantTable {
            table: s("team_members"),
            parent: s("notes"),
            foreign_key: s("note_tenant, note_id"),
        }]
    );
    assert!(
        found[0].to_string().contains("ADD COLUMN tenant_id"),
        "{}",
        found[0]
    );
    // Control: a shared table that references a shared table passes.
    assert_eq!(
        db.check_with(&rls_migrations().global_table::<plan_features::table>()),
        []
    );
}

// ---------------------------------------------------------------- the error

#[test]
fn the_isolation_error_names_each_problem() {
    let mut db = TestDb::new();
    db.observer
        .batch_execute(
            "ALTER TABLE notes NO FORCE ROW LEVEL SECURITY; CREATE VIEW v AS SELECT * FROM notes;",
        )
        .unwrap();
    let error = verify_isolation(&mut db.app, &rls_migrations())
        .unwrap_err()
        .to_string();
    assert!(error.contains("role `app_user`"), "{error}");
    assert!(error.contains("FORCE ROW LEVEL SECURITY"), "{error}");
    assert!(error.contains("security_invoker"), "{error}");
}

#[test]
fn rejects_a_database_that_holds_another_signing_key() {
    let mut db = Db::new();
    assert!(!db.check().contains(&IsolationProblem::SignedTenantRefused));
    let other = tenant_diesel::WallKey::generate().unwrap();
    other.install(&mut db.db.observer).unwrap();
    assert!(db.check().contains(&IsolationProblem::SignedTenantRefused));
    // Control: the application's key again.
    tenant_diesel_tests::postgres::wall_key()
        .install(&mut db.db.observer)
        .unwrap();
    assert!(db.check().is_empty());
}

#[test]
fn rejects_a_wall_whose_opening_batch_fails() {
    let mut db = Db::new();
    db.owner("DROP FUNCTION tenant_wall.assert_clean_session()");
    let found = db.check();
    assert!(
        found
            .iter()
            .any(|p| matches!(p, IsolationProblem::WallOpeningFailed(e) if e.contains("assert_clean_session"))),
        "{found:?}"
    );
}

#[test]
fn rejects_create_on_a_schema_of_the_pinned_search_path() {
    let mut db = Db::new();
    // Control: PostgreSQL 15 grants no CREATE on `public` to PUBLIC.
    assert_eq!(db.check(), []);
    db.owner("GRANT CREATE ON SCHEMA public TO app_user;");
    let found = db.check();
    assert_eq!(
        found,
        [P::CreateOnSearchPath {
            schema: s("public")
        }]
    );
    assert!(found[0]
        .to_string()
        .contains("REVOKE CREATE ON SCHEMA public FROM PUBLIC"));
    // A schema outside the pinned path is no concern.
    db.owner("REVOKE CREATE ON SCHEMA public FROM app_user; CREATE SCHEMA scratch; GRANT CREATE ON SCHEMA scratch TO app_user;");
    assert_eq!(db.check(), []);
}

// ---------------------------------------------------------------- Citus

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    listed: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// What the Citus check rests on, seen where Citus is absent: the library's
/// `SET LOCAL citus.propagate_set_commands = 'local'` is then a placeholder,
/// which reads `local` but is not listed in `pg_settings`, where Citus's own
/// setting is an `enum` (`none`, `local`). So the check wants the listed enum
/// at `local` (a Citus without the setting forwards nothing either), and runs
/// only where the `citus` extension is installed: plain PostgreSQL gets no
/// Citus problem.
#[test]
fn without_citus_the_forwarding_setting_is_a_placeholder_and_nothing_is_reported() {
    use diesel::RunQueryDsl;

    let mut db = Db::new();
    let conn = &mut db.db.app;
    conn.batch_execute("BEGIN; SET LOCAL citus.propagate_set_commands = 'local'")
        .unwrap();
    let inside: Count = diesel::sql_query(
        "SELECT (SELECT count(*) FROM pg_settings WHERE name = 'citus.propagate_set_commands') AS listed, \
                current_setting('citus.propagate_set_commands') AS value",
    )
    .get_result(conn)
    .unwrap();
    conn.batch_execute("ROLLBACK").unwrap();
    assert_eq!((inside.listed, inside.value.as_str()), (0, "local"));
    assert!(
        !db.check()
            .iter()
            .any(|p| matches!(p, P::CitusSettingNotForwarded { .. })),
        "no Citus, no Citus problem"
    );
}
