//! The async connections an [`AsyncTenantConn`](super::AsyncTenantConn) wraps:
//! diesel-async's own, owned or borrowed, and those of its pools.

use super::wall::AsyncWall;

/// A diesel-async connection, owned, borrowed or pooled, that an
/// [`AsyncTenantConn`](super::AsyncTenantConn) can wrap.
///
/// Sealed: implemented for `AsyncPgConnection` (with `postgres`),
/// `SyncConnectionWrapper<SqliteConnection>` (with `sqlite`),
/// `AsyncMysqlConnection` (with `mysql`), `&mut` borrows of them, and the
/// connections of diesel-async's deadpool and bb8 pools.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a diesel-async connection that an `AsyncTenantConn` can wrap",
    label = "expected a diesel-async connection, a `&mut` borrow of one, or a pooled one",
    note = "wrap the connection itself: `AsyncTenantConn::new(&mut conn, &ctx)`, or a connection of a diesel-async pool: `AsyncTenantConn::new(pool.get().await?, &ctx)`"
)]
pub trait AsyncRawConnection: sealed::Sealed + Send {
    /// The diesel-async connection underneath.
    #[doc(hidden)]
    type Conn: AsyncWall;

    #[doc(hidden)]
    fn raw_connection(&mut self) -> &mut Self::Conn;
}

mod sealed {
    pub trait Sealed {}
}

/// An owned connection and a `&mut` borrow of one.
macro_rules! raw_connection {
    ($conn:ty) => {
        impl sealed::Sealed for $conn {}
        impl AsyncRawConnection for $conn {
            type Conn = $conn;
            fn raw_connection(&mut self) -> &mut $conn {
                self
            }
        }
        impl sealed::Sealed for &mut $conn {}
        impl AsyncRawConnection for &mut $conn {
            type Conn = $conn;
            fn raw_connection(&mut self) -> &mut $conn {
                self
            }
        }
    };
}

#[cfg(feature = "postgres")]
raw_connection!(diesel_async::AsyncPgConnection);
#[cfg(feature = "sqlite")]
raw_connection!(super::AsyncSqliteConnection);
#[cfg(any(feature = "mysql", feature = "async-mysql"))]
raw_connection!(diesel_async::AsyncMysqlConnection);

/// The connections of diesel-async's pools, for each backend connection.
#[cfg(any(feature = "deadpool", feature = "bb8"))]
macro_rules! pooled {
    ($pooled:ident, $conn:ty) => {
        impl sealed::Sealed for $pooled!($conn) {}
        impl AsyncRawConnection for $pooled!($conn) {
            type Conn = $conn;
            fn raw_connection(&mut self) -> &mut $conn {
                self
            }
        }
    };
}

#[cfg(feature = "deadpool")]
macro_rules! deadpool_object {
    ($conn:ty) => { diesel_async::pooled_connection::deadpool::Object<$conn> };
}
#[cfg(feature = "bb8")]
macro_rules! bb8_connection {
    ($conn:ty) => { diesel_async::pooled_connection::bb8::PooledConnection<'_, $conn> };
}

#[cfg(all(feature = "deadpool", feature = "postgres"))]
pooled!(deadpool_object, diesel_async::AsyncPgConnection);
#[cfg(all(feature = "deadpool", feature = "sqlite"))]
pooled!(deadpool_object, super::AsyncSqliteConnection);
#[cfg(all(feature = "bb8", feature = "postgres"))]
pooled!(bb8_connection, diesel_async::AsyncPgConnection);
#[cfg(all(feature = "bb8", feature = "sqlite"))]
pooled!(bb8_connection, super::AsyncSqliteConnection);
#[cfg(all(feature = "deadpool", any(feature = "mysql", feature = "async-mysql")))]
pooled!(deadpool_object, diesel_async::AsyncMysqlConnection);
#[cfg(all(feature = "bb8", any(feature = "mysql", feature = "async-mysql")))]
pooled!(bb8_connection, diesel_async::AsyncMysqlConnection);
