//! The tenant relations every check looks at: each declared tenant table, found
//! as the application's unqualified queries find it, and every partition or
//! inheritance child of one, at any depth.

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Oid, SmallInt, Text};
use diesel::{OptionalExtension, QueryableByName, RunQueryDsl};

use super::{acl, IsolationProblem};
use crate::postgres::RlsMigrations;

/// A tenant table or one of its descendants, as the catalog describes it.
#[derive(QueryableByName)]
pub(super) struct Relation {
    #[diesel(sql_type = Oid)]
    pub(super) oid: u32,
    /// As `regclass` prints it: schema-qualified when not on the search path.
    #[diesel(sql_type = Text)]
    pub(super) name: String,
    /// The tenant column's number in this relation (a child's may differ from
    /// its parent's), 0 when it has none.
    #[diesel(sql_type = SmallInt)]
    pub(super) tenant_attnum: i16,
    #[diesel(sql_type = Bool)]
    pub(super) enabled: bool,
    #[diesel(sql_type = Bool)]
    pub(super) forced: bool,
    /// The role owns it or is a member of its owner.
    #[diesel(sql_type = Bool)]
    pub(super) owned: bool,
    /// The role holds some privilege on it or on one of its columns.
    #[diesel(sql_type = Bool)]
    pub(super) accessible: bool,
    /// Who holds those privileges for the role.
    #[diesel(sql_type = Array<Text>)]
    pub(super) grantees: Vec<String>,
    /// The declared tenant table it is or descends from, as declared.
    #[diesel(sql_type = Text)]
    pub(super) root: String,
    /// It descends from a declared table rather than being one.
    #[diesel(sql_type = Bool)]
    pub(super) child: bool,
}

/// The relations, declared tables first.
pub(super) struct Relations {
    pub(super) list: Vec<Relation>,
}

impl Relations {
    /// Each relation's oid, for `$n::oid[]`.
    pub(super) fn oids(&self) -> Vec<u32> {
        self.list.iter().map(|r| r.oid).collect()
    }

    /// Each relation's tenant column number, in the order of [`Self::oids`].
    pub(super) fn tenant_attnums(&self) -> Vec<i16> {
        self.list.iter().map(|r| r.tenant_attnum).collect()
    }

    /// The declared tables and the children the role can reach: the relations
    /// whose own row-level security stands between the role and the rows.
    pub(super) fn walled(&self) -> impl Iterator<Item = &Relation> {
        self.list.iter().filter(|r| !r.child || r.accessible)
    }
}

/// The state of a relation, for both queries below; `c` is its `pg_class` row,
/// `$1` the declared table it is or descends from, `$2` its tenant column's name.
fn state() -> String {
    format!(
        "c.oid AS oid, c.oid::regclass::text AS name, \
         COALESCE((SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $2 \
                   AND a.attnum > 0 AND NOT a.attisdropped), 0::int2) AS tenant_attnum, \
         c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced, \
         pg_has_role(current_user, c.relowner, 'MEMBER') AS owned, \
         (has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') \
          OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')) AS accessible, \
         {} AS grantees, $1 AS root",
        acl::grantees(&acl::relation("c"), "true")
    )
}

/// Finds the declared tenant tables and their descendants; a declared table
/// that does not exist (or lacks its tenant column) is reported.
///
/// A table is looked up as the generated migration and the application's
/// queries name it, `"accounts"` unqualified: `to_regclass` of the quoted name,
/// through the connection's search path.
// Catalog queries, with every value bound; the lint is for handler code.
#[allow(clippy::disallowed_methods)]
pub(super) fn tenant_relations(
    conn: &mut PgConnection,
    rls: &RlsMigrations,
    problems: &mut Vec<IsolationProblem>,
) -> Result<Relations, diesel::result::Error> {
    let state = state();
    let mut list: Vec<Relation> = Vec::new();
    let mut children: Vec<Relation> = Vec::new();
    for table in rls.tables() {
        let found: Option<Relation> = diesel::sql_query(format!(
            "SELECT {state}, false AS child FROM pg_class c \
             WHERE c.oid = to_regclass(quote_ident($1)) AND c.relkind IN ('r', 'p')"
        ))
        .bind::<Text, _>(table.table())
        .bind::<Text, _>(table.tenant_column())
        .get_result(conn)
        .optional()?;
        let Some(found) = found else {
            problems.push(IsolationProblem::MissingTable(table.table().to_owned()));
            continue;
        };
        if found.tenant_attnum == 0 {
            problems.push(IsolationProblem::MissingTenantColumn {
                table: table.table().to_owned(),
                column: table.tenant_column().to_owned(),
            });
        }
        // Partitions and inheritance children at any depth; each is reachable
        // by name, and its row-level security is its own.
        let descendants: Vec<Relation> = diesel::sql_query(format!(
            "WITH RECURSIVE tree(oid) AS ( \
                 SELECT inhrelid FROM pg_inherits WHERE inhparent = $3 \
                 UNION SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.oid) \
             SELECT {state}, true AS child FROM tree JOIN pg_class c ON c.oid = tree.oid ORDER BY 2"
        ))
        .bind::<Text, _>(table.table())
        .bind::<Text, _>(table.tenant_column())
        .bind::<Oid, _>(found.oid)
        .load(conn)?;
        list.push(found);
        children.extend(descendants);
    }
    // A child of two declared tables (multiple inheritance) is listed once.
    for child in children {
        if !list.iter().any(|r| r.oid == child.oid) {
            list.push(child);
        }
    }
    Ok(Relations { list })
}

/// Oids as a bind value.
pub(super) type Oids = Array<Oid>;
/// Column numbers as a bind value.
pub(super) type Attnums = Array<SmallInt>;
