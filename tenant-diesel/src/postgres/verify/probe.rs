//! The live check of the signed tenant: a unit of work opened exactly as the
//! library opens one must reach the policies with its tenant.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Nullable};
use diesel::{QueryableByName, RunQueryDsl};

use super::IsolationProblem;
use crate::postgres::RlsMigrations;
use tenant_core::AnyTenantId;

/// A tenant id no application hands out, so the probe names no real tenant.
const PROBE: i64 = i64::MIN + 7;

#[derive(QueryableByName)]
struct Reached {
    #[diesel(sql_type = Nullable<BigInt>)]
    tenant: Option<i64>,
}

/// With a key in the migrations' setting (`RlsMigrations::setting(
/// TenantSetting::default().signed_with(key))`), opens a unit of work as a
/// `TenantConn` does, asks the verifier which tenant it sees, and rolls back. A
/// key that differs from the database's, a key not installed, or clocks that
/// disagree by more than the lifetime all make every tenant read nothing: this
/// says so at start-up instead. Without a key (or in the unsigned mode) there is
/// nothing to sign with, and nothing is probed.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let setting = rls.tenant_setting();
    if !rls.is_signed() || !setting.is_signed() {
        return Ok(());
    }
    let opening = crate::wall::begin_tenant_sql(setting, AnyTenantId::Integer(PROBE))?;
    let problem = match conn.batch_execute(&opening) {
        Err(error) => Some(IsolationProblem::WallOpeningFailed(error.to_string())),
        // A verifier that fails on the library's own value refuses it too.
        Ok(()) => match diesel::sql_query("SELECT tenant_wall.current_tenant() AS tenant")
            .get_result::<Reached>(conn)
        {
            Ok(Reached {
                tenant: Some(PROBE),
            }) => None,
            Ok(_) | Err(_) => Some(IsolationProblem::SignedTenantRefused),
        },
    };
    // Nothing was written; the rollback's own outcome changes nothing.
    let _ = conn.batch_execute("ROLLBACK");
    problems.extend(problem);
    Ok(())
}
