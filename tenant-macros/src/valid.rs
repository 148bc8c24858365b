//! Checks that need the whole input: the table is named and the tenant column is
//! a field of the model.

use quote::format_ident;
use syn::ext::IdentExt;
use syn::{Ident, Path};

use crate::ast::Model;
use crate::attr::Ctxt;

/// What expansion needs, once the input is known to be good.
pub struct Validated {
    pub table: Path,
    pub tenant_column: Ident,
    /// Every other column of the model: what a scoped update may set.
    pub writable_columns: Vec<Ident>,
    /// `#[tenant(shared_rows)]`: the `NULL`-tenant rows are shared.
    pub shared_rows: bool,
}

/// A column's name as SQL sees it: `r#type` is the column `type`.
pub fn canonical(column: &Ident) -> String {
    column.unraw().to_string()
}

pub fn validate(cx: &Ctxt, model: &Model<'_>) -> Option<Validated> {
    let ident = &model.original.ident;
    let Some(table) = model.attrs.table_name.clone() else {
        cx.error_spanned_by(
            ident,
            format!("missing #[diesel(table_name = ..)] on `{ident}`: TenantScoped needs the table the model reads; the correct format looks like #[diesel(table_name = accounts)]"),
        );
        return None;
    };
    let (tenant_column, named_by_attr) = match &model.attrs.tenant_column {
        Some(column) => (column.clone(), true),
        None => (format_ident!("tenant_id", span = ident.span()), false),
    };
    // Two fields on one column would give that column two roles (the tenant
    // column and a writable one): refused here by name, and by the types too (the
    // column's role is implemented once per field, so a second is a conflict).
    let mut seen: Vec<&crate::ast::Field> = Vec::new();
    for field in &model.fields {
        if let Some(first) = seen
            .iter()
            .find(|other| canonical(&other.column) == canonical(&field.column))
        {
            cx.error_spanned_by(
                &field.ident,
                format!(
                    "`{}` and `{}` both map to the column `{}`: a column is one field of the model",
                    first.ident,
                    field.ident,
                    canonical(&field.column)
                ),
            );
        }
        seen.push(field);
    }
    let is_field = model
        .fields
        .iter()
        .any(|field| canonical(&field.column) == canonical(&tenant_column));
    if !is_field {
        let message = if named_by_attr {
            format!("the tenant column `{tenant_column}` is not a field of `{ident}`; add the field (`{tenant_column}: i64`) or name the model's tenant column in #[tenant(column = ..)]")
        } else {
            format!("`{ident}` has no `tenant_id` field: add `tenant_id: i64`, or name the tenant column; the correct format looks like #[tenant(column = owner_id)]. A table whose tenant is only reachable through a parent needs its own tenant column first (in the database: a migration that adds and fills it from the parent, then `diesel print-schema`)")
        };
        cx.error_spanned_by(&tenant_column, message);
        return None;
    }
    let writable_columns = model
        .fields
        .iter()
        .map(|field| field.column.clone())
        .chain(model.attrs.extra_columns.iter().cloned())
        .filter(|column| canonical(column) != canonical(&tenant_column))
        .collect();
    Some(Validated {
        table,
        tenant_column,
        writable_columns,
        shared_rows: model.attrs.shared_rows.is_some(),
    })
}
