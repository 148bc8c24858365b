use diesel::Column;

/// Values that may be written to a tenant table `T` without touching its tenant
/// column: the tenant comes from the context, never from the values.
///
/// Implemented by `#[derive(TenantValues)]` on `Insertable` and `AsChangeset`
/// structs, which refuses a field that maps to the tenant column.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not checked to leave the tenant column of `{T}` alone",
    label = "may write the tenant column",
    note = "derive `TenantValues` beside `Insertable` / `AsChangeset` (`#[derive(Insertable, TenantValues)] #[diesel(table_name = ..)]`): it refuses a tenant field, and the scope stamps the tenant from the context",
    note = "to set a single column of a scoped update, use `.set_column(accounts::name, value)`"
)]
pub trait TenantValues<T> {}

/// A column a scoped update may set: every column of the model except the tenant
/// column, so that no update can move a row to another tenant.
///
/// Implemented by `#[derive(TenantScoped)]` for the model's other columns.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be set by a tenant-scoped update",
    label = "not a writable column",
    note = "the tenant column never changes through a scoped write: a row cannot move to another tenant; the other columns are writable once they are fields of the model that derives `TenantScoped`"
)]
pub trait WritableColumn: Column {}
