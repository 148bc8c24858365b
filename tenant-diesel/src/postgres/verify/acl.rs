//! Who holds a privilege for the role: the grantees a `REVOKE` has to name so
//! that the printed fix takes the privilege away, whether it was granted to
//! the role, to a role it is a member of, or to `PUBLIC`.

/// An `ARRAY(..)` expression of the grantees, for the role, among the rows of
/// `acl` (a query of `aclexplode` rows) whose privilege satisfies `privilege`
/// (a condition on `a.privilege_type`), as `REVOKE .. FROM` takes them:
/// `PUBLIC` or a quoted role name.
pub(super) fn grantees(acl: &str, privilege: &str) -> String {
    format!(
        "ARRAY(SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' \
                                    ELSE quote_ident(pg_get_userbyid(a.grantee)::text) END \
               FROM ({acl}) a \
               WHERE ({privilege}) AND (a.grantee = 0 OR pg_has_role(current_user, a.grantee, 'MEMBER')) \
               ORDER BY 1)"
    )
}

/// The access list of the relation `class` (a `pg_class` row's alias) and of
/// its columns; a missing list is the owner's default one.
pub(super) fn relation(class: &str) -> String {
    format!(
        "SELECT * FROM aclexplode(COALESCE({class}.relacl, acldefault('r', {class}.relowner))) \
         UNION ALL \
         SELECT e.* FROM pg_attribute col, aclexplode(col.attacl) e \
         WHERE col.attrelid = {class}.oid AND col.attacl IS NOT NULL"
    )
}

/// The access list of the function `proc` (a `pg_proc` row's alias).
pub(super) fn function(proc: &str) -> String {
    format!("SELECT * FROM aclexplode(COALESCE({proc}.proacl, acldefault('f', {proc}.proowner)))")
}

/// The access list of the current database.
pub(super) const DATABASE: &str = "SELECT e.* FROM pg_database d, \
     aclexplode(COALESCE(d.datacl, acldefault('d', d.datdba))) e \
     WHERE d.datname = current_database()";
