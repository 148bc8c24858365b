//! The demo data: two tenants, their accounts, and four users with hashed
//! passwords. Seeded into an empty database only, by the tables' owner; this is
//! set-up code, not a request path, so it writes the tables directly.

use diesel::prelude::*;

use crate::auth::hash_password;
use crate::error::AppError;
use crate::schema::{accounts, memberships, tenants, users};

/// The demo tenants: (id, slug, name, plan).
pub const TENANTS: [(i64, &str, &str, &str); 2] = [
    (1, "acme", "Acme Corp", "pro"),
    (2, "contoso", "Contoso Ltd", "free"),
];

/// The demo accounts: (id, tenant id, name, status). Ids interleave across
/// tenants, so every neighbouring id belongs to the other tenant: what a
/// tampered `account_id` would guess.
pub const ACCOUNTS: [(i64, i64, &str, &str); 6] = [
    (1, 1, "Initech", "active"),
    (2, 2, "Umbrella", "active"),
    (3, 1, "Hooli", "trial"),
    (4, 2, "Stark Industries", "trial"),
    (5, 1, "Wayne Enterprises", "active"),
    (6, 2, "Tyrell Corp", "trial"),
];

/// The demo users: (id, username, password, staff, tenant ids).
pub const USERS: [(i64, &str, &str, bool, &[i64]); 4] = [
    (1, "alice", "alice-demo", false, &[1]),
    (2, "bob", "bob-demo", false, &[2]),
    (3, "carol", "carol-demo", false, &[1, 2]),
    (4, "sam", "sam-staff", true, &[]),
];

macro_rules! seed_fn {
    ($(#[$meta:meta])* $name:ident, $conn:ty) => {
        $(#[$meta])*
        pub fn $name(conn: &mut $conn) -> Result<(), AppError> {
            let existing: i64 = tenants::table.count().get_result(conn)?;
            if existing > 0 {
                return Ok(());
            }
            let hashes = USERS
                .iter()
                .map(|(_, _, password, _, _)| hash_password(password))
                .collect::<Result<Vec<_>, _>>()?;
            conn.transaction(|conn| {
                for (id, slug, name, plan) in TENANTS {
                    diesel::insert_into(tenants::table)
                        .values((tenants::id.eq(id), tenants::slug.eq(slug), tenants::name.eq(name), tenants::plan.eq(plan)))
                        .execute(conn)?;
                }
                for ((id, username, _, staff, member_of), hash) in USERS.iter().zip(&hashes) {
                    diesel::insert_into(users::table)
                        .values((users::id.eq(id), users::username.eq(username), users::password_hash.eq(hash), users::is_staff.eq(staff)))
                        .execute(conn)?;
                    for tenant in member_of.iter() {
                        diesel::insert_into(memberships::table)
                            .values((memberships::user_id.eq(id), memberships::tenant_id.eq(tenant)))
                            .execute(conn)?;
                    }
                }
                for (id, tenant, name, status) in ACCOUNTS {
                    diesel::insert_into(accounts::table)
                        .values((accounts::id.eq(id), accounts::tenant_id.eq(tenant), accounts::name.eq(name), accounts::status.eq(status)))
                        .execute(conn)?;
                }
                Ok::<_, AppError>(())
            })
        }
    };
}

seed_fn!(
    /// Seeds an empty SQLite database.
    seed_sqlite,
    diesel::sqlite::SqliteConnection
);
#[cfg(feature = "postgres")]
seed_fn!(
    /// Seeds an empty PostgreSQL database, as the tables' owner.
    seed_pg,
    diesel::pg::PgConnection
);
#[cfg(feature = "mysql")]
seed_fn!(
    /// Seeds an empty MySQL or MariaDB database, as the tables' owner.
    seed_mysql,
    crate::mysql::StartupConnection
);
