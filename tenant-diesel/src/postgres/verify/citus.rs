//! Citus: the tenant setting must reach the workers. A distributed table's
//! rows live in shards on the workers, whose own copies of the policies read
//! the setting there; Citus forwards a `SET LOCAL` to them only while
//! `citus.propagate_set_commands` is `local`, which every unit of work sets
//! first. A Citus that does not know the setting takes it as a placeholder
//! (which `pg_settings` does not list), and the tenant then stops at the
//! coordinator: every tenant reads nothing.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::Text;
use diesel::{OptionalExtension, QueryableByName, RunQueryDsl};

use super::IsolationProblem;
use crate::postgres::RlsMigrations;
use tenant_core::AnyTenantId;

/// The Citus setting that forwards `SET LOCAL` to the workers.
const PROPAGATE: &str = "citus.propagate_set_commands";

/// A tenant id no application hands out, so the unit of work names no real
/// tenant.
const PROBE: i64 = i64::MIN + 11;

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

/// What `citus.propagate_set_commands` is inside a unit of work, as
/// `pg_settings` shows it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub(super) struct Setting {
    /// Its value.
    #[diesel(sql_type = Text)]
    value: String,
    /// Its type: `enum` when Citus defines it (a placeholder is not listed).
    #[diesel(sql_type = Text)]
    vartype: String,
}

/// What a unit of work opened as the library opens one saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Observed {
    /// The batch ran; the setting as it stood (`None`: not listed, as a
    /// placeholder is not).
    Opened(Option<Setting>),
    /// The batch failed with this error.
    OpeningFailed(String),
}

/// On a database with the `citus` extension, opens a unit of work as the
/// library does, reads how `citus.propagate_set_commands` stands in it, and
/// rolls back. Without Citus there is nothing to forward and nothing is
/// checked.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let citus: Option<Version> =
        diesel::sql_query("SELECT extversion AS version FROM pg_extension WHERE extname = 'citus'")
            .get_result(conn)
            .optional()?;
    let Some(Version { version }) = citus else {
        return Ok(());
    };
    problems.extend(judge(&version, &observe(conn, rls)?));
    Ok(())
}

/// Opens a unit of work with the library's own batch for a probe tenant and
/// reads the forwarding setting as it stands inside it; rolls back.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn observe(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
) -> Result<Observed, diesel::result::Error> {
    let opening = crate::wall::begin_tenant_sql(rls.tenant_setting(), AnyTenantId::Integer(PROBE))?;
    let observed = match conn.batch_execute(&opening) {
        Err(error) => Observed::OpeningFailed(error.to_string()),
        Ok(()) => Observed::Opened(
            diesel::sql_query("SELECT setting AS value, vartype FROM pg_settings WHERE name = $1")
                .bind::<Text, _>(PROPAGATE)
                .get_result(conn)
                .optional()?,
        ),
    };
    // Nothing was written; the rollback's own outcome changes nothing.
    let _ = conn.batch_execute("ROLLBACK");
    Ok(observed)
}

/// Whether what a unit of work saw on Citus `version` forwards the tenant to
/// the workers: only Citus's own enum setting at `local` does.
pub(super) fn judge(version: &str, observed: &Observed) -> Option<IsolationProblem> {
    let found = match observed {
        Observed::Opened(Some(setting))
            if setting.vartype == "enum" && setting.value == "local" =>
        {
            return None
        }
        Observed::Opened(Some(setting)) if setting.vartype == "enum" => {
            format!("`{}`", setting.value)
        }
        Observed::Opened(_) => {
            "unknown to this Citus (a placeholder, which forwards nothing)".to_owned()
        }
        Observed::OpeningFailed(error) => format!("never set: the opening batch fails ({error})"),
    };
    Some(IsolationProblem::CitusSettingNotForwarded {
        version: version.to_owned(),
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(value: &str, vartype: &str) -> Observed {
        Observed::Opened(Some(Setting {
            value: value.to_owned(),
            vartype: vartype.to_owned(),
        }))
    }

    #[test]
    fn only_citus_own_setting_at_local_forwards_the_tenant() {
        assert_eq!(judge("13.2-1", &setting("local", "enum")), None);
        for (observed, found) in [
            (setting("none", "enum"), "`none`"),
            // What plain PostgreSQL, or a Citus without the setting, shows:
            // a placeholder, not listed.
            (Observed::Opened(None), "unknown to this Citus"),
            (setting("local", "string"), "unknown to this Citus"),
            (
                Observed::OpeningFailed(
                    "function tenant_wall.assert_clean_session() does not exist".into(),
                ),
                "the opening batch fails (function tenant_wall",
            ),
        ] {
            let problem = judge("9.4-1", &observed).expect("a problem");
            let text = problem.to_string();
            assert!(text.contains("Citus 9.4-1"), "{text}");
            assert!(text.contains(found), "{found}: {text}");
            assert!(text.contains("every tenant would read nothing"), "{text}");
        }
    }
}
