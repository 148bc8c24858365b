//! The rows the dashboard reads.

use serde::{Deserialize, Serialize};
use tenant_diesel::prelude::*;

use crate::schema::{accounts, tenants};

/// A customer account of one tenant: the tenant table.
#[derive(Debug, Clone, Queryable, Selectable, TenantScoped)]
#[diesel(table_name = accounts)]
pub struct Account {
    /// Its id, unique across tenants (so a tampered id is another tenant's row).
    pub id: i64,
    /// The tenant that owns it.
    pub tenant_id: i64,
    /// Its display name.
    pub name: String,
    /// `active` or `trial`.
    pub status: String,
}

// Every tenant reads its own row of `tenants` (name and plan for the header).
global_table!(tenants(id, slug, name, plan));

/// A tenant's row, for the header.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenants)]
pub struct TenantRow {
    /// Its id.
    pub id: i64,
    /// Its subdomain.
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// Its plan.
    pub plan: String,
}

/// The per-tenant dashboard summary, cached in the tenant-keyed store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Summary {
    /// How many accounts the tenant has.
    pub accounts: i64,
    /// How many of them are active.
    pub active: i64,
}
