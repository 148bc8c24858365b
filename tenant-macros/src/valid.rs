//! Checks that need the whole input: the table is named and the tenant column is
//! a field of the model.

use quote::format_ident;
use syn::ext::IdentExt;
use syn::{Ident, Path};

use crate::ast::Model;
use crate::ctxt::Ctxt;
use crate::krate::Krate;
use proc_macro2::Span;

/// What expansion needs, once the input is known to be good.
pub struct Validated {
    /// `#[diesel(table_name = ..)]`: the table module.
    pub table: Path,
    /// The tenant column (or the foreign key to the parent).
    pub tenant_column: Ident,
    /// The span of the model's tenant field, where a generated check of that
    /// field's column reports.
    pub tenant_span: Span,
    /// `#[tenant(crate = ..)]`, else `::tenant_diesel`.
    pub krate: Krate,
    /// Every other column of the model: what a scoped update may set.
    pub writable_columns: Vec<Ident>,
    /// `#[tenant(shared_rows)]`: the `NULL`-tenant rows are shared.
    pub shared_rows: bool,
    /// `#[tenant(parent = .., foreign_key = ..)]`: the tenant is the parent's,
    /// and `tenant_column` is the foreign key.
    pub through: Option<Through>,
    /// Diesel's `belongs_to` parents, each with its foreign key column.
    pub belongs_to: Vec<(Path, Ident)>,
}

/// A table whose tenant is its parent's.
pub struct Through {
    /// The parent's table module (`teams`, `schema::teams`).
    pub parent: Path,
    /// The type of the model's foreign key field: the parent key's value.
    pub key_type: syn::Type,
}

/// A column's name as SQL sees it: `r#type` is the column `type`.
pub fn canonical(column: &Ident) -> String {
    column.unraw().to_string()
}

/// Checks the model as a whole; `None` when it cannot be expanded, the reason
/// being in `cx`.
pub fn validate(cx: &Ctxt, model: &Model<'_>) -> Option<Validated> {
    let ident = &model.original.ident;
    let Some(table) = model.attrs.table_name.clone() else {
        cx.error_spanned_by(
            ident,
            format!("missing #[diesel(table_name = ..)] on `{ident}`: TenantScoped needs the table the model reads; the correct format looks like #[diesel(table_name = accounts)]"),
        );
        return None;
    };
    let through = match (&model.attrs.parent, &model.attrs.foreign_key) {
        (Some(parent), Some(foreign_key)) => Some((parent.clone(), foreign_key.clone())),
        (Some(parent), None) => {
            cx.error_spanned_by(parent, "`parent` needs the column that names it: #[tenant(parent = teams, foreign_key = team_id)]");
            None
        }
        (None, Some(foreign_key)) => {
            cx.error_spanned_by(foreign_key, "`foreign_key` needs the parent it names: #[tenant(parent = teams, foreign_key = team_id)]");
            None
        }
        (None, None) => None,
    };
    if let Some((parent, _)) = &through {
        if let Some(column) = &model.attrs.tenant_column {
            cx.error_spanned_by(column, format!("`column` and `parent` together: a table has a tenant column of its own, or reaches its tenant through `{}`, not both", quote::ToTokens::to_token_stream(parent)));
        }
        if let Some(shared) = &model.attrs.shared_rows {
            cx.error_spanned_by(shared, "`shared_rows` needs a nullable tenant column of the table's own; a table reached through its parent has none");
        }
    }
    let (tenant_column, named_by_attr) = match (&through, &model.attrs.tenant_column) {
        (Some((_, foreign_key)), _) => (foreign_key.clone(), true),
        (None, Some(column)) => (column.clone(), true),
        (None, None) => (format_ident!("tenant_id", span = ident.span()), false),
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
    let tenant_field = model
        .fields
        .iter()
        .find(|field| canonical(&field.column) == canonical(&tenant_column));
    let Some(tenant_field) = tenant_field else {
        let message = if through.is_some() {
            format!("the foreign key `{tenant_column}` is not a field of `{ident}`; add the field (`{tenant_column}: i64`, the parent key's type)")
        } else if named_by_attr {
            format!("the tenant column `{tenant_column}` is not a field of `{ident}`; add the field (`{tenant_column}: i64`) or name the model's tenant column in #[tenant(column = ..)]")
        } else {
            format!("`{ident}` has no `tenant_id` field: add `tenant_id: i64`, or name the tenant column; the correct format looks like #[tenant(column = owner_id)]. A table whose tenant is only reachable through a parent needs its own tenant column first (in the database: a migration that adds and fills it from the parent, then `diesel print-schema`)")
        };
        cx.error_spanned_by(&tenant_column, message);
        return None;
    };
    let tenant_span = tenant_field.ident.span();
    let writable_columns = model
        .fields
        .iter()
        .map(|field| field.column.clone())
        .chain(model.attrs.extra_columns.iter().cloned())
        .filter(|column| canonical(column) != canonical(&tenant_column))
        .collect();
    let through = through.map(|(parent, _)| Through {
        parent,
        key_type: model
            .fields
            .iter()
            .find(|field| canonical(&field.column) == canonical(&tenant_column))
            .map(|field| field.ty.clone())
            .expect("the foreign key is a field: checked above"),
    });
    Some(Validated {
        table,
        tenant_column,
        tenant_span,
        krate: model.attrs.krate.clone(),
        writable_columns,
        shared_rows: model.attrs.shared_rows.is_some(),
        through,
        belongs_to: model
            .attrs
            .belongs_to
            .iter()
            .filter_map(|(parent, foreign_key)| {
                let key = foreign_key
                    .clone()
                    .or_else(|| diesels_foreign_key(parent))?;
                Some((parent.clone(), key))
            })
            .collect(),
    })
}

/// The foreign key Diesel infers for `belongs_to(Parent)`: the parent's name
/// in snake case, then `_id` (`TeamMember` → `team_member_id`).
fn diesels_foreign_key(parent: &Path) -> Option<Ident> {
    let name = parent.segments.last()?.ident.to_string();
    let mut snake = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                snake.push('_');
            }
            snake.extend(c.to_lowercase());
        } else {
            snake.push(c);
        }
    }
    Some(Ident::new(
        &format!("{snake}_id"),
        parent.segments.last()?.ident.span(),
    ))
}

#[cfg(test)]
mod belongs_to_tests {
    use super::diesels_foreign_key;

    #[test]
    fn the_foreign_key_is_diesels_inferred_one() {
        for (parent, key) in [
            ("Inbox", "inbox_id"),
            ("TeamMember", "team_member_id"),
            ("super::models::Account", "account_id"),
        ] {
            let path: syn::Path = syn::parse_str(parent).unwrap();
            assert_eq!(diesels_foreign_key(&path).unwrap().to_string(), key);
        }
    }
}
