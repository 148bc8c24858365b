//! The application's role itself: its attributes, the roles it can become, and
//! what it may create in the database.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::{acl, IsolationProblem};

#[derive(QueryableByName)]
struct Role {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    quoted: String,
    #[diesel(sql_type = Bool)]
    superuser: bool,
    #[diesel(sql_type = Bool)]
    bypass_rls: bool,
    #[diesel(sql_type = Bool)]
    create_role: bool,
    #[diesel(sql_type = Bool)]
    temporary: bool,
    #[diesel(sql_type = Text)]
    database: String,
    #[diesel(sql_type = Array<Text>)]
    temporary_grantees: Vec<String>,
}

#[derive(QueryableByName)]
struct Membership {
    #[diesel(sql_type = Text)]
    role: String,
    #[diesel(sql_type = Text)]
    attribute: String,
    #[diesel(sql_type = Array<Text>)]
    path: Vec<String>,
}

/// Checks the role and returns its name.
///
/// Membership counts whether or not the role inherits the other role's rights:
/// it can `SET ROLE` to it either way, and attributes such as `BYPASSRLS` come
/// with the `SET ROLE`, never with inheritance.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    problems: &mut Vec<IsolationProblem>,
) -> Result<String, diesel::result::Error> {
    let role: Role = diesel::sql_query(format!(
        "SELECT r.rolname::text AS name, quote_ident(r.rolname) AS quoted, \
                r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls, r.rolcreaterole AS create_role, \
                has_database_privilege(current_database(), 'TEMPORARY') AS temporary, \
                quote_ident(current_database()) AS database, \
                {} AS temporary_grantees \
         FROM pg_roles r WHERE r.rolname = current_user",
        acl::grantees(acl::DATABASE, "a.privilege_type = 'TEMPORARY'")
    ))
    .get_result(conn)?;
    if role.superuser {
        problems.push(IsolationProblem::Superuser);
    }
    if role.bypass_rls {
        problems.push(IsolationProblem::BypassRls);
    }
    if role.create_role {
        problems.push(IsolationProblem::CreateRole {
            role: role.quoted.clone(),
        });
    }
    // Besides the attributes, the predefined roles that read the server's files
    // (a table's files hold every tenant's rows) or run programs on it.
    let memberships: Vec<Membership> = diesel::sql_query(
        "WITH RECURSIVE up(role, path) AS ( \
             SELECT m.roleid, ARRAY[m.member, m.roleid] FROM pg_auth_members m \
             WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user) \
             UNION ALL \
             SELECT m.roleid, up.path || m.roleid FROM pg_auth_members m JOIN up ON m.member = up.role \
             WHERE m.roleid <> ALL(up.path)) \
         SELECT role, attribute, path FROM ( \
             SELECT DISTINCT ON (r.oid) quote_ident(r.rolname) AS role, \
                    CASE WHEN r.rolsuper THEN 'SUPERUSER' WHEN r.rolbypassrls THEN 'BYPASSRLS' \
                         WHEN r.rolcreaterole THEN 'CREATEROLE' ELSE r.rolname::text END AS attribute, \
                    ARRAY(SELECT quote_ident(pg_get_userbyid(p.oid)::text) \
                          FROM unnest(up.path) WITH ORDINALITY AS p(oid, n) ORDER BY p.n) AS path \
             FROM up JOIN pg_roles r ON r.oid = up.role \
             WHERE r.rolsuper OR r.rolbypassrls OR r.rolcreaterole \
                OR r.rolname IN ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program') \
             ORDER BY r.oid, cardinality(up.path)) found \
         ORDER BY role",
    )
    .load(conn)?;
    problems.extend(
        memberships
            .into_iter()
            .map(|m| IsolationProblem::MemberOfPrivilegedRole {
                role: m.role,
                attribute: m.attribute,
                path: m.path,
            }),
    );
    if role.temporary {
        let grantees = if role.temporary_grantees.is_empty() {
            vec![role.quoted]
        } else {
            role.temporary_grantees
        };
        problems.push(IsolationProblem::TemporaryObjects {
            database: role.database,
            grantees,
        });
    }
    Ok(role.name)
}
