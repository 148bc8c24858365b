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
