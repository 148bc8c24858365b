use diesel::connection::Connection;
#[cfg(feature = "mysql")]
use diesel::mysql::MysqlConnection;
#[cfg(feature = "postgres")]
use diesel::pg::PgConnection;
use diesel::result::QueryResult;
#[cfg(feature = "sqlite")]
use diesel::sqlite::SqliteConnection;

use crate::wall::{DatabaseWall, TenantSetting};
use tenant_core::{AsTenantCtx, TenantCtx, TenantIdValue};

/// A Diesel connection that acts for exactly one tenant.
///
/// It deliberately is **not** a [`diesel::Connection`], does not `Deref`, `AsMut`
/// or `BorrowMut` to one and never hands the raw connection out. Diesel's
/// `load`, `execute` and `sql_query` all need a `diesel::Connection`, so a raw query
/// does not compile on it; only [`Scoped`](crate::Scoped) queries built from a
/// model (and queries of [global tables](crate::global_table)) run on it.
///
/// Wrap either an owned connection or a `&mut` borrow of one:
/// `TenantConn::new(&mut raw, &ctx)`.
///
/// On PostgreSQL every unit of work (one statement, or one
/// [`transaction`](TenantConn::transaction)) runs in a transaction that begins
/// with one batch: a check that raw SQL left the session clean, the pinned
/// `search_path`, and `SET LOCAL app.tenant_id = '..'`, the tenant signed with
/// the [`TenantSetting`]'s key (the guide's chapter on the database wall,
/// `guide::postgres_wall`, with the `postgres` feature). Row-level
/// security sees the same tenant, and nothing of it outlives the transaction: a
/// pooled connection carries no tenant to its next user. That costs two round
/// trips per unit of work beyond its statements (the opening batch and `COMMIT`).
///
/// On MySQL and MariaDB there is no wall to tell: a statement on its own runs
/// as Diesel runs it, and [`transaction`](TenantConn::transaction) is a plain
/// transaction (the README's MySQL section).
///
/// A connection the check refuses is marked broken: a pool drops it, and a
/// connection held outside a pool refuses every later unit of work
/// (`BrokenTransactionManager`).
pub struct TenantConn<C, V = i64> {
    raw: C,
    ctx: TenantCtx<V>,
    setting: TenantSetting,
    /// Inside a transaction that already set the tenant for the database.
    in_unit_of_work: bool,
}

impl<C: RawConnection, V: TenantIdValue> TenantConn<C, V> {
    /// Wraps `raw` so that it runs tenant-scoped queries for `ctx` only, with the
    /// database setting `app.tenant_id`, unsigned. On PostgreSQL the default
    /// policies accept only a signed tenant: use
    /// [`with_setting`](Self::with_setting) with
    /// `TenantSetting::default().signed_with(key)`.
    pub fn new(raw: C, ctx: &(impl AsTenantCtx<Id = V> + ?Sized)) -> Self {
        Self::with_setting(raw, ctx, TenantSetting::default())
    }

    /// Like [`new`](TenantConn::new), with the PostgreSQL setting the row-level
    /// security policies read.
    pub fn with_setting(
        raw: C,
        ctx: &(impl AsTenantCtx<Id = V> + ?Sized),
        setting: TenantSetting,
    ) -> Self {
        Self {
            raw,
            ctx: ctx.as_tenant_ctx().clone(),
            setting,
            in_unit_of_work: false,
        }
    }

    /// The context this connection acts for.
    pub fn ctx(&self) -> &TenantCtx<V> {
        &self.ctx
    }

    /// Runs `f` inside a database transaction, committing when it returns `Ok`
    /// and rolling back when it returns `Err` (or panics).
    ///
    /// The closure gets a `TenantConn` for the same tenant, never the raw
    /// connection.
    pub fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut TenantConn<&mut C::Conn, V>) -> Result<T, E>,
        E: From<diesel::result::Error>,
        for<'a> &'a mut C::Conn: RawConnection<Conn = C::Conn>,
    {
        let (ctx, setting) = (&self.ctx, &self.setting);
        let inside = |raw: &mut C::Conn| {
            let mut inner = TenantConn::with_setting(raw, ctx, setting.clone());
            inner.in_unit_of_work = true;
            f(&mut inner)
        };
        let raw = self.raw.raw_connection();
        if self.in_unit_of_work {
            // A savepoint inside the unit of work, which already set the tenant.
            raw.transaction(inside)
        } else {
            C::Conn::tenant_transaction(raw, setting, ctx.tenant_id().erase(), inside)
        }
    }

    /// Runs one statement as a unit of work: on a database with a wall, inside a
    /// transaction that first tells the database the tenant.
    pub(crate) fn unit_of_work<R>(
        &mut self,
        run: impl FnOnce(&mut C::Conn) -> QueryResult<R>,
    ) -> QueryResult<R> {
        let raw = self.raw.raw_connection();
        if self.in_unit_of_work || !C::Conn::HAS_WALL {
            return run(raw);
        }
        C::Conn::tenant_transaction(raw, &self.setting, self.ctx.tenant_id().erase(), run)
    }
}

impl<C, V: TenantIdValue> std::fmt::Debug for TenantConn<C, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantConn")
            .field("tenant", &self.ctx.tenant_id())
            .finish_non_exhaustive()
    }
}

/// A Diesel connection, owned or borrowed, that a [`TenantConn`] can wrap.
///
/// Sealed: implemented for the connections of the enabled backends and for `&mut`
/// borrows of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Diesel connection that a `TenantConn` can wrap",
    label = "expected a Diesel connection or a `&mut` borrow of one",
    note = "wrap the connection itself: `TenantConn::new(&mut raw_connection, &ctx)` or `TenantConn::new(raw_connection, &ctx)`"
)]
pub trait RawConnection: sealed::Sealed {
    /// The Diesel connection underneath.
    #[doc(hidden)]
    type Conn: Connection + DatabaseWall;

    #[doc(hidden)]
    fn raw_connection(&mut self) -> &mut Self::Conn;
}

mod sealed {
    pub trait Sealed {}
}

/// Implements [`RawConnection`] for a backend's connection, owned and borrowed.
/// (`run_dsl` lets raw Diesel queries run on it through the prelude's `RunQueryDsl`.)
macro_rules! raw_connection {
    ($conn:ty) => {
        impl sealed::Sealed for $conn {}
        impl RawConnection for $conn {
            type Conn = $conn;
            fn raw_connection(&mut self) -> &mut $conn {
                self
            }
        }
        impl sealed::Sealed for &mut $conn {}
        impl RawConnection for &mut $conn {
            type Conn = $conn;
            fn raw_connection(&mut self) -> &mut $conn {
                self
            }
        }
    };
}

#[cfg(feature = "sqlite")]
raw_connection!(SqliteConnection);
#[cfg(feature = "postgres")]
raw_connection!(PgConnection);
#[cfg(feature = "mysql")]
raw_connection!(MysqlConnection);

/// Pooled connections are wrapped like owned ones.
#[cfg(feature = "r2d2")]
mod pooled {
    use diesel::r2d2::{ConnectionManager, PooledConnection, R2D2Connection};

    use super::{sealed, DatabaseWall, RawConnection};

    impl<C: R2D2Connection + 'static> sealed::Sealed for PooledConnection<ConnectionManager<C>> {}

    impl<C> RawConnection for PooledConnection<ConnectionManager<C>>
    where
        C: R2D2Connection + DatabaseWall + 'static,
    {
        type Conn = C;

        fn raw_connection(&mut self) -> &mut C {
            self
        }
    }
}
