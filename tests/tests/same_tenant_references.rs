//! References stay inside the tenant (issue #16, item 5): a scoped write whose
//! foreign key names another tenant's parent type-checks (the types check the
//! tenant column, not foreign keys), so the database refuses it, on PostgreSQL
//! through the generated composite foreign key and on SQLite through the
//! generated triggers. Each refusal is beside a control without the generated
//! SQL, in which the same write succeeds.
//!
//! These tests play the database administrator, so they write raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use diesel_migrations::MigrationHarness;
use tenant_diesel::postgres::{
    same_tenant_reference_down_statements, same_tenant_reference_up_statements,
};
use tenant_diesel::prelude::*;
use tenant_diesel::{ReferenceNames, SameTenantReferences};
use tenant_diesel_tests::postgres::{rls_migrations, wall_key};
use tenant_diesel_tests::*;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The pair the fixture declares: `tenant_joinable!(invoices -> accounts (account_id))`.
fn invoices_to_accounts() -> ReferenceNames {
    ReferenceNames::of::<invoices::table, accounts::table>()
}

/// Acme's scoped writes of a reference, on the `TestDb` of the module that
/// invokes it: `insert` files a new invoice 77 pointing at `account`;
/// `repoint` moves Acme's invoice 1 (account 1) to `account`; and the check
/// that Acme's own accounts are still accepted.
macro_rules! scoped_writes {
    () => {
        fn insert(db: &mut TestDb, account: i64) -> QueryResult<usize> {
            let ctx = ctx(ACME);
            let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
            Invoice::scoped(&ctx)
                .insert(&NewInvoice {
                    id: 77,
                    account_id: account,
                    amount: 1,
                })
                .execute(&mut conn)
        }

        fn repoint(db: &mut TestDb, account: i64) -> QueryResult<usize> {
            let ctx = ctx(ACME);
            let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
            Invoice::scoped(&ctx)
                .update(1)
                .set_column(invoices::account_id, account)
                .execute(&mut conn)
        }

        /// Acme's writes naming its own accounts 3 and 5 go through, and the
        /// owner reads them back.
        fn acmes_own_accounts_are_still_accepted(db: &mut TestDb) {
            assert_eq!(insert(db, 3), Ok(1));
            assert_eq!(repoint(db, 5), Ok(1));
            let pointed: Vec<Count> = diesel::sql_query(
                "SELECT account_id AS n FROM invoices WHERE tenant_id = 1 AND id IN (1, 77) ORDER BY id",
            )
            .load(&mut db.observer)
            .unwrap();
            assert_eq!(pointed.iter().map(|c| c.n).collect::<Vec<_>>(), [5, 3]);
        }
    };
}

#[test]
fn the_declaration_records_the_pairs_sql_names() {
    assert_eq!(
        invoices_to_accounts(),
        ReferenceNames::named(
            ["invoices", "tenant_id", "account_id"],
            ["accounts", "tenant_id", "id"]
        )
    );
    // A composite parent key `(tenant_id, id)`: the row key is still `id`.
    assert_eq!(
        ReferenceNames::of::<comments::table, notes::table>(),
        ReferenceNames::named(
            ["comments", "tenant_id", "note_id"],
            ["notes", "tenant_id", "id"]
        )
    );
}

mod postgres {
    use super::*;
    use tenant_diesel_tests::postgres::TestDb;

    scoped_writes!();

    fn is_foreign_key_violation(result: &QueryResult<usize>) -> bool {
        matches!(
            result,
            Err(DieselError::DatabaseError(
                DatabaseErrorKind::ForeignKeyViolation,
                _
            ))
        )
    }

    /// Reverts the template's row-level-security migration, to run it again
    /// with the declared pair.
    fn revert_the_templates_migration(db: &mut TestDb) {
        db.observer
            .revert_last_migration(rls_migrations())
            .expect("revert the template's migration");
    }

    /// The template's row-level-security migration plus the declared pair, as
    /// an application would write it.
    fn migrate_with_the_reference(db: &mut TestDb) -> diesel::migration::Result<()> {
        let result = db
            .observer
            .run_pending_migrations(
                rls_migrations().same_tenant_reference::<invoices::table, accounts::table>(),
            )
            .map(drop);
        // Reverting dropped the wall's key with its schema.
        if result.is_ok() {
            wall_key()
                .install(&mut db.observer)
                .expect("reinstall the key");
        }
        result
    }

    fn constraints(db: &mut TestDb) -> Vec<String> {
        let names: Vec<Name> = diesel::sql_query(
            "SELECT conname::text AS name FROM pg_constraint \
             WHERE conname LIKE '%same_tenant%' ORDER BY 1",
        )
        .load(&mut db.observer)
        .unwrap();
        names.into_iter().map(|n| n.name).collect()
    }

    #[test]
    fn control_without_the_constraint_a_reference_to_another_tenants_account_is_written() {
        let mut db = TestDb::new();
        // Referential checks bypass row-level security, and the schema has no
        // foreign key on `account_id`: Contoso's account 2 is accepted.
        assert_eq!(insert(&mut db, 2), Ok(1));
        assert_eq!(repoint(&mut db, 4), Ok(1));
    }

    #[test]
    fn the_generated_constraint_refuses_a_reference_to_another_tenants_account() {
        let mut db = TestDb::new();
        db.observer
            .batch_execute("DELETE FROM invoices WHERE id = 5")
            .unwrap();
        revert_the_templates_migration(&mut db);
        migrate_with_the_reference(&mut db).expect("the migration with the pair");
        assert_eq!(constraints(&mut db), ["invoices_account_id_same_tenant"]);

        let refused = insert(&mut db, 2);
        assert!(is_foreign_key_violation(&refused), "{refused:?}");
        let refused = repoint(&mut db, 4);
        assert!(is_foreign_key_violation(&refused), "{refused:?}");

        acmes_own_accounts_are_still_accepted(&mut db);
    }

