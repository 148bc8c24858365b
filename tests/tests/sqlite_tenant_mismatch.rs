//! Leak vector 12: a scope built for tenant A never runs on tenant B's connection,
//! and nothing is sent to the database when it is tried.

use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::Error as DieselError;
use tenant_diesel::prelude::*;
use tenant_diesel::TenantMismatch;
use tenant_diesel_tests::*;

/// Records the SQL of every statement the connection starts.
fn record_statements(raw: &mut SqliteConnection) -> Arc<Mutex<Vec<String>>> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let recorder = move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            sink.lock().unwrap().push(query.to_string());
        }
    };
    raw.set_instrumentation(Box::new(recorder) as Box<dyn Instrumentation>);
    log
}

#[test]
fn a_scope_for_acme_on_contosos_connection_is_refused_before_any_sql() {
    let mut raw = database();
    let sent = record_statements(&mut raw);
    let acme = ctx(ACME);
    let contoso = ctx(CONTOSO);
    let mut contoso_conn = TenantConn::new(&mut raw, &contoso);

    let result = Account::scoped(&acme)
        .find(1)
        .first::<Account>(&mut contoso_conn);
    let Err(DieselError::QueryBuilderError(error)) = result else {
        panic!("expected a tenant mismatch, got {result:?}");
    };
    let mismatch = error
        .downcast_ref::<TenantMismatch>()
        .expect("a TenantMismatch");
    assert_eq!(
        *mismatch,
        TenantMismatch {
            query: TenantId::new(ACME),
            connection: TenantId::new(CONTOSO)
        }
    );
    assert!(
        mismatch.to_string().contains("nothing was sent"),
        "{mismatch}"
    );
    assert!(
        sent.lock().unwrap().is_empty(),
        "SQL was sent: {:?}",
        sent.lock().unwrap()
    );

    // The control: the same connection does send the query for its own tenant.
    let own: Account = Account::scoped(&contoso)
        .find(2)
        .first(&mut contoso_conn)
        .unwrap();
    assert_eq!(own.tenant_id, CONTOSO);
    assert_eq!(sent.lock().unwrap().len(), 1);
}

#[test]
fn a_transaction_hands_the_closure_a_tenant_connection() {
    let mut raw = database();
    let ctx = ctx(ACME);
    let mut conn = TenantConn::new(&mut raw, &ctx);
    let result: Result<(), DieselError> = conn.transaction(|tx| {
        let count: i64 = Account::scoped(&ctx).count().get_result(tx)?;
        assert_eq!(count, 3);
        assert_eq!(tx.ctx().tenant_id(), TenantId::new(ACME));
        Err(DieselError::RollbackTransaction)
    });
    assert!(matches!(result, Err(DieselError::RollbackTransaction)));
    let count: i64 = conn
        .transaction(|tx| Account::scoped(&ctx).count().get_result(tx))
        .unwrap();
    assert_eq!(count, 3);
}
