//! diesel-async's own `RunQueryDsl` (and `batch_execute`) named on an
//! [`AsyncTenantConn`]: the error is the library's sentence naming the fix, not
//! diesel-async's "the trait `AsyncConnectionCore` is not implemented". Nothing
//! here runs a query or hands out the raw connection.

use std::ops::{Deref, DerefMut};

use super::{AsyncRawConnection, AsyncTenantConn};

/// Implemented by nothing: the bound that makes diesel-async's own query methods
/// on an [`AsyncTenantConn`] a compile error that explains itself.
#[diagnostic::on_unimplemented(
    message = "diesel-async's own methods cannot run SQL on an `AsyncTenantConn`",
    label = "a raw query here is not filtered by the tenant",
    note = "import `tenant_diesel::async_prelude::*` instead of `diesel_async::RunQueryDsl`, and start from the model: `Account::scoped(&ctx).load(&mut conn).await`; raw SQL (`batch_execute`, `sql_query`) has no place on a tenant's connection"
)]
pub trait NoDieselAsyncQueriesOnTenantConn: crate::seal::never::Implemented {}

// diesel-async implements its connection traits for every `DerefMut` to a
// connection. A tenant connection derefs to nothing: these impls exist for their
// bound, which names the fix when diesel-async's `RunQueryDsl` asks for one.
impl<C, V> Deref for AsyncTenantConn<C, V>
where
    C: AsyncRawConnection + NoDieselAsyncQueriesOnTenantConn,
{
    type Target = C::Conn;

    fn deref(&self) -> &C::Conn {
        unreachable!("the bound above is implemented by nothing")
    }
}

impl<C, V> DerefMut for AsyncTenantConn<C, V>
where
    C: AsyncRawConnection + NoDieselAsyncQueriesOnTenantConn,
{
    fn deref_mut(&mut self) -> &mut C::Conn {
        unreachable!("the bound above is implemented by nothing")
    }
}
