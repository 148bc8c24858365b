//! Row locks on a tenant's own rows: `FOR UPDATE`, `FOR NO KEY UPDATE`,
//! `FOR SHARE`, `FOR KEY SHARE`, then `SKIP LOCKED` or `NOWAIT`; a job queue's
//! `.filter(..).order(..).limit(1).for_update().skip_locked()`.
//!
//! Only on the read-write scope of a tenant-owned table. Not on a global table:
//! its rows are every tenant's, and a lock taken for one tenant's request would
//! make the others wait. Not on the scope that reads shared rows, for the same
//! reason. Not on a join: Diesel has no `FOR UPDATE OF`, so the lock would take
//! the joined table's rows too, a global table's among them.
//!
//! Diesel's `LockingDsl` and `ModifyLockDsl` build the clause, with lock types
//! of this crate: Diesel's own are public types in a private module, which no
//! bound outside Diesel can name. They write what Diesel's write on PostgreSQL
//! and MySQL, but for a shared lock on MySQL (`LOCK IN SHARE MODE`, which
//! MariaDB parses, where Diesel writes `FOR SHARE`, which MariaDB 10 does not).
//! SQLite has no row locks: a locked query there does not compile, nor does a
//! key lock (`FOR NO KEY UPDATE`, `FOR KEY SHARE`) on MySQL.
// Only this module writes SQL text by hand: the keywords of the clause.
#![allow(clippy::disallowed_methods)]

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::query_dsl::methods::{LockingDsl, ModifyLockDsl};
use diesel::QueryResult;

use crate::owned::OwnedTable;
use crate::scoped::{ReadWrite, ReadsSharedRows, Scoped};
use crate::seal::ImplementedByTenantDieselOnly;

/// The rows of a scope's table may be locked from a tenant's scope: a
/// tenant-owned table (a tenant column of its own, or reached through its
/// parent). Not a global table, not a join.
#[diagnostic::on_unimplemented(
    message = "a tenant's scope does not lock the rows of `{Self}`",
    label = "row locks are taken on one tenant-owned table only",
    note = "a table every tenant shares (`global_table!`): a lock taken for one tenant's request would make every other tenant wait; read its rows without a lock",
    note = "a join: Diesel has no `FOR UPDATE OF`, so the lock would take the joined table's rows too, a global table's among them; lock the rows of one table, `Model::scoped(&ctx).filter(..).for_update()`, and read the joined rows without a lock in the same `conn.transaction(..)`"
)]
pub trait LockableRows: ImplementedByTenantDieselOnly<seal::LockSeal> {}

#[diagnostic::do_not_recommend]
impl<T: OwnedTable> LockableRows for T {}

mod seal {
    /// The seal of [`LockableRows`](super::LockableRows), named nowhere
    /// outside this module: a hand-written impl would lock a global table's
    /// rows from a tenant's request.
    pub enum LockSeal {}

    impl<T: crate::owned::OwnedTable> crate::seal::ImplementedByTenantDieselOnly<LockSeal> for T {}
}

/// A backend with row locks: PostgreSQL, and MySQL / MariaDB.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no row locks: `FOR UPDATE` and its kin run on PostgreSQL and MySQL",
    label = "a locking read on a backend without row locks",
    note = "SQLite has no `SELECT .. FOR UPDATE`: a write transaction locks the whole database, so writers already wait for each other there; run the locking read on a PostgreSQL or MySQL `TenantConn` (or a PostgreSQL `AsyncTenantConn`)"
)]
pub trait RowLockBackend: Backend {
    /// How the backend writes a shared row lock.
    #[doc(hidden)]
    const SHARE: &'static str;
}

#[cfg(feature = "postgres")]
impl RowLockBackend for diesel::pg::Pg {
    const SHARE: &'static str = " FOR SHARE";
}

/// MariaDB (10.11, Debian's) does not parse `FOR SHARE`, which Diesel writes for
/// MySQL; `LOCK IN SHARE MODE` takes the same lock on MariaDB and on MySQL 8.
#[cfg(any(feature = "mysql", feature = "async-mysql"))]
impl RowLockBackend for diesel::mysql::Mysql {
    const SHARE: &'static str = " LOCK IN SHARE MODE";
}

