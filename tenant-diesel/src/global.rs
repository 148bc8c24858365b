use crate::scoped::Scoped;
use crate::table::GlobalTable;

/// Starts a query on a table that every tenant shares.
///
/// The result is a sealed [`Scoped`] query, checked like a tenant's: its
/// expressions may not reach into tenant tables through a subquery.
///
/// ```
/// use tenant_diesel::prelude::*;
///
/// diesel::table! {
///     plans (id) {
///         id -> BigInt,
///         name -> Text,
///     }
/// }
/// global_table!(plans (id, name));
///
/// let cheapest = global(plans::table).order(plans::id).limit(1);
/// # let _ = cheapest;
/// ```
pub fn global<T: GlobalTable>(table: T) -> Scoped<T, T> {
    Scoped::new(table, None)
}
