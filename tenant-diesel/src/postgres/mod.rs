//! PostgreSQL's row-level security as the second wall: the policies the library
//! generates, the migrations that install them, the start-up check that refuses a
//! setup in which they would not hold, and a pool for handlers.

mod grants;
#[cfg(feature = "r2d2")]
mod lookup_pool;
mod lookups;
mod migration;
#[cfg(feature = "r2d2")]
mod pool;
mod references;
mod rls_table;
mod script;
mod verify;
mod wall_sql;

#[cfg(feature = "r2d2")]
pub use lookup_pool::{LookupDirectory, LookupMembership, MembershipLookupError};
pub use lookups::{DirectoryLookup, MembershipLookup};
pub use migration::{
    rls_down_sql, rls_down_statements, rls_up_sql, rls_up_statements, same_tenant_foreign_key_sql,
    RlsMigrations,
};
#[cfg(feature = "r2d2")]
pub use pool::TenantDb;
pub use references::{
    same_tenant_reference_down_statements, same_tenant_reference_up_sql,
    same_tenant_reference_up_statements,
};
pub use rls_table::RlsTable;
pub use verify::{verify_isolation, IsolationError, IsolationProblem, WallFunctionFault};
pub use wall_sql::DIRTY_SESSION;