    #[test]
    fn validation_fails_on_the_seeded_cross_tenant_invoice_and_passes_once_it_is_gone() {
        let mut db = TestDb::new();
        revert_the_templates_migration(&mut db);
        // The seed's invoice 5 of Acme names Contoso's account 2.
        let refused = migrate_with_the_reference(&mut db);
        let message = refused
            .expect_err("VALIDATE fails on invoice 5")
            .to_string();
        assert!(
            message.contains("violates foreign key constraint \"invoices_account_id_same_tenant\""),
            "{message}"
        );
        // The migration ran in one transaction: nothing of it is left.
        assert!(constraints(&mut db).is_empty());

        db.observer
            .batch_execute("DELETE FROM invoices WHERE id = 5")
            .unwrap();
        migrate_with_the_reference(&mut db).expect("no cross-tenant row is left");
        // The parent's primary key `(tenant_id, id)` serves: no second unique key.
        assert_eq!(constraints(&mut db), ["invoices_account_id_same_tenant"]);

        // The down migration removes the constraint again.
        db.observer
            .revert_last_migration(
                rls_migrations().same_tenant_reference::<invoices::table, accounts::table>(),
            )
            .expect("revert");
        assert!(constraints(&mut db).is_empty());
    }

    #[test]
    fn a_parent_keyed_by_id_alone_gets_its_unique_key_and_loses_it_on_the_way_down() {
        let mut db = TestDb::new();
        db.observer
            .batch_execute(
                "DELETE FROM invoices WHERE id = 5; \
                 ALTER TABLE accounts DROP CONSTRAINT accounts_pkey; \
                 ALTER TABLE accounts ADD PRIMARY KEY (id);",
            )
            .unwrap();
        for statement in same_tenant_reference_up_statements(&invoices_to_accounts()) {
            db.observer.batch_execute(&statement).unwrap();
        }
        assert_eq!(
            constraints(&mut db),
            [
                "accounts_tenant_id_id_same_tenant_key",
                "invoices_account_id_same_tenant"
            ]
        );
        let refused = insert(&mut db, 2);
        assert!(is_foreign_key_violation(&refused), "{refused:?}");

        for statement in same_tenant_reference_down_statements(&invoices_to_accounts()) {
            db.observer.batch_execute(&statement).unwrap();
        }
        assert!(constraints(&mut db).is_empty());
        // Control: with the constraint gone, the same write goes through.
        assert_eq!(insert(&mut db, 2), Ok(1));
    }
}

mod sqlite {
    use super::*;
    use tenant_diesel_tests::sqlite::TestDb;

    const REFUSAL: &str =
        "tenant wall: invoices.account_id names no accounts row of the same tenant";

    scoped_writes!();

    fn is_refusal(result: &QueryResult<usize>) -> bool {
        matches!(result, Err(DieselError::DatabaseError(_, info)) if info.message() == REFUSAL)
    }

    fn references() -> SameTenantReferences {
        SameTenantReferences::new().pair::<invoices::table, accounts::table>()
    }

    #[test]
    fn control_without_the_triggers_a_reference_to_another_tenants_account_is_written() {
        let mut db = TestDb::new();
        assert_eq!(insert(&mut db, 2), Ok(1));
        assert_eq!(repoint(&mut db, 4), Ok(1));
    }

    #[test]
    fn the_generated_triggers_refuse_a_reference_to_another_tenants_account() {
        let mut db = TestDb::new();
        references().install_sqlite(&mut db.app).unwrap();
        // Idempotent: a second start-up installs nothing new and fails nothing.
        references().install_sqlite(&mut db.app).unwrap();

        let refused = insert(&mut db, 2);
        assert!(is_refusal(&refused), "{refused:?}");
        let refused = repoint(&mut db, 4);
        assert!(is_refusal(&refused), "{refused:?}");
        // Account 7 is no one's: refused too.
        let refused = insert(&mut db, 7);
        assert!(is_refusal(&refused), "{refused:?}");

        acmes_own_accounts_are_still_accepted(&mut db);
    }

    #[test]
    fn the_triggers_check_writes_to_the_reference_not_rows_already_there() {
        let mut db = TestDb::new();
        references().install_sqlite(&mut db.app).unwrap();
        // The seed's invoice 5 names Contoso's account 2: an update that leaves
        // the reference alone is not refused (the documented limit), one that
        // sets it is.
        let ctx = ctx(ACME);
        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
        let amount = Invoice::scoped(&ctx)
            .update(5)
            .set_column(invoices::amount, 51)
            .execute(&mut conn);
        assert_eq!(amount, Ok(1));
        let refused = Invoice::scoped(&ctx)
            .update(5)
            .set_column(invoices::account_id, 2)
            .execute(&mut conn);
        assert!(is_refusal(&refused), "{refused:?}");
    }

    #[test]
    fn uninstalling_the_triggers_lets_the_reference_through_again() {
        let mut db = TestDb::new();
        references().install_sqlite(&mut db.app).unwrap();
        assert!(is_refusal(&insert(&mut db, 2)));
        references().uninstall_sqlite(&mut db.app).unwrap();
        assert_eq!(insert(&mut db, 2), Ok(1));
    }
}
