use diesel::connection::Connection;
#[cfg(feature = "sqlite")]
use diesel::sqlite::SqliteConnection;

use crate::TenantCtx;

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
pub struct TenantConn<C> {
    raw: C,
    ctx: TenantCtx,
}

impl<C: RawConnection> TenantConn<C> {
    /// Wraps `raw` so that it runs tenant-scoped queries for `ctx` only.
    pub fn new(raw: C, ctx: &TenantCtx) -> Self {
        Self {
            raw,
            ctx: ctx.clone(),
        }
    }

    /// The context this connection acts for.
    pub fn ctx(&self) -> &TenantCtx {
        &self.ctx
    }

    /// Runs `f` inside a database transaction, committing when it returns `Ok`
    /// and rolling back when it returns `Err` (or panics).
    ///
    /// The closure gets a `TenantConn` for the same tenant, never the raw
    /// connection.
    pub fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut TenantConn<&mut C::Conn>) -> Result<T, E>,
        E: From<diesel::result::Error>,
        for<'a> &'a mut C::Conn: RawConnection<Conn = C::Conn>,
    {
        let ctx = &self.ctx;
        self.raw
            .raw_connection()
            .transaction(|raw| f(&mut TenantConn::new(raw, ctx)))
    }

    pub(crate) fn raw_and_ctx(&mut self) -> (&mut C::Conn, &TenantCtx) {
        (self.raw.raw_connection(), &self.ctx)
    }
}

impl<C> std::fmt::Debug for TenantConn<C> {
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
    type Conn: Connection;

    #[doc(hidden)]
    fn raw_connection(&mut self) -> &mut Self::Conn;
}

mod sealed {
    pub trait Sealed {}
}

/// Implements [`RawConnection`] for a backend's connection, owned and borrowed,
/// and lets raw Diesel queries run on it through the prelude's `RunQueryDsl`.
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

        /// Raw Diesel queries run on a raw connection exactly as Diesel runs them.
        ///
        impl<Q> $crate::RunsOn<Q> for $conn {
            type Raw = $conn;
            type Query = Q;

            fn prepare(
                &mut self,
                query: Q,
                _: $crate::run_dsl::Token,
            ) -> diesel::QueryResult<(Q, &mut $conn)> {
                Ok((query, self))
            }
        }
    };
}

#[cfg(feature = "sqlite")]
raw_connection!(SqliteConnection);
