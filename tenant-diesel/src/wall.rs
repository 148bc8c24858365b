//! The database's own wall: how a connection tells the database which tenant the
//! unit of work acts for, so that row-level security can refuse the rest.

use crate::TenantId;

/// The PostgreSQL setting the row-level-security policies read
/// (`current_setting('app.tenant_id', true)`); `app.tenant_id` by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSetting(String);

/// A setting name that PostgreSQL would not take as a custom setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a custom PostgreSQL setting name: use two lowercase words joined by a dot, such as `app.tenant_id`")]
pub struct InvalidSetting(String);

impl TenantSetting {
    /// A custom setting name: `prefix.name`, lowercase letters, digits and `_`.
    pub fn new(name: &str) -> Result<Self, InvalidSetting> {
        let word = |w: &str| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        match name.split_once('.') {
            Some((prefix, rest)) if word(prefix) && word(rest) => Ok(Self(name.to_owned())),
            _ => Err(InvalidSetting(name.to_owned())),
        }
    }

    /// The setting's name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl Default for TenantSetting {
    fn default() -> Self {
        Self("app.tenant_id".to_owned())
    }
}

/// The statements that open a unit of work on PostgreSQL, sent as one batch (one
/// network round trip): the transaction, then the tenant, both `LOCAL` so that
/// nothing outlives the transaction and a pooled connection carries no tenant to
/// its next user.
///
/// `citus.propagate_set_commands = 'local'` makes Citus send the `SET LOCAL` to
/// the workers that run the statement's shards; without it a distributed table's
/// policy sees no tenant there and returns nothing. Plain PostgreSQL takes it as
/// a placeholder setting and ignores it.
///
/// `SET` takes no bind parameters, so the values are written into the text: the
/// setting's name was validated by [`TenantSetting::new`], and the tenant is the
/// library's own integer id, checked again here to be digits (and a sign) only.
#[cfg(any(feature = "postgres", feature = "async"))]
pub(crate) fn begin_tenant_sql(
    setting: &TenantSetting,
    tenant: TenantId,
) -> Result<String, diesel::result::Error> {
    let id = tenant.to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Err(diesel::result::Error::QueryBuilderError(
            format!("refusing to write the tenant id `{id}` into SQL").into(),
        ));
    }
    Ok(format!(
        "BEGIN; SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL {} = '{id}'",
        setting.name()
    ))
}

/// How a backend's connection tells the database the tenant of a unit of work.
#[doc(hidden)]
pub trait DatabaseWall: diesel::Connection {
    /// Whether the database has a wall to tell (PostgreSQL does, SQLite does not).
    const HAS_WALL: bool;

    /// Runs `f` in a transaction that the database knows to act for `tenant`:
    /// committed when `f` returns `Ok`, rolled back when it returns `Err`.
    fn tenant_transaction<R, E>(
        conn: &mut Self,
        setting: &TenantSetting,
        tenant: TenantId,
        f: impl FnOnce(&mut Self) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<diesel::result::Error>;
}

#[cfg(feature = "sqlite")]
impl DatabaseWall for diesel::sqlite::SqliteConnection {
    const HAS_WALL: bool = false;

    fn tenant_transaction<R, E>(
        conn: &mut Self,
        _: &TenantSetting,
        _: TenantId,
        f: impl FnOnce(&mut Self) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<diesel::result::Error>,
    {
        diesel::Connection::transaction(conn, f)
    }
}

#[cfg(feature = "postgres")]
impl DatabaseWall for diesel::pg::PgConnection {
    const HAS_WALL: bool = true;

    // `BEGIN` and the tenant in one round trip, through Diesel's own transaction
    // manager (as its `build_transaction()` sends `BEGIN ISOLATION LEVEL ..`), so
    // that its bookkeeping, savepoints and pool checks stay right.
    fn tenant_transaction<R, E>(
        conn: &mut Self,
        setting: &TenantSetting,
        tenant: TenantId,
        f: impl FnOnce(&mut Self) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        use diesel::result::Error;

        AnsiTransactionManager::begin_transaction_sql(conn, &begin_tenant_sql(setting, tenant)?)?;
        match f(conn) {
            Ok(value) => {
                AnsiTransactionManager::commit_transaction(conn)?;
                Ok(value)
            }
            Err(error) => match AnsiTransactionManager::rollback_transaction(conn) {
                Ok(()) | Err(Error::BrokenTransactionManager) => Err(error),
                Err(rollback_error) => Err(rollback_error.into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_names_are_custom_setting_names() {
        assert_eq!(
            TenantSetting::new("app.tenant_id").unwrap().name(),
            "app.tenant_id"
        );
        assert!(TenantSetting::new("my_app.tenant2").is_ok());
        for bad in [
            "tenant_id",
            "app.",
            ".x",
            "App.tenant",
            "app.tenant id",
            "app.x;drop",
            "a.b.c",
        ] {
            assert!(TenantSetting::new(bad).is_err(), "{bad}");
        }
    }

    #[cfg(any(feature = "postgres", feature = "async"))]
    #[test]
    fn a_unit_of_work_opens_with_one_batch_that_sets_the_tenant_locally() {
        let setting = TenantSetting::new("app.tenant_id").unwrap();
        assert_eq!(
            begin_tenant_sql(&setting, TenantId::new(42)).unwrap(),
            "BEGIN; SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL app.tenant_id = '42'"
        );
        assert!(begin_tenant_sql(&setting, TenantId::new(-7))
            .unwrap()
            .ends_with("= '-7'"));
    }
}
