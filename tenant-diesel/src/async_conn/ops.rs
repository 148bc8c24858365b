//! The operations of a unit of work on each backend: on PostgreSQL the opening
//! batch and the statement are pipelined (sent without waiting in between), on
//! SQLite and MySQL the statement runs alone.

use diesel::deserialize::FromSqlRow;
use diesel::expression::QueryMetadata;
use diesel::query_builder::{AsQuery, QueryFragment, QueryId};
use diesel::query_dsl::CompatibleType;
use diesel::result::QueryResult;
use diesel_async::AsyncConnectionCore;
use futures_util::future::BoxFuture;

use super::run::{Execute, GetResult, Load};

/// What a statement returns, whichever connection sends it.
#[doc(hidden)]
pub trait Outcome {
    /// The statement's result.
    type Output: Send;
}

impl<Q, U: Send> Outcome for Load<Q, U> {
    type Output = Vec<U>;
}

impl<Q, U: Send> Outcome for GetResult<Q, U> {
    type Output = U;
}

impl<Q> Outcome for Execute<Q> {
    type Output = usize;
}

/// A statement sent on the diesel-async connection handle `K`: on PostgreSQL a
/// shared borrow of the connection (so that it can be pipelined behind the batch
/// that opens its unit of work), on SQLite the connection itself.
///
/// `send` builds nothing until it is first polled: diesel-async starts a query
/// when its future is made, and the pipelined unit of work must start the
/// opening batch first.
#[doc(hidden)]
pub trait Statement<K>: Outcome + Send {
    /// Sends the statement.
    fn send<'s>(self, conn: &'s mut K) -> BoxFuture<'s, QueryResult<Self::Output>>
    where
        Self: 's;
}

impl<K, Q, U, ST> Statement<K> for Load<Q, U>
where
    K: AsyncConnectionCore,
    Q: AsQuery + Send,
    Q::Query: QueryFragment<K::Backend> + QueryId + Send,
    Q::SqlType: CompatibleType<U, K::Backend, SqlType = ST>,
    U: FromSqlRow<ST, K::Backend> + Send + 'static,
    K::Backend: QueryMetadata<Q::SqlType> + 'static,
    ST: 'static,
{
    fn send<'s>(self, conn: &'s mut K) -> BoxFuture<'s, QueryResult<Vec<U>>>
    where
        Self: 's,
    {
        Box::pin(async move { diesel_async::RunQueryDsl::load(self.0, conn).await })
    }
}

impl<K, Q, U, ST> Statement<K> for GetResult<Q, U>
where
    K: AsyncConnectionCore,
    Q: AsQuery + Send,
    Q::Query: QueryFragment<K::Backend> + QueryId + Send,
    Q::SqlType: CompatibleType<U, K::Backend, SqlType = ST>,
    U: FromSqlRow<ST, K::Backend> + Send + 'static,
    K::Backend: QueryMetadata<Q::SqlType> + 'static,
    ST: 'static,
{
    fn send<'s>(self, conn: &'s mut K) -> BoxFuture<'s, QueryResult<U>>
    where
        Self: 's,
    {
        Box::pin(async move { diesel_async::RunQueryDsl::get_result(self.0, conn).await })
    }
}

impl<K, Q> Statement<K> for Execute<Q>
where
    K: AsyncConnectionCore,
    Q: QueryFragment<K::Backend> + QueryId + Send,
{
    fn send<'s>(self, conn: &'s mut K) -> BoxFuture<'s, QueryResult<usize>>
    where
        Self: 's,
    {
        Box::pin(async move { diesel_async::RunQueryDsl::execute(self.0, conn).await })
    }
}

