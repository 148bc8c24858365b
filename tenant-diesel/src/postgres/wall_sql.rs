//! The SQL of the wall's own objects, in schema `tenant_wall`: the verifier of
//! the signed tenant that the policies call, the key it reads, and the check
//! that every unit of work runs first on its connection.

use crate::table::TenantColumnSql;
use crate::wall::TenantSetting;

/// The verifier of the signed tenant, as the policies of integer tenant
/// columns call it.
pub(crate) const CURRENT_TENANT: &str = "tenant_wall.current_tenant";

/// The verifier of a signed UUID tenant, as the policies of UUID tenant columns
/// call it.
pub(crate) const CURRENT_TENANT_UUID: &str = "tenant_wall.current_tenant_uuid";

/// The verifier a policy compares a tenant column of `column_sql` with, and the
/// cast of its result to the column's type (`""` when none is needed).
pub(crate) fn verifier_of(column_sql: TenantColumnSql) -> (&'static str, &'static str) {
    match column_sql {
        TenantColumnSql::Integer | TenantColumnSql::BigInt => (CURRENT_TENANT, ""),
        TenantColumnSql::Uuid => (CURRENT_TENANT_UUID, ""),
        TenantColumnSql::UuidText => (CURRENT_TENANT_UUID, "::text"),
    }
}

/// Whether `name` is one of the verifiers, which the unsigned mode does not
/// need.
pub(crate) fn is_verifier(name: &str) -> bool {
    Verified::ALL
        .iter()
        .any(|verified| verified.function() == name)
}

/// What a verifier accepts and returns: the pattern of the tenant in the
/// signed value, and the SQL type it returns.
#[derive(Clone, Copy)]
enum Verified {
    Integer,
    Uuid,
}

impl Verified {
    fn pattern(self) -> &'static str {
        match self {
            Self::Integer => "-?[0-9]{1,19}",
            Self::Uuid => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        }
    }

    fn sql_type(self) -> &'static str {
        match self {
            Self::Integer => "bigint",
            Self::Uuid => "uuid",
        }
    }

    fn function(self) -> &'static str {
        match self {
            Self::Integer => CURRENT_TENANT,
            Self::Uuid => CURRENT_TENANT_UUID,
        }
    }

    const ALL: [Self; 2] = [Self::Integer, Self::Uuid];
}

/// The only setting the wall's functions and the lookups carry, as
/// `pg_proc.proconfig` holds it: `pg_catalog` first, so no operator or function
/// of another schema is preferred to the built-in one, and the temporary schema
/// last.
pub(crate) const PINNED_CONFIG: &str = "search_path=pg_catalog, pg_temp";

/// The check every unit of work runs first.
pub(crate) const ASSERT_CLEAN_SESSION: &str = "tenant_wall.assert_clean_session";

/// The start of the message of every refusal of `assert_clean_session`.
pub const DIRTY_SESSION: &str = "tenant wall: refusing a connection left dirty by raw SQL";

/// The body of `tenant_wall.current_tenant()` (and of `current_tenant_uuid()`):
/// the tenant of a setting signed with the key in `tenant_wall.signing_key` and
/// not expired, if it is of the verifier's kind, else `NULL` (which matches no
/// row). An integer tenant never passes the UUID verifier, nor a UUID the
/// integer one.
///
/// `SECURITY DEFINER` so that it can read the key, which the application's role
/// cannot; `search_path` pinned so that nothing of the caller's is resolved
/// inside it. The MACs are compared through another hash, so the comparison's
/// time says nothing about the expected value. Anything malformed is refused
/// before it is parsed, so no value makes it raise an error instead.
fn current_tenant_body(setting: &TenantSetting, verified: Verified) -> String {
    format!(
        r#"
DECLARE
    token text := current_setting('{setting}', true);
    part text[];
    pads record;
BEGIN
    IF token IS NULL OR token !~ '^v1:{pattern}:[0-9]{{1,12}}:[0-9a-f]{{64}}$' THEN
        RETURN NULL;
    END IF;
    part := string_to_array(token, ':');
    IF to_timestamp(part[3]::bigint) <= statement_timestamp() THEN
        RETURN NULL;
    END IF;
    SELECT inner_pad, outer_pad INTO pads FROM tenant_wall.signing_key;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF sha256(decode(part[4], 'hex'))
       <> sha256(sha256(pads.outer_pad || sha256(pads.inner_pad
            || convert_to(part[1] || ':' || part[2] || ':' || part[3], 'UTF8')))) THEN
        RETURN NULL;
    END IF;
    RETURN part[2]::{sql_type};
END
"#,
        setting = setting.name(),
        pattern = verified.pattern(),
        sql_type = verified.sql_type(),
    )
}

