//! References that stay inside the tenant: the SQL names of each pair declared
//! with `tenant_joinable!`, from which the database-side checks are generated.
//!
//! The compile-time wall checks the tenant column of a write, not its foreign
//! keys: `Invoice::scoped(&acme).insert(..)` with the id of one of Contoso's
//! accounts type-checks, and a plain `REFERENCES accounts (id)` accepts it
//! (referential checks bypass row-level security). What refuses it is the
//! database, told that a reference names its tenant too: on PostgreSQL a
//! composite foreign key (`postgres::same_tenant_reference_up_statements`), on
//! SQLite triggers ([`SameTenantReferences::install_sqlite`]).

use diesel::Column;

use crate::row_key::{RowKey, RowKeyOfKind};
use crate::seal::ImplementedByTenantDieselOnly;
use crate::table::{TableKind, TenantTable};

#[cfg(feature = "sqlite")]
mod sqlite;

/// A pair declared with `tenant_joinable!(child -> parent (foreign_key))`, seen
/// from the child (`Self`): its foreign key names a row of `Parent`.
///
/// Implemented by `tenant_joinable!` only. The declaration records the foreign
/// key's SQL name alone; the other names come from the two tables' own
/// declarations (see [`ReferenceNames::of`]), so that a declaration costs one
/// constant and a parent whose row key is not a column is reported once, by the
/// join, not again here.
#[diagnostic::on_unimplemented(
    message = "no tenant join is declared from `{Self}` to `{Parent}`",
    label = "not declared with `tenant_joinable!`",
    note = "declare the pair once, beside `diesel::joinable!`, the child (the table with the foreign key) first: `tenant_joinable!(invoices -> accounts (account_id));`"
)]
pub trait SameTenantReference<Parent: TenantTable>:
    TenantTable + ImplementedByTenantDieselOnly<ReferenceSeal<Parent>>
{
    /// The SQL name of the foreign key column, in `Self`.
    const FOREIGN_KEY: &'static str;
}

/// The seal of [`SameTenantReference`] to `Parent`: references are declared by
/// `tenant_joinable!`.
#[doc(hidden)]
pub struct ReferenceSeal<Parent>(std::marker::PhantomData<Parent>);

/// The SQL names of a declared pair: what the generated constraints and triggers
/// name, each quoted where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceNames {
    child: String,
    child_tenant: String,
    foreign_key: String,
    parent: String,
    parent_tenant: String,
    parent_key: String,
}

impl ReferenceNames {
    /// The names of the pair `tenant_joinable!(child -> parent (fk))` declared:
    /// the parent's key is its row key ([`RowKey`]), its primary key without the
    /// tenant column (`accounts.id` whether the key is `(id)` or
    /// `(tenant_id, id)`).
    pub fn of<Child, Parent>() -> Self
    where
        Child: SameTenantReference<Parent>,
        Parent: TenantTable + TableKind,
        Parent::Kind: RowKeyOfKind<Parent>,
        RowKey<Parent>: Column,
    {
        Self {
            child: Child::TABLE_NAME.to_owned(),
            child_tenant: <Child::TenantColumn as Column>::NAME.to_owned(),
            foreign_key: Child::FOREIGN_KEY.to_owned(),
            parent: Parent::TABLE_NAME.to_owned(),
            parent_tenant: <Parent::TenantColumn as Column>::NAME.to_owned(),
            parent_key: <RowKey<Parent> as Column>::NAME.to_owned(),
        }
    }

    /// A pair by SQL name, for tables whose SQL names differ from their Rust
    /// names: `(child, its tenant column, foreign key)` and `(parent, its tenant
    /// column, key)`.
    pub fn named(child: [&str; 3], parent: [&str; 3]) -> Self {
        let [child, child_tenant, foreign_key] = child.map(str::to_owned);
        let [parent, parent_tenant, parent_key] = parent.map(str::to_owned);
        Self {
            child,
            child_tenant,
            foreign_key,
            parent,
            parent_tenant,
            parent_key,
        }
    }

    /// The child table.
    pub fn child(&self) -> &str {
        &self.child
    }

    /// The child's tenant column.
    pub fn child_tenant(&self) -> &str {
        &self.child_tenant
    }

    /// The foreign key column, in the child.
    pub fn foreign_key(&self) -> &str {
        &self.foreign_key
    }

    /// The parent table.
    pub fn parent(&self) -> &str {
        &self.parent
    }

    /// The parent's tenant column.
    pub fn parent_tenant(&self) -> &str {
        &self.parent_tenant
    }

    /// The parent's row key column, which the foreign key names.
    pub fn parent_key(&self) -> &str {
        &self.parent_key
    }

    /// The name of the child's constraint (PostgreSQL) and the stem of its
    /// triggers (SQLite): `invoices_account_id_same_tenant`.
    #[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
    pub(crate) fn constraint(&self) -> String {
        format!("{}_{}_same_tenant", self.child, self.foreign_key)
    }
}

/// The declared pairs whose references must stay inside the tenant, for the
/// SQLite triggers (on PostgreSQL, `RlsMigrations::same_tenant_reference`).
#[derive(Debug, Clone, Default)]
pub struct SameTenantReferences {
    pairs: Vec<ReferenceNames>,
}

impl SameTenantReferences {
    /// No pairs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the pair `tenant_joinable!(child -> parent (fk))` declared.
    pub fn pair<Child, Parent>(self) -> Self
    where
        Child: SameTenantReference<Parent>,
        Parent: TenantTable + TableKind,
        Parent::Kind: RowKeyOfKind<Parent>,
        RowKey<Parent>: Column,
    {
        self.named(ReferenceNames::of::<Child, Parent>())
    }

    /// Adds a pair by SQL name.
    pub fn named(mut self, names: ReferenceNames) -> Self {
        self.pairs.push(names);
        self
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> &[ReferenceNames] {
        &self.pairs
    }
}

/// `name` as a quoted SQL identifier (`"` doubled inside), on both backends, so
/// that no table or column name can change the generated statement.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal of `text` (`'` doubled inside), on both backends.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The fixture's pair `invoices -> accounts (account_id)`, for the generators'
/// unit tests on each backend.
#[cfg(test)]
pub(crate) fn invoices_to_accounts() -> ReferenceNames {
    ReferenceNames::named(
        ["invoices", "tenant_id", "account_id"],
        ["accounts", "tenant_id", "id"],
    )
}
