//! The PostgreSQL side of same-tenant references: a composite foreign key
//! `(tenant, fk) -> (tenant, key)` per declared pair, and the parent's
//! `UNIQUE (tenant, key)` it needs.

use super::script::{do_block, script};
use crate::references::{literal, quoted, ReferenceNames};

/// The statements that make PostgreSQL refuse a child row whose foreign key
/// names another tenant's parent, in the order they are sent:
///
/// 1. the parent's `UNIQUE (tenant_id, id)`, which a composite foreign key
///    needs, unless a unique index on exactly those two columns already exists
///    (the primary key `(tenant_id, id)`, for example; the migration says which
///    it did, `NOTICE`);
/// 2. the child's `FOREIGN KEY (tenant_id, account_id) REFERENCES accounts
///    (tenant_id, id)`, added `NOT VALID`: every new write is checked from then
///    on, and adding it scans no rows;
/// 3. `VALIDATE CONSTRAINT`, which checks the rows already there and **fails if
///    any names another tenant's parent** (or a parent that does not exist):
///    find and mend those rows first. It takes a lock that lets reads and
///    writes go on, but the migration runs in one transaction, which still holds
///    the stronger locks of steps 1 and 2: on a large table, send step 3 in a
///    later migration.
///
/// Referential checks run with the table owner's rights and bypass row-level
/// security, which is why a plain `REFERENCES accounts (id)` accepts a reference
/// to another tenant's account. A `NULL` foreign key is not checked.
///
/// ```
/// # #[cfg(feature = "postgres")] {
/// use tenant_diesel::postgres::same_tenant_reference_up_statements;
/// use tenant_diesel::ReferenceNames;
///
/// let up = same_tenant_reference_up_statements(&ReferenceNames::named(
///     ["invoices", "tenant_id", "account_id"],
///     ["accounts", "tenant_id", "id"],
/// ));
/// assert!(up[1].contains("FOREIGN KEY (\"tenant_id\", \"account_id\") REFERENCES \"accounts\" (\"tenant_id\", \"id\") NOT VALID"));
/// assert_eq!(up[2], "ALTER TABLE \"invoices\" VALIDATE CONSTRAINT \"invoices_account_id_same_tenant\"");
/// # }
/// ```
pub fn same_tenant_reference_up_statements(pair: &ReferenceNames) -> Vec<String> {
    let [child, constraint] = [quoted(pair.child()), quoted(&pair.constraint())];
    vec![
        parent_unique(pair),
        format!(
            "ALTER TABLE {child} ADD CONSTRAINT {constraint}\n    \
                 FOREIGN KEY ({}, {}) REFERENCES {} ({}, {}) NOT VALID",
            quoted(pair.child_tenant()),
            quoted(pair.foreign_key()),
            quoted(pair.parent()),
            quoted(pair.parent_tenant()),
            quoted(pair.parent_key()),
        ),
        format!("ALTER TABLE {child} VALIDATE CONSTRAINT {constraint}"),
    ]
}

/// The statements that undo [`same_tenant_reference_up_statements`]: the
/// child's foreign key, then the parent's unique constraint if the up
/// statements added it.
pub fn same_tenant_reference_down_statements(pair: &ReferenceNames) -> Vec<String> {
    vec![drop_foreign_key(pair), drop_parent_unique(pair)]
}

/// [`same_tenant_reference_up_statements`] as a script, to read or paste into
/// a migration file.
pub fn same_tenant_reference_up_sql(pair: &ReferenceNames) -> String {
    script(same_tenant_reference_up_statements(pair))
}

/// The down statements of several pairs: every foreign key first, then every
/// unique constraint, since two children may reference one parent through the
/// same unique constraint.
pub(super) fn down_statements(pairs: &[ReferenceNames]) -> Vec<String> {
    let foreign_keys = pairs.iter().rev().map(drop_foreign_key);
    foreign_keys
        .chain(pairs.iter().rev().map(drop_parent_unique))
        .collect()
}

fn drop_foreign_key(pair: &ReferenceNames) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
        quoted(pair.child()),
        quoted(&pair.constraint())
    )
}

fn drop_parent_unique(pair: &ReferenceNames) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
        quoted(pair.parent()),
        quoted(&unique_name(pair))
    )
}

/// The name of the parent's unique constraint, when the migration adds it.
fn unique_name(pair: &ReferenceNames) -> String {
    format!(
        "{}_{}_{}_same_tenant_key",
        pair.parent(),
        pair.parent_tenant(),
        pair.parent_key()
    )
}

