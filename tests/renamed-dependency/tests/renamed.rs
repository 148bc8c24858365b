//! A scoped query, a scoped insert, an update and an audited action, all
//! through models whose derives name tenant-diesel as `td`.
// `tenant_infix_operator!` expands to Diesel's `infix_operator!` (whose text it
// checks), which writes SQL text and which clippy.toml bans in handwritten code;
// clippy reports these lints for the crate, not the item.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use std::sync::Arc;

use diesel::sql_types::{BigInt, Bool};
use td::audit::{AuditError, Auditor, MemorySink};
use td::prelude::*;
use tenant_diesel_renamed_test::{
    accounts, acme, database, lower, teams, Account, AccountChanges, Label, NewAccount, Team,
    TeamMember,
};

// An operator's constructor is private to the crate that declares it.
td::tenant_infix_operator!(crate = td; IsNot, " != ", Bool);

#[derive(Debug)]
#[allow(dead_code)] // the fields are read through `Debug`
enum AppError {
    Db(diesel::result::Error),
    Audit(AuditError),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Db(e)
    }
}

impl From<AuditError> for AppError {
    fn from(e: AuditError) -> Self {
        AppError::Audit(e)
    }
}

/// An audited action, its record written through `td::__private`.
#[td::audited(crate = td, action = "rename_account", target = account_id)]
fn rename_account(
    ctx: &TenantCtx,
    audit: &Auditor,
    conn: &mut TenantConn<&mut SqliteConnection>,
    account_id: i64,
    name: &str,
) -> Result<usize, AppError> {
    let changes = AccountChanges { name: name.into() };
    Ok(Account::scoped(ctx)
        .update(account_id)
        .set(&changes)
        .execute(conn)?)
}

#[test]
fn scoped_reads_and_writes_through_a_renamed_dependency() {
    let ctx = acme();
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &ctx);

    // A scoped query sees Acme's account only.
    let names: Vec<String> = Account::scoped(&ctx)
        .select(accounts::name)
        .order(accounts::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(names, ["Acme Ltd"]);

    // A scoped insert is stamped with Acme's id.
    let row: Account = Account::scoped(&ctx)
        .insert(&NewAccount {
            id: 9,
            name: "Hooli".into(),
        })
        .get_result(&mut conn)
        .unwrap();
    assert_eq!((row.id, row.tenant_id), (9, 1));
    assert_eq!(
        Account::scoped(&ctx)
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap(),
        2
    );

    // The declared function and operator, both checked, both named through `td`.
    let found: Vec<i64> = Account::scoped(&ctx)
        .filter(lower(accounts::name).eq("hooli"))
        .filter(IsNot::new(accounts::id, 7_i64.into_sql::<BigInt>()))
        .select(accounts::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(found, [9]);

    // Another tenant's row is not reached.
    let audit = Auditor::new(Arc::new(MemorySink::new()));
    assert_eq!(
        rename_account(&ctx, &audit, &mut conn, 2, "Mine").unwrap(),
        0
    );
    assert_eq!(
        rename_account(&ctx, &audit, &mut conn, 9, "Hooli XYZ").unwrap(),
        1
    );

    // The team's tenant column and its members, reached through the team.
    let teams: Vec<String> = Team::scoped(&ctx)
        .select(teams::name)
        .load(&mut conn)
        .unwrap();
    assert_eq!(teams, ["Acme ops"]);
    let members: Vec<TeamMember> = TeamMember::scoped(&ctx).load(&mut conn).unwrap();
    assert_eq!(members.iter().map(|m| m.id).collect::<Vec<_>>(), [1]);

    // Shared rows: Acme's and the shared one, never Contoso's.
    let mut labels: Vec<Label> = Label::scoped_with_shared_rows(&ctx)
        .load(&mut conn)
        .unwrap();
    labels.sort_by_key(|label| label.id);
    assert_eq!(labels.iter().map(|l| l.id).collect::<Vec<_>>(), [1, 3]);
}

#[test]
fn the_audited_action_is_recorded() {
    let ctx = acme();
    let mut raw = database();
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let log = Arc::new(MemorySink::new());
    let audit = Auditor::new(log.clone());
    rename_account(&ctx, &audit, &mut conn, 1, "Acme plc").unwrap();
    let events = log.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "rename_account");
    assert_eq!(events[0].target_id.as_deref(), Some("1"));
}
