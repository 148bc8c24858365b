//! The lookups that run before a tenant is known, behind PostgreSQL's
//! row-level security, as the application's role (`app_user`: not an owner, not
//! a superuser, not `BYPASSRLS`): finding the tenant by its slug during
//! resolution, and asking whether an actor is a member of it during
//! authorization. The tenants table is the tenant table itself
//! (`organizations`, `#[tenant(column = id)]`) and the memberships table is a
//! tenant table too, so without a tenant the role reads neither; the generated
//! `SECURITY DEFINER` functions answer exactly the question asked and nothing
//! more, and `verify_isolation` accepts them only as generated. Each defence
//! beside a control that shows what it stops.
//!
//! The tables are made, and the functions attacked, with raw SQL on purpose.
#![allow(clippy::disallowed_methods)]

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use tenant_diesel::postgres::{
    rls_up_statements, verify_isolation, DirectoryLookup, IsolationError, IsolationProblem,
    LookupDirectory, LookupMembership, MembershipLookup, RlsMigrations, RlsTable,
    WallFunctionFault,
};
use tenant_diesel::prelude::*;
use tenant_diesel::{
    AccessDenied, ActorId, DirectoryError, MembershipCheck, ResolvedTenant, Tenant,
    TenantDirectory, TenantSlug,
};
use tenant_diesel_tests::postgres::{rls_migrations, PgServer, TestDb, APP_ROLE};

diesel::table! {
    organizations (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        plan -> Text,
    }
}

diesel::table! {
    memberships (tenant_id, user_id) {
        tenant_id -> BigInt,
        user_id -> Text,
    }
}

/// The tenants table is the tenant table itself: its `id` is the tenant.
#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = organizations)]
#[tenant(column = id)]
struct Organization {
    id: i64,
    slug: String,
    name: String,
    plan: String,
}

#[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = memberships)]
struct Membership {
    tenant_id: i64,
    user_id: String,
}

/// Alice is a member of Acme, Bob of Contoso. The slug is unique, as a
/// directory needs it: `verify_isolation` accepts that key on the declared
/// directory's slug alone, which `find_tenant` already answers for;
/// [`the_directory_refuses_a_slug_that_names_two_tenants`] shows what the
/// directory does without it.
const SCHEMA: &str = "
    CREATE TABLE organizations (id BIGINT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, plan TEXT NOT NULL);
    CREATE TABLE memberships (tenant_id BIGINT NOT NULL REFERENCES organizations (id), user_id TEXT NOT NULL,
                              PRIMARY KEY (tenant_id, user_id));
    INSERT INTO organizations VALUES (1, 'acme', 'Acme', 'pro'), (2, 'contoso', 'Contoso', 'free');
    INSERT INTO memberships VALUES (1, 'alice'), (2, 'bob');
";

fn directory() -> DirectoryLookup<i64> {
    DirectoryLookup::of::<organizations::table>()
}

fn membership() -> MembershipLookup<i64> {
    MembershipLookup::of::<memberships::table>("user_id")
}

/// The generated migration of the two tables and their lookups, granted to
/// the application's role.
fn migration(db: &TestDb) -> RlsMigrations {
    RlsMigrations::new("20240101000002")
        .setting(db.setting.clone())
        .tenant_table::<organizations::table>()
        .tenant_table::<memberships::table>()
        .directory_lookup(directory())
        .membership_lookup(membership())
        .grant_to(APP_ROLE)
}

/// What `verify_isolation` is told: the test schema's tables, these two and
/// the lookups.
fn declared() -> RlsMigrations {
    rls_migrations()
        .tenant_table::<organizations::table>()
        .tenant_table::<memberships::table>()
        .directory_lookup(directory())
        .membership_lookup(membership())
}