/// `UNIQUE (tenant, key)` on the parent, unless a unique index a foreign key
/// can use is already there: on exactly those two key columns, in either
/// order, immediate, valid, neither partial nor on expressions (what
/// PostgreSQL requires of a foreign key's target). A second would only slow
/// every write to the parent.
fn parent_unique(pair: &ReferenceNames) -> String {
    let parent = quoted(pair.parent());
    let [tenant, key] = [pair.parent_tenant(), pair.parent_key()];
    let (parent_literal, tenant_literal, key_literal) =
        (literal(&parent), literal(tenant), literal(key));
    do_block(&format!(
        "BEGIN\n    \
             IF EXISTS (SELECT FROM pg_index i\n               \
                        WHERE i.indrelid = {parent_literal}::regclass AND i.indisunique AND i.indimmediate\n                 \
                          AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = 2\n                 \
                          AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = i.indrelid\n                        \
                               AND a.attnum IN (i.indkey[0], i.indkey[1]) AND a.attname IN ({tenant_literal}, {key_literal})) = 2) THEN\n        \
                 RAISE NOTICE 'tenant wall: % already has a unique index on (%, %): not adding another', {parent_literal}, {tenant_literal}, {key_literal};\n    \
             ELSE\n        \
                 ALTER TABLE {parent} ADD CONSTRAINT {} UNIQUE ({}, {});\n    \
             END IF;",
        quoted(&unique_name(pair)),
        quoted(tenant),
        quoted(key),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::references::invoices_to_accounts as invoices;

    #[test]
    fn the_parent_gets_its_unique_key_only_where_none_fits() {
        let up = same_tenant_reference_up_statements(&invoices());
        assert_eq!(up.len(), 3);
        assert!(up[0].starts_with("DO $wall0$ BEGIN"), "{}", up[0]);
        assert!(
            up[0].contains("i.indrelid = '\"accounts\"'::regclass"),
            "{}",
            up[0]
        );
        assert!(
            up[0].contains("a.attname IN ('tenant_id', 'id')"),
            "{}",
            up[0]
        );
        assert!(
            up[0].contains("ALTER TABLE \"accounts\" ADD CONSTRAINT \"accounts_tenant_id_id_same_tenant_key\" UNIQUE (\"tenant_id\", \"id\");"),
            "{}",
            up[0]
        );
    }

    #[test]
    fn the_down_statements_drop_every_foreign_key_before_any_unique_key() {
        let other = ReferenceNames::named(
            ["payments", "tenant_id", "account_id"],
            ["accounts", "tenant_id", "id"],
        );
        let down = down_statements(&[invoices(), other]);
        assert_eq!(
            down,
            [
                "ALTER TABLE \"payments\" DROP CONSTRAINT IF EXISTS \"payments_account_id_same_tenant\"",
                "ALTER TABLE \"invoices\" DROP CONSTRAINT IF EXISTS \"invoices_account_id_same_tenant\"",
                "ALTER TABLE \"accounts\" DROP CONSTRAINT IF EXISTS \"accounts_tenant_id_id_same_tenant_key\"",
                "ALTER TABLE \"accounts\" DROP CONSTRAINT IF EXISTS \"accounts_tenant_id_id_same_tenant_key\"",
            ]
        );
    }

    #[test]
    fn hostile_names_stay_quoted_and_cannot_end_the_block() {
        let hostile = ReferenceNames::named(
            ["in\"v", "tenant_id", "acc$wall0$id"],
            ["it's", "t$wall1$", "id$wall0$"],
        );
        let up = same_tenant_reference_up_statements(&hostile);
        // The block's tag is one that no name spells.
        assert!(up[0].starts_with("DO $wall2$ "), "{}", up[0]);
        assert!(up[0].ends_with("END $wall2$"), "{}", up[0]);
        assert!(up[0].contains("'\"it''s\"'::regclass"), "{}", up[0]);
        assert!(
            up[0].contains("a.attname IN ('t$wall1$', 'id$wall0$')"),
            "{}",
            up[0]
        );
        assert!(
            up[0].contains(
                "ALTER TABLE \"it's\" ADD CONSTRAINT \"it's_t$wall1$_id$wall0$_same_tenant_key\""
            ),
            "{}",
            up[0]
        );
        assert!(
            up[1].starts_with(
                "ALTER TABLE \"in\"\"v\" ADD CONSTRAINT \"in\"\"v_acc$wall0$id_same_tenant\""
            ),
            "{}",
            up[1]
        );
        assert!(up[1].contains("(\"tenant_id\", \"acc$wall0$id\") REFERENCES \"it's\" (\"t$wall1$\", \"id$wall0$\") NOT VALID"), "{}", up[1]);
    }
}
