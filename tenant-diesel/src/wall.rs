//! The database's own wall: how a connection tells the database which tenant the
//! unit of work acts for, so that row-level security can refuse the rest.

use diesel::result::QueryResult;

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

/// How a backend's connection tells the database the tenant of a unit of work.
#[doc(hidden)]
pub trait DatabaseWall {
    /// Whether the database has a wall to tell (PostgreSQL does, SQLite does not).
    const HAS_WALL: bool;

    /// Called first inside the unit of work's transaction.
    fn begin_tenant(conn: &mut Self, setting: &TenantSetting, tenant: TenantId) -> QueryResult<()>;
}

#[cfg(feature = "sqlite")]
impl DatabaseWall for diesel::sqlite::SqliteConnection {
    const HAS_WALL: bool = false;

    fn begin_tenant(_: &mut Self, _: &TenantSetting, _: TenantId) -> QueryResult<()> {
        Ok(())
    }
}

#[cfg(feature = "postgres")]
impl DatabaseWall for diesel::pg::PgConnection {
    const HAS_WALL: bool = true;

    // The one raw statement of the tenant path; the lint is for handler code.
    #[allow(clippy::disallowed_methods)]
    fn begin_tenant(conn: &mut Self, setting: &TenantSetting, tenant: TenantId) -> QueryResult<()> {
        use diesel::sql_types::Text;
        // `is_local = true`: the setting ends with the transaction, so a pooled
        // connection never carries it to its next user. Both values are binds.
        diesel::RunQueryDsl::execute(
            diesel::sql_query("SELECT set_config($1, $2, true)")
                .bind::<Text, _>(setting.name())
                .bind::<Text, _>(tenant.to_string()),
            conn,
        )
        .map(drop)
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
}