/// A fresh database with the two tables behind the wall, as its owner (a
/// superuser here) runs the generated migration, statement by statement.
fn walled() -> TestDb {
    let mut db = TestDb::new();
    db.observer.batch_execute(SCHEMA).unwrap();
    for statement in migration(&db).up_statements() {
        db.observer
            .batch_execute(&statement)
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    db
}

fn owner(db: &mut TestDb, sql: &str) {
    db.observer
        .batch_execute(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[derive(Debug, PartialEq, QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    plan: String,
}

fn row(id: i64, slug: &str, name: &str, plan: &str) -> Row {
    Row {
        id,
        slug: slug.into(),
        name: name.into(),
        plan: plan.into(),
    }
}

/// `tenant_wall.find_tenant(slug)` as raw SQL on `conn`.
fn find(conn: &mut PgConnection, slug: Option<&str>) -> Result<Vec<Row>, diesel::result::Error> {
    diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT * FROM tenant_wall.find_tenant($1) ORDER BY id")
            .bind::<Nullable<Text>, _>(slug),
        conn,
    )
}

#[derive(QueryableByName)]
struct Answer {
    #[diesel(sql_type = Bool)]
    member: bool,
}

/// `tenant_wall.is_member(tenant, actor)` as raw SQL on `conn`.
fn is_member(conn: &mut PgConnection, tenant: Option<i64>, actor: Option<&str>) -> bool {
    let answer: Answer = diesel::RunQueryDsl::get_result(
        diesel::sql_query("SELECT tenant_wall.is_member($1, $2) AS member")
            .bind::<Nullable<BigInt>, _>(tenant)
            .bind::<Nullable<Text>, _>(actor),
        conn,
    )
    .unwrap();
    answer.member
}

/// The slugs of the organizations `conn` reads with a plain query.
fn plain_slugs(conn: &mut PgConnection) -> Vec<String> {
    diesel::RunQueryDsl::load(
        organizations::table
            .order(organizations::id)
            .select(organizations::slug),
        conn,
    )
    .unwrap()
}

/// The memberships `conn` reads with a plain query.
fn plain_memberships(conn: &mut PgConnection) -> Vec<(i64, String)> {
    diesel::RunQueryDsl::load(memberships::table.order(memberships::tenant_id), conn).unwrap()
}

fn pool(db: &TestDb) -> Pool<ConnectionManager<PgConnection>> {
    Pool::builder()
        .max_size(1)
        .build(ConnectionManager::new(
            PgServer::shared().url(APP_ROLE, &db.name),
        ))
        .unwrap()
}

fn slug(text: &str) -> TenantSlug {
    TenantSlug::parse(text).unwrap()
}

fn problems(result: Result<(), IsolationError>) -> Vec<IsolationProblem> {
    match result {
        Ok(()) => Vec::new(),
        Err(IsolationError::Unsafe { problems, .. }) => problems,
        Err(other) => panic!("{other}"),
    }
}

// ------------------------------------------------------------- the problem

#[test]
fn control_behind_the_wall_the_app_role_finds_no_tenant_before_one_is_known() {
    let mut db = walled();
    // The plain lookups of resolution and authorization, as the application's
    // role: no tenant is set yet, so the policies show nothing.
    assert_eq!(plain_slugs(&mut db.app), Vec::<String>::new());
    assert_eq!(plain_memberships(&mut db.app), []);
    // The rows are there: the owner (a superuser) reads them all.
    assert_eq!(plain_slugs(&mut db.observer), ["acme", "contoso"]);
    assert_eq!(plain_memberships(&mut db.observer).len(), 2);
}

// ------------------------------------------------------------- find_tenant

#[test]
fn find_tenant_returns_exactly_the_row_of_the_slug_asked_for() {
    let mut db = walled();
    assert_eq!(
        find(&mut db.app, Some("acme")).unwrap(),
        [row(1, "acme", "Acme", "pro")]
    );
    assert_eq!(
        find(&mut db.app, Some("contoso")).unwrap(),
        [row(2, "contoso", "Contoso", "free")]
    );
    // No pattern, no case folding, no prefix, nothing for the empty slug.
    for other in ["ACME", "%", "acm%", "_cme", "acme ", ""] {
        assert_eq!(find(&mut db.app, Some(other)).unwrap(), [], "{other:?}");
    }
    // Control: the same patterns as a `LIKE` over the table would have
    // matched every tenant.
    let like: Vec<String> = diesel::RunQueryDsl::load(
        organizations::table
            .filter(organizations::slug.like("%"))
            .select(organizations::slug),
        &mut db.observer,
    )
    .unwrap();
    assert_eq!(like.len(), 2);
}

#[test]
fn find_tenant_finds_nothing_for_a_null_slug_even_beside_a_row_without_one() {
    let mut db = walled();
    owner(
        &mut db,
        "ALTER TABLE organizations ALTER slug DROP NOT NULL;
         INSERT INTO organizations VALUES (3, NULL, 'Nameless', 'free');",
    );
    assert_eq!(find(&mut db.app, None).unwrap(), []);
    // Control: the row is there, and a NULL-safe comparison finds it.
    let nameless: Vec<i64> = diesel::RunQueryDsl::load(
        organizations::table
            .filter(organizations::slug.is_null())
            .select(organizations::id),
        &mut db.observer,
    )
    .unwrap();
    assert_eq!(nameless, [3]);
}

#[test]
fn the_lookups_are_executable_by_the_granted_role_only() {
    let mut db = walled();
    assert_eq!(find(&mut db.app, Some("acme")).unwrap().len(), 1);
    assert!(is_member(&mut db.app, Some(1), Some("alice")));
    // Without the role's own grant, `PUBLIC` holds nothing either: the
    // migration revoked what every new function grants it.
    owner(
        &mut db,
        &format!(
            "REVOKE EXECUTE ON FUNCTION tenant_wall.find_tenant(text) FROM {APP_ROLE};
             REVOKE EXECUTE ON FUNCTION tenant_wall.is_member(bigint, text) FROM {APP_ROLE};"
        ),
    );
    let refused = find(&mut db.app, Some("acme")).unwrap_err().to_string();
    assert!(refused.contains("permission denied"), "{refused}");
    let refused = db
        .app
        .batch_execute("SELECT tenant_wall.is_member(1, 'alice')")
        .unwrap_err()
        .to_string();
    assert!(refused.contains("permission denied"), "{refused}");
}

// ------------------------------------------------------------- is_member

#[test]
fn is_member_answers_for_exactly_the_pair_asked_about() {
    let mut db = walled();
    assert!(is_member(&mut db.app, Some(1), Some("alice")));
    assert!(is_member(&mut db.app, Some(2), Some("bob")));
    // Another tenant's member, a member of another tenant, patterns, NULLs.
    assert!(!is_member(&mut db.app, Some(2), Some("alice")));
    assert!(!is_member(&mut db.app, Some(1), Some("bob")));
    for actor in ["ALICE", "%", "ali%", "alice ", ""] {
        assert!(!is_member(&mut db.app, Some(1), Some(actor)), "{actor:?}");
    }
    assert!(!is_member(&mut db.app, None, Some("alice")));
    assert!(!is_member(&mut db.app, Some(1), None));
    assert!(!is_member(&mut db.app, Some(3), Some("alice")));
}

#[test]
fn a_case_insensitive_collation_does_not_make_another_actor_a_member() {
    let mut db = walled();
    owner(
        &mut db,
        "CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
         ALTER TABLE memberships ALTER user_id TYPE text COLLATE case_insensitive;",
    );
    // Control: under the column's collation `ALICE` is `alice`.
    let equal: i64 = diesel::RunQueryDsl::get_result(
        memberships::table
            .filter(memberships::user_id.eq("ALICE"))
            .count(),
        &mut db.observer,
    )
    .unwrap();
    assert_eq!(equal, 1);
    // The function compares bytes too: another spelling is another actor.
    assert!(!is_member(&mut db.app, Some(1), Some("ALICE")));
    assert!(is_member(&mut db.app, Some(1), Some("alice")));
}

// ------------------------------------------------------------- end to end

#[test]
fn the_directory_and_the_membership_check_mint_a_context_that_reads_its_own_rows() {
    let mut db = walled();
    let pool = pool(&db);
    let directory = LookupDirectory::new(pool.clone(), &directory());
    let members = LookupMembership::new(pool, &membership());

    let acme = directory.find_by_slug(&slug("acme")).unwrap().unwrap();
    assert_eq!(
        acme,
        Tenant {
            id: TenantId::new(1),
            slug: slug("acme"),
            name: "Acme".into(),
            plan: "pro".into(),
        }
    );
    assert_eq!(directory.find_by_slug(&slug("globex")).unwrap(), None);

    let resolved = ResolvedTenant::new(acme);
    // Control: Bob is Contoso's, not Acme's; no context for him.
    assert!(matches!(
        resolved.authorize(&ActorId::new("bob"), &members),
        Err(AccessDenied::NotAMember { .. })
    ));
    assert!(!members
        .is_member(
            &ActorId::new("alice"),
            &directory.find_by_slug(&slug("contoso")).unwrap().unwrap()
        )
        .unwrap());
    let ctx = resolved
        .authorize(&ActorId::new("alice"), &members)
        .unwrap();
    assert_eq!(ctx.tenant_id(), TenantId::new(1));

    // The context's unit of work reads its own organization and membership,
    // and only those.
    let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
    let mine: Vec<Organization> = Organization::scoped(&ctx).load(&mut conn).unwrap();
    assert_eq!(
        mine,
        [Organization {
            id: 1,
            slug: "acme".into(),
            name: "Acme".into(),
            plan: "pro".into()
        }]
    );
    let members_of_mine: Vec<Membership> = Membership::scoped(&ctx).load(&mut conn).unwrap();
    assert_eq!(
        members_of_mine,
        [Membership {
            tenant_id: 1,
            user_id: "alice".into()
        }]
    );
}

#[test]
fn the_directory_refuses_a_slug_that_names_two_tenants() {
    let mut db = walled();
    let directory = LookupDirectory::new(pool(&db), &directory());
    // Control: one row per slug, one tenant.
    assert!(directory.find_by_slug(&slug("acme")).unwrap().is_some());
    owner(
        &mut db,
        "ALTER TABLE organizations DROP CONSTRAINT organizations_slug_key;
         INSERT INTO organizations VALUES (3, 'acme', 'Acme Again', 'free');",
    );
    // Not whichever row came first: an error, and no tenant to authorize.
    let refused = directory.find_by_slug(&slug("acme")).unwrap_err();
    assert!(matches!(refused, DirectoryError::Query(_)), "{refused:?}");
    assert!(
        refused.to_string().contains("more than one row"),
        "{refused}"
    );
}

// ------------------------------------------------------------- verify_isolation

#[test]
fn verify_isolation_accepts_a_unique_slug_only_on_the_declared_directorys_table() {
    let mut db = walled();
    assert_eq!(problems(verify_isolation(&mut db.app, &declared())), []);
    // Control: without the directory lookup, the unique slug is an oracle no
    // function already answers for.
    let without_directory = rls_migrations()
        .tenant_table::<organizations::table>()
        .tenant_table::<memberships::table>()
        .membership_lookup(membership());
    let found = problems(verify_isolation(&mut db.app, &without_directory));
    assert!(
        found.iter().any(
            |p| matches!(p, IsolationProblem::UniqueKeyWithoutTenant { definition, .. }
            if definition == "UNIQUE (slug)")
        ),
        "{found:?}"
    );
    // A key of the slug and another column is not the slug alone.
    owner(
        &mut db,
        "CREATE UNIQUE INDEX organizations_slug_name ON organizations (slug, name);",
    );
    let found = problems(verify_isolation(&mut db.app, &declared()));
    assert!(
        matches!(found.as_slice(), [IsolationProblem::UniqueKeyWithoutTenant { index, .. }]
            if index == "organizations_slug_name"),
        "{found:?}"
    );
}

/// A `find_tenant` as an attacker with the owner's rights would write it: the
/// same name, signature and settings, every row.
const EVERY_ROW: &str = "CREATE OR REPLACE FUNCTION tenant_wall.find_tenant(slug text)
        RETURNS TABLE (id bigint, slug text, name text, plan text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$SELECT t.id, t.slug, t.name, t.plan FROM public.organizations AS t$$";

#[test]
fn verify_isolation_accepts_the_generated_lookups_and_reports_an_altered_one() {
    let mut db = walled();
    assert_eq!(problems(verify_isolation(&mut db.app, &declared())), []);

    // Control: the same database, the lookups not declared. They are
    // SECURITY DEFINER functions of a superuser that the role can execute,
    // and as such reported; it is the declaration that accepts them.
    let undeclared = problems(verify_isolation(
        &mut db.app,
        &rls_migrations()
            .tenant_table::<organizations::table>()
            .tenant_table::<memberships::table>(),
    ));
    let definers: Vec<&str> = undeclared
        .iter()
        .filter_map(|p| match p {
            IsolationProblem::DefinerFunction { function, .. } => Some(function.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        definers,
        [
            "tenant_wall.find_tenant(text)",
            "tenant_wall.is_member(bigint,text)"
        ],
        "{undeclared:?}"
    );
    // And the unique slug, accepted only beside a declared directory.
    assert_eq!(undeclared.len(), 3, "{undeclared:?}");

    // The owner replaces the directory's body with one that returns every row:
    // what the role then reads, and what the check says.
    owner(&mut db, EVERY_ROW);
    assert_eq!(find(&mut db.app, Some("acme")).unwrap().len(), 2);
    assert!(LookupDirectory::new(pool(&db), &directory())
        .find_by_slug(&slug("acme"))
        .is_err());
    assert_eq!(
        problems(verify_isolation(&mut db.app, &declared())),
        [IsolationProblem::LookupFunctionAltered {
            function: "tenant_wall.find_tenant(text)".into(),
            fault: WallFunctionFault::Body,
        }]
    );
}

#[test]
fn verify_isolation_reports_a_lookup_with_another_search_path_owner_or_none() {
    let mut db = walled();
    let altered = |function: &str, fault| IsolationProblem::LookupFunctionAltered {
        function: function.into(),
        fault,
    };
    // Control: as generated, nothing to report.
    assert_eq!(problems(verify_isolation(&mut db.app, &declared())), []);

    // `public` ahead of `pg_catalog`: an operator created there would be
    // preferred to the built-in one inside the function.
    owner(
        &mut db,
        "ALTER FUNCTION tenant_wall.is_member(bigint, text) SET search_path = public, pg_catalog",
    );
    assert_eq!(
        problems(verify_isolation(&mut db.app, &declared())),
        [altered(
            "tenant_wall.is_member(bigint,text)",
            WallFunctionFault::SearchPath
        )]
    );
    owner(
        &mut db,
        "ALTER FUNCTION tenant_wall.is_member(bigint, text) RESET search_path",
    );
    assert_eq!(
        problems(verify_isolation(&mut db.app, &declared())),
        [altered(
            "tenant_wall.is_member(bigint,text)",
            WallFunctionFault::SearchPath
        )]
    );
    owner(
        &mut db,
        "ALTER FUNCTION tenant_wall.is_member(bigint, text) SET search_path = pg_catalog, pg_temp",
    );
    assert_eq!(problems(verify_isolation(&mut db.app, &declared())), []);

    // Owned by the role, it can be replaced by the role.
    owner(
        &mut db,
        &format!("ALTER FUNCTION tenant_wall.find_tenant(text) OWNER TO {APP_ROLE}"),
    );
    assert_eq!(
        problems(verify_isolation(&mut db.app, &declared())),
        [altered(
            "tenant_wall.find_tenant(text)",
            WallFunctionFault::OwnedByRole
        )]
    );

    // Declared but missing: resolution and authorization would fail.
    owner(
        &mut db,
        "DROP FUNCTION tenant_wall.find_tenant(text); DROP FUNCTION tenant_wall.is_member(bigint, text);",
    );
    assert_eq!(
        problems(verify_isolation(&mut db.app, &declared())),
        [
            altered("tenant_wall.find_tenant(text)", WallFunctionFault::Missing),
            altered(
                "tenant_wall.is_member(bigint, text)",
                WallFunctionFault::Missing
            ),
        ]
    );
}

// ------------------------------------------------------------- an owner under its own policies

#[test]
fn an_owner_walled_by_force_reads_through_the_lookup_policy_and_the_role_still_reads_nothing() {
    // The tables' owner is an ordinary role, as on a managed server: FORCE ROW
    // LEVEL SECURITY walls it too, and the functions run as it.
    let mut db = TestDb::new();
    let role = format!("lookup_owner_{}", db.name);
    owner(
        &mut db,
        &format!(
            "CREATE ROLE {role} NOLOGIN; GRANT CREATE ON SCHEMA tenant_wall TO {role};
             {SCHEMA}
             ALTER TABLE organizations OWNER TO {role}; ALTER TABLE memberships OWNER TO {role};"
        ),
    );
    let statements = rls_up_statements(&RlsTable::of::<organizations::table>(), &db.setting)
        .into_iter()
        .chain(rls_up_statements(
            &RlsTable::of::<memberships::table>(),
            &db.setting,
        ))
        .chain(directory().up_statements(Some(APP_ROLE)))
        .chain(membership().up_statements(Some(APP_ROLE)))
        .chain([format!(
            "GRANT SELECT ON organizations, memberships TO {APP_ROLE}"
        )]);
    owner(&mut db, &format!("SET ROLE {role}"));
    for statement in statements {
        owner(&mut db, &statement);
    }

    assert_eq!(
        find(&mut db.app, Some("acme")).unwrap(),
        [row(1, "acme", "Acme", "pro")]
    );
    assert!(is_member(&mut db.app, Some(1), Some("alice")));
    // The lookup policy names the owner alone: the role's own queries still
    // read nothing.
    assert_eq!(plain_slugs(&mut db.app), Vec::<String>::new());
    assert_eq!(plain_memberships(&mut db.app), []);

    // Control: without the lookup policies the owner is walled like anyone,
    // and the functions find nothing.
    owner(
        &mut db,
        "DROP POLICY organizations_tenant_lookup ON public.organizations;
         DROP POLICY memberships_tenant_lookup ON public.memberships;
         RESET ROLE;",
    );
    assert_eq!(find(&mut db.app, Some("acme")).unwrap(), []);
    assert!(!is_member(&mut db.app, Some(1), Some("alice")));
}

// ------------------------------------------------------------- UUID-keyed tenants

mod uuid_keyed {
    use super::*;

    const ACME: uuid::Uuid = uuid::Uuid::from_u128(0x0a0e_cafe_0000_4000_8000_0000_0000_00a1);
    const CONTOSO: uuid::Uuid = uuid::Uuid::from_u128(0x0a0e_cafe_0000_4000_8000_0000_0000_00a2);

    diesel::table! {
        orgs (id) {
            id -> Uuid,
            slug -> Text,
            name -> Text,
            plan -> Text,
        }
    }

    diesel::table! {
        members (org_id, user_id) {
            org_id -> Uuid,
            user_id -> Text,
        }
    }

    #[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
    #[diesel(table_name = orgs)]
    #[tenant(column = id)]
    struct Org {
        id: uuid::Uuid,
        slug: String,
        name: String,
        plan: String,
    }

    #[derive(Debug, PartialEq, Queryable, Selectable, TenantScoped)]
    #[diesel(table_name = members)]
    #[tenant(column = org_id)]
    struct Member {
        org_id: uuid::Uuid,
        user_id: String,
    }

    #[test]
    fn uuid_keyed_lookups_resolve_and_authorize_behind_the_wall() {
        let mut db = TestDb::new();
        owner(
            &mut db,
            &format!(
                "CREATE TABLE orgs (id UUID PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL, plan TEXT NOT NULL);
                 CREATE TABLE members (org_id UUID NOT NULL REFERENCES orgs (id), user_id TEXT NOT NULL,
                                       PRIMARY KEY (org_id, user_id));
                 INSERT INTO orgs VALUES ('{ACME}', 'acme', 'Acme', 'pro'), ('{CONTOSO}', 'contoso', 'Contoso', 'free');
                 INSERT INTO members VALUES ('{ACME}', 'alice'), ('{CONTOSO}', 'bob');"
            ),
        );
        let (directory, membership) = (
            DirectoryLookup::of::<orgs::table>(),
            MembershipLookup::of::<members::table>("user_id"),
        );
        let rls = RlsMigrations::new("20240101000002")
            .setting(db.setting.clone())
            .tenant_table::<orgs::table>()
            .tenant_table::<members::table>()
            .directory_lookup(directory.clone())
            .membership_lookup(membership.clone())
            .grant_to(APP_ROLE);
        for statement in rls.up_statements() {
            owner(&mut db, &statement);
        }
        // Control: without a tenant the role reads neither table.
        let plain: Vec<uuid::Uuid> =
            diesel::RunQueryDsl::load(orgs::table.select(orgs::id), &mut db.app).unwrap();
        assert!(plain.is_empty(), "{plain:?}");

        let pool = pool(&db);
        let tenants = LookupDirectory::new(pool.clone(), &directory);
        let checks = LookupMembership::new(pool, &membership);
        let acme: Tenant<uuid::Uuid> = tenants.find_by_slug(&slug("acme")).unwrap().unwrap();
        assert_eq!(acme.id, TenantId::new(ACME));
        let contoso = tenants.find_by_slug(&slug("contoso")).unwrap().unwrap();
        assert!(!checks.is_member(&ActorId::new("alice"), &contoso).unwrap());
        let resolved = ResolvedTenant::new(acme);
        assert!(resolved.authorize(&ActorId::new("bob"), &checks).is_err());
        let ctx = resolved.authorize(&ActorId::new("alice"), &checks).unwrap();

        let mut conn = TenantConn::with_setting(&mut db.app, &ctx, db.setting.clone());
        let mine: Vec<Org> = Org::scoped(&ctx).load(&mut conn).unwrap();
        assert_eq!(
            mine,
            [Org {
                id: ACME,
                slug: "acme".into(),
                name: "Acme".into(),
                plan: "pro".into()
            }]
        );
        let my_members: Vec<Member> = Member::scoped(&ctx).load(&mut conn).unwrap();
        assert_eq!(
            my_members,
            [Member {
                org_id: ACME,
                user_id: "alice".into()
            }]
        );
        drop(conn);

        let declared = rls_migrations()
            .tenant_table::<orgs::table>()
            .tenant_table::<members::table>()
            .directory_lookup(directory)
            .membership_lookup(membership);
        assert_eq!(problems(verify_isolation(&mut db.app, &declared)), []);
    }
}