/// The body of `tenant_wall.assert_clean_session()`: raises unless the session
/// is as the library leaves it. Raw SQL on a pooled connection can leave it
/// statements prepared with `PREPARE` (a `__diesel_stmt_N` replaced to copy the
/// next tenant's rows out), temporary objects, `LISTEN` channels, another role
/// or a tenant set for the whole session; the library then marks the connection
/// broken and the pool discards it. `pg_class` is scanned only when the session
/// has a temporary schema at all (`pg_my_temp_schema()` is 0 until it makes
/// one), since that scan is most of the check's cost.
fn assert_clean_session_body(setting: &TenantSetting) -> String {
    let refuse = |what: &str| {
        format!(
            "RAISE EXCEPTION '{DIRTY_SESSION}: {what}' USING ERRCODE = '55000', \
             HINT = 'the library discards this connection; find the raw SQL that did it';"
        )
    };
    format!(
        r#"
BEGIN
    IF EXISTS (SELECT FROM pg_prepared_statements WHERE from_sql) THEN
        {prepared}
    END IF;
    IF current_user <> session_user THEN
        {role}
    END IF;
    IF COALESCE(current_setting('{setting}', true), '') <> '' THEN
        {tenant}
    END IF;
    IF pg_my_temp_schema() <> 0
       AND EXISTS (SELECT FROM pg_class WHERE relnamespace = pg_my_temp_schema()) THEN
        {temp}
    END IF;
    IF EXISTS (SELECT FROM pg_listening_channels()) THEN
        {listen}
    END IF;
END
"#,
        setting = setting.name(),
        prepared = refuse("it holds statements prepared with PREPARE"),
        role = refuse("its role was changed with SET ROLE"),
        tenant = refuse("a tenant is set for the whole session"),
        temp = refuse("it holds temporary objects"),
        listen = refuse("it listens on notification channels"),
    )
}

/// The wall's functions: each qualified name and its exact body, as
/// `CREATE FUNCTION .. AS $$body$$` writes it (and `pg_proc.prosrc` shows it).
/// `verify_isolation` accepts a `SECURITY DEFINER` function of the wall only
/// with this body.
pub(crate) fn wall_functions(setting: &TenantSetting) -> Vec<(&'static str, String)> {
    let mut functions: Vec<_> = Verified::ALL
        .into_iter()
        .map(|verified| (verified.function(), current_tenant_body(setting, verified)))
        .collect();
    functions.push((ASSERT_CLEAN_SESSION, assert_clean_session_body(setting)));
    functions
}

/// The statements that create the wall's schema and functions (and, `signed`,
/// the key's table and the verifier), before any policy calls them.
pub(crate) fn up_statements(setting: &TenantSetting, signed: bool) -> Vec<String> {
    let mut statements = vec![
        "CREATE SCHEMA IF NOT EXISTS tenant_wall".to_owned(),
        "GRANT USAGE ON SCHEMA tenant_wall TO PUBLIC".to_owned(),
    ];
    if signed {
        statements.extend([
            // One row: the key's HMAC pads. Only the owner reads or writes it.
            "CREATE TABLE IF NOT EXISTS tenant_wall.signing_key (\n    \
                 one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),\n    \
                 inner_pad bytea NOT NULL CHECK (octet_length(inner_pad) = 64),\n    \
                 outer_pad bytea NOT NULL CHECK (octet_length(outer_pad) = 64)\n)"
                .to_owned(),
            "REVOKE ALL ON tenant_wall.signing_key FROM PUBLIC".to_owned(),
        ]);
        statements.extend(Verified::ALL.into_iter().map(|verified| {
            format!(
                "CREATE OR REPLACE FUNCTION {}() RETURNS {}\n    \
                 LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER\n    \
                 SET search_path = pg_catalog, pg_temp\n    \
                 AS $wall${}$wall$",
                verified.function(),
                verified.sql_type(),
                current_tenant_body(setting, verified)
            )
        }));
    }
    statements.push(format!(
        "CREATE OR REPLACE FUNCTION {ASSERT_CLEAN_SESSION}() RETURNS void\n    \
         LANGUAGE plpgsql VOLATILE SECURITY INVOKER\n    \
         SET search_path = pg_catalog, pg_temp\n    \
         AS $wall${}$wall$",
        assert_clean_session_body(setting)
    ));
    // TEMPORARY is granted to PUBLIC on every new database. Only the database's
    // owner can take it back; another migration role leaves it, and
    // `verify_isolation` reports it.
    statements.push(temporary_privilege(
        "REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC",
    ));
    statements
}

/// `statement` (a `format` pattern whose `%I` is the current database) run
/// only where the migration role owns the database, which alone may change its
/// privileges.
fn temporary_privilege(statement: &str) -> String {
    format!(
        "DO $wall$ BEGIN\n    \
             IF pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') THEN\n        \
                 EXECUTE format('{statement}', current_database());\n    \
             END IF;\n\
         END $wall$"
    )
}

/// The statements that undo [`up_statements`], after the policies are gone.
pub(crate) fn down_statements(signed: bool) -> Vec<String> {
    let mut statements = vec![
        temporary_privilege("GRANT TEMPORARY ON DATABASE %I TO PUBLIC"),
        format!("DROP FUNCTION IF EXISTS {ASSERT_CLEAN_SESSION}()"),
    ];
    if signed {
        statements.extend(
            Verified::ALL
                .into_iter()
                .map(|verified| format!("DROP FUNCTION IF EXISTS {}()", verified.function())),
        );
        statements.push("DROP TABLE IF EXISTS tenant_wall.signing_key".to_owned());
    }
    statements.push("DROP SCHEMA IF EXISTS tenant_wall".to_owned());
    statements
}
