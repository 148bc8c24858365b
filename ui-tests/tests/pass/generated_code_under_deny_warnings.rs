//! A crate that denies warnings and the lints a careful crate turns on: the
//! expansion of every derive and macro adds none to it (`clippy::pedantic` is
//! not checked here: trybuild does not run clippy).
#![deny(warnings, unused_qualifications, missing_docs, trivial_casts, unused_results)]

use diesel::connection::SimpleConnection;
use tenant_diesel::audit::{AuditError, Auditor, MemorySink};
use tenant_diesel::prelude::*;

/// The schema, as `diesel print-schema` writes it.
#[allow(missing_docs)]
pub mod schema {
    diesel::table! {
        ledgers (id) {
            id -> BigInt,
            tenant_id -> BigInt,
            name -> Text,
        }
    }

    diesel::table! {
        entries (id) {
            id -> BigInt,
            ledger_id -> BigInt,
            amount -> BigInt,
        }
    }

    diesel::table! {
        tags (id) {
            id -> BigInt,
            tenant_id -> Nullable<BigInt>,
            name -> Text,
        }
    }

    diesel::allow_tables_to_appear_in_same_query!(ledgers, entries);
}

use schema::{entries, ledgers, tags};

/// A ledger: a tenant's row.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = ledgers)]
pub struct Ledger {
    /// Its key.
    pub id: i64,
    /// Its tenant.
    pub tenant_id: i64,
    /// Its name.
    pub name: String,
}

/// An entry of a ledger: its tenant is its ledger's.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = entries)]
#[tenant(parent = ledgers, foreign_key = ledger_id)]
pub struct Entry {
    /// Its key.
    pub id: i64,
    /// Its ledger.
    pub ledger_id: i64,
    /// Its amount.
    pub amount: i64,
}

/// A tag, its tenant's or shared by all.
#[derive(Debug, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = tags)]
#[tenant(shared_rows)]
pub struct Tag {
    /// Its key.
    pub id: i64,
    /// Its tenant, or none: shared.
    pub tenant_id: Option<i64>,
    /// Its name.
    pub name: String,
}

/// A new ledger.
#[derive(Debug, Insertable, AsChangeset, TenantValues)]
#[diesel(table_name = ledgers)]
pub struct NewLedger<'a> {
    /// Its key.
    pub id: i64,
    /// Its name.
    pub name: &'a str,
}

/// A new entry.
#[derive(Debug, Insertable, TenantValues)]
#[diesel(table_name = entries)]
pub struct NewEntry {
    /// Its amount.
    pub amount: Option<i64>,
}

tenant_diesel::tenant_sql_function! {
    /// `abs(x)`.
    fn abs(x: diesel::sql_types::BigInt) -> diesel::sql_types::BigInt;
}

tenant_diesel::tenant_infix_operator!(Above, " > ", diesel::sql_types::Bool);

/// Renames a ledger, audited.
#[audited(action = "rename_ledger", target = id)]
pub fn rename_ledger(
    ctx: &TenantCtx,
    audit: &Auditor,
    conn: &mut TenantConn<&mut SqliteConnection>,
    id: i64,
) -> Result<usize, AuditError> {
    Ok(Ledger::scoped(ctx)
        .update(id)
        .set_column(ledgers::name, "renamed")
        .execute(conn)
        .expect("the update runs"))
}

fn main() {
    let ctx = tenant_diesel_ui_tests::acme();
    let mut raw = SqliteConnection::establish(":memory:").expect("open in-memory SQLite");
    raw.batch_execute(
        "CREATE TABLE ledgers (id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, name TEXT NOT NULL);
         CREATE TABLE entries (id INTEGER PRIMARY KEY, ledger_id BIGINT NOT NULL, amount BIGINT NOT NULL DEFAULT 0);
         CREATE TABLE tags (id BIGINT PRIMARY KEY, tenant_id BIGINT, name TEXT NOT NULL);
         INSERT INTO tags VALUES (1, NULL, 'shared'), (2, 2, 'contoso');",
    )
    .expect("create the tables");
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let ledger: Ledger = Ledger::scoped(&ctx)
        .insert(NewLedger { id: 1, name: "acme" })
        .get_result(&mut conn)
        .expect("a scoped insert");
    let inserted = Entry::scoped(&ctx)
        .insert_under(ledger.id, NewEntry { amount: Some(-5) })
        .execute(&mut conn)
        .expect("an insert under the ledger");
    assert_eq!(inserted, 1);
    let big: Vec<Entry> = Entry::scoped(&ctx)
        .filter(Above::new(abs(entries::amount), 1_i64.into_sql::<diesel::sql_types::BigInt>()))
        .load(&mut conn)
        .expect("a scoped read");
    assert_eq!(big.len(), 1);
    let tags: Vec<Tag> = Tag::scoped_with_shared_rows(&ctx).load(&mut conn).expect("shared rows");
    assert_eq!(tags.len(), 1);
    let audit = Auditor::new(std::sync::Arc::new(MemorySink::new()));
    assert_eq!(rename_ledger(&ctx, &audit, &mut conn, ledger.id).expect("audited"), 1);
}
