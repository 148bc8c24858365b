use std::collections::HashMap;
use std::convert::Infallible;

use crate::id::{TenantId, TenantIdValue};
use crate::slug::TenantSlug;

/// A tenant, as the directory knows it.
///
/// Holding a `Tenant` grants nothing: it is the row of the tenants table, and a
/// [`TenantCtx`](crate::TenantCtx) for it is only minted after a membership check.
///
/// `V` is the type of the tenants table's key (`i64` unless said otherwise): see
/// [`TenantId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant<V = i64> {
    /// The tenant's primary key.
    pub id: TenantId<V>,
    /// The tenant's URL name.
    pub slug: TenantSlug,
    /// The tenant's display name.
    pub name: String,
    /// The tenant's plan (`free`, `pro`, ...), as the application names them.
    pub plan: String,
}

/// Looks tenants up by slug: the bridge from a resolved name to a tenant row.
///
/// `tenant-core` ships [`InMemoryDirectory`]; `tenant-diesel` implements it over the
/// tenants table. Lookups are synchronous, like Diesel; an implementation that hits a
/// database from an async handler should cache.
///
/// ```
/// use tenant_core::{InMemoryDirectory, Tenant, TenantDirectory, TenantId, TenantSlug};
///
/// let acme = TenantSlug::parse("acme").unwrap();
/// let directory = InMemoryDirectory::new([Tenant {
///     id: TenantId::new(1),
///     slug: acme.clone(),
///     name: "Acme".into(),
///     plan: "pro".into(),
/// }]);
/// assert_eq!(directory.find_by_slug(&acme).unwrap().unwrap().id, TenantId::new(1));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant directory",
    label = "cannot look tenants up in this",
    note = "implement `tenant_diesel::TenantDirectory` for it (`fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant>, Self::Error>`), or use `tenant_diesel::InMemoryDirectory`"
)]
pub trait TenantDirectory<V: TenantIdValue = i64> {
    /// Why a lookup failed (not "no such tenant", which is `Ok(None)`).
    type Error: std::error::Error + Send + Sync + 'static;

    /// The tenant named `slug`, or `None` when there is none.
    fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant<V>>, Self::Error>;
}

/// The async twin of [`TenantDirectory`], for a tenants table read over an async
/// connection (diesel-async), so that resolving a request never blocks a worker.
///
/// Every [`TenantDirectory`] is one (it answers at once), so the axum extractor
/// takes either.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tenant directory",
    label = "cannot look tenants up in this",
    note = "implement `tenant_diesel::TenantDirectory` for it, or `tenant_diesel::AsyncTenantDirectory` over an async connection (`fn find_by_slug(&self, slug: &TenantSlug) -> impl Future<Output = Result<Option<Tenant>, Self::Error>> + Send`)"
)]
pub trait AsyncTenantDirectory<V: TenantIdValue = i64> {
    /// Why a lookup failed (not "no such tenant", which is `Ok(None)`).
    type Error: std::error::Error + Send + Sync + 'static;

    /// The tenant named `slug`, or `None` when there is none.
    fn find_by_slug(
        &self,
        slug: &TenantSlug,
    ) -> impl std::future::Future<Output = Result<Option<Tenant<V>>, Self::Error>> + Send;
}

impl<V: TenantIdValue, D: TenantDirectory<V> + Sync + ?Sized> AsyncTenantDirectory<V> for D {
    type Error = D::Error;

    async fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant<V>>, D::Error> {
        TenantDirectory::find_by_slug(self, slug)
    }
}

impl<V: TenantIdValue, D: TenantDirectory<V> + ?Sized> TenantDirectory<V> for &D {
    type Error = D::Error;

    fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant<V>>, Self::Error> {
        (**self).find_by_slug(slug)
    }
}

impl<V: TenantIdValue, D: TenantDirectory<V> + ?Sized> TenantDirectory<V> for std::sync::Arc<D> {
    type Error = D::Error;

    fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant<V>>, Self::Error> {
        (**self).find_by_slug(slug)
    }
}

/// A fixed set of tenants held in memory: for tests, examples and small deployments.
#[derive(Debug, Clone)]
pub struct InMemoryDirectory<V = i64> {
    by_slug: HashMap<TenantSlug, Tenant<V>>,
}

impl<V> Default for InMemoryDirectory<V> {
    fn default() -> Self {
        Self {
            by_slug: HashMap::new(),
        }
    }
}

impl<V: TenantIdValue> InMemoryDirectory<V> {
    /// A directory of `tenants`. A later tenant with an already-seen slug replaces the
    /// earlier one, as a unique index on `slug` would only ever hold one.
    pub fn new(tenants: impl IntoIterator<Item = Tenant<V>>) -> Self {
        Self {
            by_slug: tenants.into_iter().map(|t| (t.slug.clone(), t)).collect(),
        }
    }

    /// Adds or replaces a tenant.
    pub fn insert(&mut self, tenant: Tenant<V>) {
        self.by_slug.insert(tenant.slug.clone(), tenant);
    }

    /// Removes the tenant named `slug`, returning it.
    pub fn remove(&mut self, slug: &TenantSlug) -> Option<Tenant<V>> {
        self.by_slug.remove(slug)
    }

    /// How many tenants the directory holds.
    pub fn len(&self) -> usize {
        self.by_slug.len()
    }

    /// Whether the directory holds no tenant.
    pub fn is_empty(&self) -> bool {
        self.by_slug.is_empty()
    }
}

impl<V: TenantIdValue> TenantDirectory<V> for InMemoryDirectory<V> {
    type Error = Infallible;

    fn find_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant<V>>, Infallible> {
        Ok(self.by_slug.get(slug).cloned())
    }
}