/// An insert under a parent, on an async connection: the count of the
/// tenant's parent rows with the key, then the insert, inside the unit of work
/// (its transaction on PostgreSQL). Another tenant's parent is `NotFound`.
impl<K, Check, Insert> Statement<K> for Execute<crate::owned::ParentCheckedInsert<Check, Insert>>
where
    K: AsyncConnectionCore + Send,
    Check: AsQuery + Send,
    Check::Query: QueryFragment<K::Backend> + QueryId + Send,
    Check::SqlType: CompatibleType<i64, K::Backend, SqlType = diesel::sql_types::BigInt>,
    i64: FromSqlRow<diesel::sql_types::BigInt, K::Backend>,
    K::Backend: QueryMetadata<Check::SqlType> + 'static,
    Insert: QueryFragment<K::Backend> + QueryId + Send,
{
    fn send<'s>(self, conn: &'s mut K) -> BoxFuture<'s, QueryResult<usize>>
    where
        Self: 's,
    {
        let crate::owned::ParentCheckedInsert { check, insert } = self.0;
        Box::pin(async move {
            let parents: i64 = diesel_async::RunQueryDsl::get_result(check, conn).await?;
            if parents != 1 {
                return Err(diesel::result::Error::NotFound);
            }
            diesel_async::RunQueryDsl::execute(insert, conn).await
        })
    }
}

#[cfg(feature = "postgres")]
mod pg {
    use diesel::connection::TransactionDepthChange;
    use diesel::result::QueryResult;
    use diesel_async::{
        AnsiTransactionManager, AsyncPgConnection, SimpleAsyncConnection, TransactionManager,
    };
    use futures_util::future::BoxFuture;

    use super::super::run::Op;
    use super::Statement;

    /// diesel-async's transaction manager of `AsyncPgConnection`.
    type Manager = AnsiTransactionManager;

    impl<S> Op<AsyncPgConnection> for S
    where
        S: for<'a> Statement<&'a AsyncPgConnection>,
    {
        type Output = S::Output;

        fn run<'c>(
            self,
            raw: &'c mut AsyncPgConnection,
            open: Option<String>,
        ) -> BoxFuture<'c, QueryResult<Self::Output>>
        where
            Self: 'c,
        {
            Box::pin(unit(raw, open, self))
        }
    }

    /// One unit of work: the opening batch and the statement sent together (one
    /// network wait when the statement is prepared), then `COMMIT`, or
    /// `ROLLBACK` when either failed.
    ///
    /// The transaction is entered in diesel-async's transaction manager before
    /// anything is sent: if this future is dropped half-way (a cancelled
    /// request), the pool sees a connection inside a transaction and discards
    /// it, so a tenant's setting never reaches the pool's next user.
    ///
    /// `COMMIT` is not pipelined: a statement that is not prepared yet sends its
    /// `Parse` first and the rest after the answer, and a `COMMIT` sent in
    /// between would end the transaction before the statement ran.
    async fn unit<S>(
        raw: &mut AsyncPgConnection,
        open: Option<String>,
        statement: S,
    ) -> QueryResult<S::Output>
    where
        S: for<'a> Statement<&'a AsyncPgConnection>,
    {
        let Some(open) = open else {
            let mut conn: &AsyncPgConnection = raw;
            return statement.send(&mut conn).await;
        };
        <Manager as TransactionManager<AsyncPgConnection>>::transaction_manager_status_mut(raw)
            .transaction_state()?
            .change_transaction_depth(TransactionDepthChange::IncreaseDepth)?;
        let shared: &AsyncPgConnection = raw;
        let (mut opener, mut sender) = (shared, shared);
        let (opened, result) =
            futures_util::future::join(opener.batch_execute(&open), statement.send(&mut sender))
                .await;
        let refused = opened.is_err();
        // The opening's error first: a statement that failed after it failed
        // because of it.
        let outcome = super::super::wall::finish(raw, opened.and(result)).await;
        if refused {
            super::super::wall::discard(raw);
        }
        outcome
    }
}

/// A backend without a wall: `open` is always `None`, and the statement runs
/// alone on the connection itself.
macro_rules! runs_alone {
    ($conn:ty) => {
        impl<S: Statement<$conn>> super::run::Op<$conn> for S {
            type Output = <S as Outcome>::Output;

            fn run<'c>(
                self,
                raw: &'c mut $conn,
                _: Option<String>,
            ) -> BoxFuture<'c, QueryResult<S::Output>>
            where
                Self: 'c,
            {
                self.send(raw)
            }
        }
    };
}

#[cfg(feature = "sqlite")]
runs_alone!(super::AsyncSqliteConnection);
#[cfg(any(feature = "mysql", feature = "async-mysql"))]
runs_alone!(diesel_async::AsyncMysqlConnection);