/// A backend with key locks, `FOR NO KEY UPDATE` and `FOR KEY SHARE`:
/// PostgreSQL.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no key locks: `FOR NO KEY UPDATE` and `FOR KEY SHARE` are PostgreSQL's",
    label = "a key lock on a backend that only locks whole rows",
    note = "MySQL and MariaDB lock whole rows: `Model::scoped(&ctx).filter(..).for_update()` (or `.for_share()`) inside `conn.transaction(..)`"
)]
pub trait KeyLockBackend: RowLockBackend {}

#[cfg(feature = "postgres")]
impl KeyLockBackend for diesel::pg::Pg {}

/// A lock mode or modifier: a keyword of the locking clause, the backends that
/// take it, and its query id.
macro_rules! lock_keyword {
    ($($(#[$doc:meta])* $name:ident: $backend:ident => $sql:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl<DB: $backend> QueryFragment<DB> for $name {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
                out.push_sql($sql);
                Ok(())
            }
        }

        impl QueryId for $name {
            type QueryId = Self;

            const HAS_STATIC_QUERY_ID: bool = true;
        }
    )*};
}

lock_keyword! {
    /// `FOR UPDATE`.
    ForUpdate: RowLockBackend => " FOR UPDATE";
    /// `FOR NO KEY UPDATE` (PostgreSQL).
    ForNoKeyUpdate: KeyLockBackend => " FOR NO KEY UPDATE";
    /// `FOR SHARE` (PostgreSQL), `LOCK IN SHARE MODE` (MySQL, MariaDB).
    ForShare: RowLockBackend => DB::SHARE;
    /// `FOR KEY SHARE` (PostgreSQL).
    ForKeyShare: KeyLockBackend => " FOR KEY SHARE";
    /// No modifier: wait for the rows another transaction holds. This crate's
    /// rather than Diesel's, so that on a backend without row locks the error
    /// names [`RowLockBackend`], never a modifier.
    Wait: RowLockBackend => "";
    /// `SKIP LOCKED`: leave out the rows another transaction holds (MariaDB
    /// 10.6 and later, MySQL 8).
    SkipLocked: RowLockBackend => " SKIP LOCKED";
    /// `NOWAIT`: fail at once (`lock_not_available`) on a row another
    /// transaction holds.
    NoWait: RowLockBackend => " NOWAIT";
}

/// `Q` locked with `Mode`, waiting for held rows.
type Locked<Q, Mode> = <<Q as LockingDsl<Mode>>::Output as ModifyLockDsl<Wait>>::Output;

/// `Q`'s lock with `Modifier` instead.
type Modified<Q, Modifier> = <Q as ModifyLockDsl<Modifier>>::Output;

/// The locking reads of a tenant's own scope. PostgreSQL and MySQL; run them inside
/// `conn.transaction(..)`, which holds the locks until it ends (a statement on
/// its own is a unit of work that releases them at once).
impl<T, Q> Scoped<T, Q, ReadWrite> {
    /// Appends `FOR UPDATE`: the rows read are locked against updates, deletes
    /// and other locks until the transaction ends. After `filter`, `order`,
    /// `limit`; not after `distinct`, `group_by` or `into_boxed` (Diesel's rule).
    pub fn for_update(self) -> Scoped<T, Locked<Q, ForUpdate>>
    where
        T: LockableRows,
        Q: LockingDsl<ForUpdate>,
        Q::Output: ModifyLockDsl<Wait>,
    {
        self.lock(ForUpdate)
    }

    /// Appends `FOR NO KEY UPDATE`: like `FOR UPDATE`, but lets other
    /// transactions take `FOR KEY SHARE` (a foreign key's check) meanwhile.
    pub fn for_no_key_update(self) -> Scoped<T, Locked<Q, ForNoKeyUpdate>>
    where
        T: LockableRows,
        Q: LockingDsl<ForNoKeyUpdate>,
        Q::Output: ModifyLockDsl<Wait>,
    {
        self.lock(ForNoKeyUpdate)
    }

