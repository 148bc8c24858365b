//! The operations of a unit of work on each backend: on PostgreSQL the opening
//! batch and the statement are pipelined (sent without waiting in between), on
//! SQLite the statement runs alone.

use diesel::result::QueryResult;
use futures_util::future::BoxFuture;

#[cfg(feature = "postgres")]
pub(super) mod pg {
    use diesel::connection::TransactionDepthChange;
    use diesel::deserialize::FromSqlRow;
    use diesel::expression::QueryMetadata;
    use diesel::pg::Pg;
    use diesel::query_builder::{AsQuery, QueryFragment, QueryId};
    use diesel::query_dsl::CompatibleType;
    use diesel::result::{Error, QueryResult};
    use diesel_async::{
        AnsiTransactionManager, AsyncPgConnection, SimpleAsyncConnection, TransactionManager,
    };
    use futures_util::future::BoxFuture;

    use super::super::run::{Execute, GetResult, Load, Op};

    /// diesel-async's transaction manager of `AsyncPgConnection`.
    type Manager = AnsiTransactionManager;

    /// A statement sent on a shared borrow of the connection, so that it can be
    /// pipelined behind the batch that opens its unit of work.
    pub trait PgStatement: Send {
        /// What the statement returns.
        type Output: Send;

        /// Sends the statement.
        fn send<'s>(self, conn: &'s AsyncPgConnection) -> BoxFuture<'s, QueryResult<Self::Output>>
        where
            Self: 's;
    }

    impl<S: PgStatement> Op<AsyncPgConnection> for S {
        type Output = S::Output;

        fn run<'c>(
            self,
            raw: &'c mut AsyncPgConnection,
            open: Option<String>,
        ) -> BoxFuture<'c, QueryResult<S::Output>>
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
    async fn unit<S: PgStatement>(
        raw: &mut AsyncPgConnection,
        open: Option<String>,
        statement: S,
    ) -> QueryResult<S::Output> {
        let Some(open) = open else {
            return statement.send(raw).await;
        };
        <Manager as TransactionManager<AsyncPgConnection>>::transaction_manager_status_mut(raw)
            .transaction_state()?
            .change_transaction_depth(TransactionDepthChange::IncreaseDepth)?;
        let shared: &AsyncPgConnection = raw;
        let mut opener = shared;
        let (opened, result) =
            futures_util::future::join(opener.batch_execute(&open), statement.send(shared)).await;
        // The opening's error first: a statement that failed after it failed
        // because of it.
        match opened.and(result) {
            Ok(output) => {
                <Manager as TransactionManager<AsyncPgConnection>>::commit_transaction(raw)
                    .await
                    .map(|()| output)
            }
            Err(error) => {
                match <Manager as TransactionManager<AsyncPgConnection>>::rollback_transaction(raw)
                    .await
                {
                    Ok(()) | Err(Error::BrokenTransactionManager) => Err(error),
                    Err(rollback_error) => Err(rollback_error),
                }
            }
        }
    }

    impl<Q, U, ST> PgStatement for Load<Q, U>
    where
        Q: AsQuery + Send,
        Q::Query: QueryFragment<Pg> + QueryId + Send,
        Q::SqlType: CompatibleType<U, Pg, SqlType = ST>,
        U: FromSqlRow<ST, Pg> + Send + 'static,
        Pg: QueryMetadata<Q::SqlType>,
        ST: 'static,
    {
        type Output = Vec<U>;

        fn send<'s>(self, conn: &'s AsyncPgConnection) -> BoxFuture<'s, QueryResult<Vec<U>>>
        where
            Self: 's,
        {
            Box::pin(async move {
                let mut conn = conn;
                diesel_async::RunQueryDsl::load(self.0, &mut conn).await
            })
        }
    }

    impl<Q, U, ST> PgStatement for GetResult<Q, U>
    where
        Q: AsQuery + Send,
        Q::Query: QueryFragment<Pg> + QueryId + Send,
        Q::SqlType: CompatibleType<U, Pg, SqlType = ST>,
        U: FromSqlRow<ST, Pg> + Send + 'static,
        Pg: QueryMetadata<Q::SqlType>,
        ST: 'static,
    {
        type Output = U;

        fn send<'s>(self, conn: &'s AsyncPgConnection) -> BoxFuture<'s, QueryResult<U>>
        where
            Self: 's,
        {
            Box::pin(async move {
                let mut conn = conn;
                diesel_async::RunQueryDsl::get_result(self.0, &mut conn).await
            })
        }
    }

    impl<Q> PgStatement for Execute<Q>
    where
        Q: QueryFragment<Pg> + QueryId + Send,
    {
        type Output = usize;

        fn send<'s>(self, conn: &'s AsyncPgConnection) -> BoxFuture<'s, QueryResult<usize>>
        where
            Self: 's,
        {
            Box::pin(async move {
                let mut conn = conn;
                diesel_async::RunQueryDsl::execute(self.0, &mut conn).await
            })
        }
    }
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use diesel::deserialize::FromSqlRow;
    use diesel::expression::QueryMetadata;
    use diesel::query_builder::{AsQuery, QueryFragment, QueryId};
    use diesel::query_dsl::CompatibleType;
    use diesel::sqlite::Sqlite;

    use super::super::run::{Execute, GetResult, Load, Op};
    use super::super::AsyncSqliteConnection;
    use super::{BoxFuture, QueryResult};

    // SQLite has no wall: `open` is always `None`, and the statement runs alone.

    impl<Q, U, ST> Op<AsyncSqliteConnection> for Load<Q, U>
    where
        Q: AsQuery + Send,
        Q::Query: QueryFragment<Sqlite> + QueryId + Send,
        Q::SqlType: CompatibleType<U, Sqlite, SqlType = ST>,
        U: FromSqlRow<ST, Sqlite> + Send + 'static,
        Sqlite: QueryMetadata<Q::SqlType>,
        ST: 'static,
    {
        type Output = Vec<U>;

        fn run<'c>(
            self,
            raw: &'c mut AsyncSqliteConnection,
            _: Option<String>,
        ) -> BoxFuture<'c, QueryResult<Vec<U>>>
        where
            Self: 'c,
        {
            Box::pin(diesel_async::RunQueryDsl::load(self.0, raw))
        }
    }

    impl<Q, U, ST> Op<AsyncSqliteConnection> for GetResult<Q, U>
    where
        Q: AsQuery + Send,
        Q::Query: QueryFragment<Sqlite> + QueryId + Send,
        Q::SqlType: CompatibleType<U, Sqlite, SqlType = ST>,
        U: FromSqlRow<ST, Sqlite> + Send + 'static,
        Sqlite: QueryMetadata<Q::SqlType>,
        ST: 'static,
    {
        type Output = U;

        fn run<'c>(
            self,
            raw: &'c mut AsyncSqliteConnection,
            _: Option<String>,
        ) -> BoxFuture<'c, QueryResult<U>>
        where
            Self: 'c,
        {
            Box::pin(diesel_async::RunQueryDsl::get_result(self.0, raw))
        }
    }

    impl<Q> Op<AsyncSqliteConnection> for Execute<Q>
    where
        Q: QueryFragment<Sqlite> + QueryId + Send,
    {
        type Output = usize;

        fn run<'c>(
            self,
            raw: &'c mut AsyncSqliteConnection,
            _: Option<String>,
        ) -> BoxFuture<'c, QueryResult<usize>>
        where
            Self: 'c,
        {
            Box::pin(diesel_async::RunQueryDsl::execute(self.0, raw))
        }
    }
}
