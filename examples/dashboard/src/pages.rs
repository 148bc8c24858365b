//! The askama templates and the data each one shows.

use askama::Template;

use crate::models::{Account, Summary, TenantRow};

/// A tenant's dashboard: its name and plan in the header, its accounts by name.
#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct Dashboard {
    /// The tenant's row.
    pub tenant: TenantRow,
    /// Who is logged in.
    pub user: String,
    /// The tenant's accounts, ordered by name.
    pub accounts: Vec<Account>,
    /// The cached summary.
    pub summary: Summary,
    /// The account this session selected in this tenant.
    pub selected: Option<Account>,
    /// Its id, to highlight its row.
    pub selected_id: Option<i64>,
    /// `memory` or `redis`.
    pub store: &'static str,
}

impl Dashboard {
    /// Whether `id` is the selected account (for the row's highlight).
    pub fn is_selected(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.selected_id == Some(*id.borrow())
    }
}

/// The login form.
#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    /// Whether the last attempt failed.
    pub failed: bool,
}

/// What a non-member sees.
#[derive(Template)]
#[template(path = "no_access.html")]
pub struct NoAccess {
    /// Who is logged in, if anyone.
    pub user: Option<String>,
}

/// A short message (no such account, staff only, not found).
#[derive(Template)]
#[template(path = "message.html")]
pub struct Message {
    /// The heading.
    pub title: &'static str,
    /// The sentence under it.
    pub message: &'static str,
}

/// The www page the apex and the `public` default tenant redirect to.
#[derive(Template)]
#[template(path = "www.html")]
pub struct Www {
    /// (slug, dashboard URL) of the demo tenants.
    pub tenants: Vec<(String, String)>,
    /// Who is logged in here, if anyone.
    pub user: Option<String>,
    /// Whether they are staff.
    pub staff: bool,
}

/// One tenant on the admin page.
pub struct AdminRow {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Its plan.
    pub plan: String,
    /// How many accounts it has.
    pub accounts: i64,
}

/// The staff-only cross-tenant page.
#[derive(Template)]
#[template(path = "admin.html")]
pub struct Admin {
    /// The staff member.
    pub user: String,
    /// The reason the `AdminCtx` was opened with.
    pub reason: &'static str,
    /// Every tenant and its account count.
    pub rows: Vec<AdminRow>,
}