    /// Appends `FOR SHARE`: the rows read cannot change until the transaction
    /// ends; others may share the lock.
    pub fn for_share(self) -> Scoped<T, Locked<Q, ForShare>>
    where
        T: LockableRows,
        Q: LockingDsl<ForShare>,
        Q::Output: ModifyLockDsl<Wait>,
    {
        self.lock(ForShare)
    }

    /// Appends `FOR KEY SHARE`: the rows read cannot be deleted nor their key
    /// changed until the transaction ends.
    pub fn for_key_share(self) -> Scoped<T, Locked<Q, ForKeyShare>>
    where
        T: LockableRows,
        Q: LockingDsl<ForKeyShare>,
        Q::Output: ModifyLockDsl<Wait>,
    {
        self.lock(ForKeyShare)
    }

    /// Appends `SKIP LOCKED` to the lock: rows another transaction holds are
    /// left out, what a queue's workers want.
    pub fn skip_locked(self) -> Scoped<T, Modified<Q, SkipLocked>>
    where
        T: LockableRows,
        Q: ModifyLockDsl<SkipLocked>,
    {
        self.map(|query| query.modify_lock(SkipLocked))
    }

    /// Appends `NOWAIT` to the lock: a row another transaction holds fails the
    /// statement at once (`lock_not_available`) instead of waiting.
    pub fn no_wait(self) -> Scoped<T, Modified<Q, NoWait>>
    where
        T: LockableRows,
        Q: ModifyLockDsl<NoWait>,
    {
        self.map(|query| query.modify_lock(NoWait))
    }

    fn lock<Mode>(self, mode: Mode) -> Scoped<T, Locked<Q, Mode>>
    where
        Q: LockingDsl<Mode>,
        Q::Output: ModifyLockDsl<Wait>,
    {
        self.map(|query| query.with_lock(mode).modify_lock(Wait))
    }
}

/// Implemented by nothing: the bound that makes a row lock through the scope
/// that reads shared rows a compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "a scope that reads the shared rows takes no row locks",
    label = "a lock on a shared row would make every tenant wait",
    note = "lock the tenant's own rows: `Model::scoped(&ctx).filter(..).for_update()`; read the shared rows without a lock"
)]
pub trait NoRowLocksOnSharedRows: crate::seal::never::Implemented {}

/// Implemented by nothing: the bound that makes `skip_locked` or `no_wait` on a
/// scope that takes no lock (the scope's own method does not apply, and the
/// compiler tries Diesel's) a compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "`skip_locked` and `no_wait` modify the scope's row lock: lock it first",
    label = "no `for_update`, `for_no_key_update`, `for_share` or `for_key_share` before it",
    note = "lock, then say how to meet held rows: `Model::scoped(&ctx).filter(..).for_update().skip_locked()`; Diesel's own `skip_locked`, named through `diesel::QueryDsl`, does not apply to a scoped query"
)]
pub trait NoLockToModify: crate::seal::never::Implemented {}

// Diesel's `skip_locked` / `no_wait` (`diesel::QueryDsl`), which the compiler
// reaches when the scope's own method does not apply: refused with the reason.
impl<T, Q, M, Modifier> ModifyLockDsl<Modifier> for Scoped<T, Q, M>
where
    Modifier: NoLockToModify,
{
    type Output = Self;

    fn modify_lock(self, _: Modifier) -> Self {
        self
    }
}

/// The locks a read-only scope does not take, each a compile error that says
/// why.
impl<T, Q> Scoped<T, Q, ReadsSharedRows> {
    /// Not available: see [`NoRowLocksOnSharedRows`].
    pub fn for_update(self) -> Self
    where
        Self: NoRowLocksOnSharedRows,
    {
        self
    }

    /// Not available: see [`NoRowLocksOnSharedRows`].
    pub fn for_no_key_update(self) -> Self
    where
        Self: NoRowLocksOnSharedRows,
    {
        self
    }

    /// Not available: see [`NoRowLocksOnSharedRows`].
    pub fn for_share(self) -> Self
    where
        Self: NoRowLocksOnSharedRows,
    {
        self
    }

    /// Not available: see [`NoRowLocksOnSharedRows`].
    pub fn for_key_share(self) -> Self
    where
        Self: NoRowLocksOnSharedRows,
    {
        self
    }
}
