//! Who acts: the authenticated user a context, a claim and an audit event name.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who acts: the application's authenticated user, by id, as text so that integer
/// and UUID keys both fit.
///
/// **Building an `ActorId` is a statement that this user authenticated.** Build it
/// only from your authentication layer's output (the logged-in session's user, a
/// verified token's subject), never from a request parameter, a form field, a
/// header or a job payload: the membership check trusts it to name who is asking.
/// The same holds for its `From` conversions and its `Deserialize` implementation;
/// a job gets its actor back from a [`SealedClaim`](crate::SealedClaim), whose MAC
/// vouches for it.
///
/// An `ActorId` grants nothing by itself; it is what a membership check is asked
/// about and what a [`TenantCtx`] and a [`SealedClaim`](crate::SealedClaim) record.
///
/// [`TenantCtx`]: crate::TenantCtx
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActorId(String);

impl ActorId {
    /// Wraps the id of a user the application has authenticated (see above: never
    /// an id taken from the request or a payload).
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The user id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for ActorId {
    fn from(id: i64) -> Self {
        Self(id.to_string())
    }
}

impl From<&str> for ActorId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl From<String> for ActorId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

/// A user that can act for a tenant: the application implements it for its user type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a user that can act for a tenant",
    label = "this does not name an actor",
    note = "implement `tenant_diesel::Actor` for your user type: `fn actor_id(&self) -> tenant_diesel::ActorId {{ self.id.into() }}`"
)]
pub trait Actor {
    /// The id the membership check is asked about.
    fn actor_id(&self) -> ActorId;
}

impl Actor for ActorId {
    fn actor_id(&self) -> ActorId {
        self.clone()
    }
}

impl<A: Actor + ?Sized> Actor for &A {
    fn actor_id(&self) -> ActorId {
        (**self).actor_id()
    }
}
