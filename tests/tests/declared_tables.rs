//! Class 4 on SQLite: the start-up check of the declarations refuses a table
//! declared shared that is a tenant table under a second declaration, or that
//! says which tenant owns each row. Its control: `attack_controls.rs` shows the
//! second declaration reading every tenant's rows.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use tenant_diesel::{DeclarationError, DeclarationProblem, DeclaredTables};
use tenant_diesel_tests::sqlite::TestDb;
use tenant_diesel_tests::{
    accounts, accounts_everyone, invoices, notes, plans, shared_settings, subscriptions, tenants,
};

fn declared() -> DeclaredTables {
    DeclaredTables::new()
        .tenant_table::<accounts::table>()
        .tenant_table::<invoices::table>()
        .tenant_table::<notes::table>()
        .tenant_table::<subscriptions::table>()
        .global_table::<plans::table>()
        .global_table::<tenants::table>()
}

fn problems(result: Result<(), DeclarationError>) -> Vec<DeclarationProblem> {
    match result {
        Ok(()) => Vec::new(),
        Err(DeclarationError::Unsafe(problems)) => problems,
        Err(other) => panic!("the check could not run: {other}"),
    }
}

#[test]
fn the_real_shared_tables_pass() {
    let mut db = TestDb::new();
    assert_eq!(problems(declared().verify_sqlite(&mut db.app)), []);
}

#[test]
fn a_second_declaration_of_a_tenant_table_declared_shared_is_refused() {
    let mut db = TestDb::new();
    let result = declared()
        .global_table::<accounts_everyone::table>()
        .verify_sqlite(&mut db.app);
    let message = result.as_ref().unwrap_err().to_string();
    assert!(
        message.starts_with("refusing to start: `accounts` is declared shared"),
        "{message}"
    );
    assert_eq!(
        problems(result),
        [DeclarationProblem::SharedTableIsATenantTable(
            "accounts".into()
        )]
    );
}

#[test]
fn a_shared_table_with_a_tenant_column_or_none_at_all_is_refused() {
    let mut db = TestDb::new();
    db.app
        .batch_execute(
            "CREATE TABLE shared_settings (id BIGINT PRIMARY KEY, TENANT_ID BIGINT NOT NULL);",
        )
        .unwrap();
    assert_eq!(
        problems(
            declared()
                .global_table::<shared_settings::table>()
                .verify_sqlite(&mut db.app)
        ),
        [DeclarationProblem::SharedTableWithTenantColumn {
            table: "shared_settings".into(),
            column: "TENANT_ID".into()
        }]
    );
    let mut empty = TestDb::new();
    assert_eq!(
        problems(
            declared()
                .global_table::<shared_settings::table>()
                .verify_sqlite(&mut empty.app)
        ),
        [DeclarationProblem::MissingTable("shared_settings".into())]
    );
}

/// A table whose tenant is only reachable through its parent (`team_members`
/// through `notes`), declared shared: it would read every tenant's rows.
#[test]
fn a_shared_table_whose_rows_belong_to_a_tenant_table_is_refused() {
    diesel::table! { team_members (id) { id -> BigInt, note_tenant -> BigInt, note_id -> BigInt, } }
    diesel::table! { plan_features (id) { id -> BigInt, plan_id -> BigInt, } }
    tenant_diesel::global_table!(
        team_members(id, note_tenant, note_id),
        plan_features(id, plan_id)
    );
    let mut db = TestDb::new();
    db.app
        .batch_execute(
            "CREATE TABLE team_members (id BIGINT PRIMARY KEY, note_tenant BIGINT NOT NULL, note_id BIGINT NOT NULL,
                                        FOREIGN KEY (note_tenant, note_id) REFERENCES notes (tenant_id, id));
             CREATE TABLE plan_features (id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id));",
        )
        .unwrap();
    assert_eq!(
        problems(
            declared()
                .global_table::<team_members::table>()
                .verify_sqlite(&mut db.app)
        ),
        [DeclarationProblem::SharedTableReferencesATenantTable {
            table: "team_members".into(),
            parent: "notes".into(),
            foreign_key: "note_tenant, note_id".into(),
        }]
    );
    // Control: a shared table that references a shared table passes.
    assert_eq!(
        problems(
            declared()
                .global_table::<plan_features::table>()
                .verify_sqlite(&mut db.app)
        ),
        []
    );
}
