//! Indexes and keys on the tenant tables: each must lead with the tenant column,
//! and each foreign key between tenant tables must pair the tenant columns.
//! Neither uniqueness nor referential checks nor an index scan ahead of the
//! policy see row-level security, so a key without the tenant is an oracle on
//! every tenant's rows.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::catalog::{Attnums, Oids, Relations};
use super::IsolationProblem;
use crate::postgres::RlsMigrations;

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    index: String,
    #[diesel(sql_type = Bool)]
    unique: bool,
    #[diesel(sql_type = Nullable<Text>)]
    constraint: Option<String>,
    #[diesel(sql_type = Text)]
    definition: String,
    #[diesel(sql_type = Text)]
    tenant_column: String,
}

#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    constraint: String,
    #[diesel(sql_type = Text)]
    references: String,
    #[diesel(sql_type = Array<Text>)]
    columns: Vec<String>,
    #[diesel(sql_type = Array<Text>)]
    referenced_columns: Vec<String>,
    #[diesel(sql_type = Text)]
    tenant_column: String,
    #[diesel(sql_type = Text)]
    referenced_tenant_column: String,
}

/// Checks the indexes and foreign keys of the tenant relations.
///
/// Unique keys (primary keys, unique constraints and indexes, exclusion
/// constraints) must lead with the tenant column: an insert that collides
/// tells whether another tenant holds the value. Other indexes must too when
/// the planner may scan them before the policy: btree indexes, and any index
/// whose leading column's operators are leakproof (a non-leakproof operator,
/// such as full-text `@@`, is only applied after the policy). An index of a
/// partition that belongs to its parent's index is reported once, as the
/// parent's. An index on the slug column alone of the declared directory's
/// table is accepted: the directory lookup (`find_tenant`) already tells the
/// role whether a slug exists, and a slug must be unique. So are the keys a
/// table reached through its parent cannot do without: its own primary key,
/// and the parent's unique key that its foreign key references (what they
/// tell is whether an id exists; ids the application draws at random tell
/// nothing), and the link itself is accepted as a foreign key.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn check(
    conn: &mut PgConnection,
    relations: &Relations,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<(), diesel::result::Error> {
    let (directory, slug) = crate::postgres::lookups::directory_slug(rls).unzip();
    // The tables reached through a parent, their foreign keys, and the
    // parents and keys those reference (`team_members`, `team_id`, `teams`,
    // `id`): the link is a single-column foreign key to a single-column key.
    let links: Vec<(&str, &str, &str, &str)> = rls
        .tables()
        .iter()
        .filter_map(|t| {
            t.parent()
                .map(|(parent, key)| (t.table(), t.tenant_column(), parent, key))
        })
        .collect();
    let children: Vec<&str> = links.iter().map(|link| link.0).collect();
    let foreign_keys: Vec<&str> = links.iter().map(|link| link.1).collect();
    let parents: Vec<&str> = links.iter().map(|link| link.2).collect();
    let keys: Vec<&str> = links.iter().map(|link| link.3).collect();
    let indexes: Vec<Index> = diesel::sql_query(
        "SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS index, \
                (i.indisunique OR i.indisexclusion) AS unique, \
                quote_ident(con.conname) AS constraint, \
                COALESCE(pg_get_constraintdef(con.oid), pg_get_indexdef(i.indexrelid)) AS definition, \
                quote_ident(a.attname) AS tenant_column \
         FROM pg_index i \
         JOIN unnest($1::oid[], $2::int2[]) AS w(oid, attnum) ON w.oid = i.indrelid \
         JOIN pg_attribute a ON a.attrelid = w.oid AND a.attnum = w.attnum \
         JOIN pg_class ic ON ic.oid = i.indexrelid \
         LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid \
                                     AND con.contype IN ('p', 'u', 'x') \
         WHERE i.indkey[0] <> w.attnum \
           AND NOT EXISTS (SELECT FROM pg_inherits h JOIN pg_index parent ON parent.indexrelid = h.inhparent \
                           WHERE h.inhrelid = i.indexrelid AND parent.indrelid = ANY($1)) \
           AND (i.indisunique OR i.indisexclusion \
                OR ic.relam = (SELECT oid FROM pg_am WHERE amname = 'btree') \
                OR EXISTS (SELECT FROM pg_opclass oc \
                           JOIN pg_amop ao ON ao.amopfamily = oc.opcfamily \
                           JOIN pg_operator o ON o.oid = ao.amopopr \
                           JOIN pg_proc f ON f.oid = o.oprcode \
                           WHERE oc.oid = i.indclass[0] AND f.proleakproof)) \
           AND NOT (con.contype = 'p' AND i.indrelid IN (SELECT to_regclass(quote_ident(t)) FROM unnest($5::text[]) AS t)) \
           AND NOT EXISTS (SELECT FROM unnest($6::text[], $7::text[]) AS k(parent, key) \
                           WHERE i.indrelid = to_regclass(quote_ident(k.parent)) AND i.indisunique \
                             AND i.indnatts = 1 AND i.indexprs IS NULL AND i.indpred IS NULL \
                             AND i.indkey[0] = (SELECT s.attnum FROM pg_attribute s \
                                                WHERE s.attrelid = i.indrelid AND s.attname = k.key)) \
           AND NOT COALESCE(i.indrelid = to_regclass($3) AND i.indnatts = 1 \
                            AND i.indexprs IS NULL AND i.indpred IS NULL \
                            AND i.indkey[0] = (SELECT s.attnum FROM pg_attribute s \
                                               WHERE s.attrelid = i.indrelid AND s.attname = $4), false) \
         ORDER BY 1, 2",
    )
    .bind::<Oids, _>(relations.oids())
    .bind::<Attnums, _>(relations.tenant_attnums())
    .bind::<Nullable<Text>, _>(directory)
    .bind::<Nullable<Text>, _>(slug)
    .bind::<Array<Text>, _>(&children)
    .bind::<Array<Text>, _>(&parents)
    .bind::<Array<Text>, _>(&keys)
    .load(conn)?;
    for index in indexes {
        problems.push(if index.unique {
            IsolationProblem::UniqueKeyWithoutTenant {
                table: index.table,
                index: index.index,
                constraint: index.constraint,
                definition: index.definition,
                tenant_column: index.tenant_column,
            }
        } else {
            IsolationProblem::IndexWithoutTenant {
                table: index.table,
                index: index.index,
                definition: index.definition,
                tenant_column: index.tenant_column,
            }
        });
    }

    // A key cloned onto a partition (`conparentid`) is its parent's key.
    let keys: Vec<ForeignKey> = diesel::sql_query(
        "SELECT con.conrelid::regclass::text AS table, quote_ident(con.conname) AS constraint, \
                con.confrelid::regclass::text AS references, \
                ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i) \
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns, \
                ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.confkey) WITH ORDINALITY AS k(n, i) \
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS referenced_columns, \
                quote_ident(ca.attname) AS tenant_column, quote_ident(pa.attname) AS referenced_tenant_column \
         FROM pg_constraint con \
         JOIN unnest($1::oid[], $2::int2[]) AS c(oid, attnum) ON c.oid = con.conrelid \
         JOIN unnest($1::oid[], $2::int2[]) AS p(oid, attnum) ON p.oid = con.confrelid \
         JOIN pg_attribute ca ON ca.attrelid = c.oid AND ca.attnum = c.attnum \
         JOIN pg_attribute pa ON pa.attrelid = p.oid AND pa.attnum = p.attnum \
         WHERE con.contype = 'f' AND con.conparentid = 0 \
           AND NOT EXISTS (SELECT FROM unnest(con.conkey, con.confkey) AS k(fk, pk) \
                           WHERE k.fk = c.attnum AND k.pk = p.attnum) \
           AND NOT EXISTS (SELECT FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS l(child, fk, parent, key) \
                           WHERE con.conrelid = to_regclass(quote_ident(l.child)) \
                             AND con.confrelid = to_regclass(quote_ident(l.parent)) \
                             AND con.conkey = ARRAY[(SELECT s.attnum FROM pg_attribute s \
                                                     WHERE s.attrelid = con.conrelid AND s.attname = l.fk)] \
                             AND con.confkey = ARRAY[(SELECT s.attnum FROM pg_attribute s \
                                                      WHERE s.attrelid = con.confrelid AND s.attname = l.key)]) \
         ORDER BY 1, 2",
    )
    .bind::<Oids, _>(relations.oids())
    .bind::<Attnums, _>(relations.tenant_attnums())
    .bind::<Array<Text>, _>(&children)
    .bind::<Array<Text>, _>(&foreign_keys)
    .bind::<Array<Text>, _>(&parents)
    .bind::<Array<Text>, _>(&keys)
    .load(conn)?;
    problems.extend(
        keys.into_iter()
            .map(|k| IsolationProblem::ForeignKeyWithoutTenant {
                table: k.table,
                constraint: k.constraint,
                references: k.references,
                columns: k.columns,
                referenced_columns: k.referenced_columns,
                tenant_column: k.tenant_column,
                referenced_tenant_column: k.referenced_tenant_column,
            }),
    );
    Ok(())
}
