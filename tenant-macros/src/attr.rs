//! `#[tenant(..)]` and the `#[diesel(..)]` keys the derive reads.

use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, Path, Token};

use crate::ctxt::Ctxt;
use crate::krate::{Krate, KrateSlot};

const TENANT_CONTAINER_SYNTAX: &str = "#[tenant(column = tenant_id)]";
const TENANT_THROUGH_SYNTAX: &str = "#[tenant(parent = teams, foreign_key = team_id)]";
/// The syntax of `crate = ..` in `#[tenant(..)]`, for its errors.
pub const TENANT_CRATE_SYNTAX: &str = "#[tenant(crate = td)]";

/// What the container attributes say.
#[derive(Default)]
pub struct Container {
    /// `#[diesel(table_name = accounts)]`.
    pub table_name: Option<Path>,
    /// `#[tenant(column = tenant_id)]`.
    pub tenant_column: Option<Ident>,
    /// `#[tenant(columns(created_at, note))]`: columns of the table that are not
    /// fields of the model, still readable and writable in its scoped queries.
    pub extra_columns: Vec<Ident>,
    /// `#[tenant(shared_rows)]`: rows whose tenant column is `NULL` are shared
    /// by every tenant (read by each, written by none).
    pub shared_rows: Option<Path>,
    /// `#[tenant(parent = teams)]`: the table's tenant is its parent's.
    pub parent: Option<Path>,
    /// `#[tenant(foreign_key = team_id)]`: the column that names the parent.
    pub foreign_key: Option<Ident>,
    /// Diesel's `#[diesel(belongs_to(Parent))]` and `#[diesel(belongs_to(Parent,
    /// foreign_key = parent_id))]`: each parent and its foreign key, if named.
    pub belongs_to: Vec<(Path, Option<Ident>)>,
    /// `#[tenant(crate = td)]`: the path generated code names tenant-diesel by.
    pub krate: Krate,
}

impl Container {
    /// Reads every `#[tenant(..)]` and `#[diesel(..)]` of the struct.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut container = Container::default();
        let mut krate = KrateSlot::default();
        for attr in attrs {
            if attr.path().is_ident("tenant") {
                container.parse_tenant(cx, attr, &mut krate);
            } else if attr.path().is_ident("diesel") {
                container.parse_diesel(cx, attr);
            }
        }
        container.krate = krate.get();
        container
    }

    fn parse_tenant(&mut self, cx: &Ctxt, attr: &Attribute, krate: &mut KrateSlot) {
        if attr.meta.require_list().is_err() {
            cx.error_spanned_by(
                attr,
                format!("expected a list of keys in #[tenant]; the correct format looks like {TENANT_CONTAINER_SYNTAX}"),
            );
            return;
        }
        let result = attr.parse_nested_meta(|meta| {
            // #[tenant(column = tenant_id)]
            if meta.path.is_ident("column") {
                let value: Ident = value_of(&meta, TENANT_CONTAINER_SYNTAX)?;
                if self.tenant_column.is_some() {
                    cx.error_spanned_by(
                        &meta.path,
                        "duplicate `column` in #[tenant(..)]; name the tenant column once",
                    );
                } else {
                    self.tenant_column = Some(value);
                }
                Ok(())
            } else if meta.path.is_ident("parent") {
                // #[tenant(parent = teams, foreign_key = team_id)]
                let value: Path = value_of(&meta, TENANT_THROUGH_SYNTAX)?;
                if self.parent.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `parent` in #[tenant(..)]; name the parent once");
                } else {
                    self.parent = Some(value);
                }
                Ok(())
            } else if meta.path.is_ident("foreign_key") {
                let value: Ident = value_of(&meta, TENANT_THROUGH_SYNTAX)?;
                if self.foreign_key.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `foreign_key` in #[tenant(..)]; name the foreign key once");
                } else {
                    self.foreign_key = Some(value);
                }
                Ok(())
            } else if meta.path.is_ident("shared_rows") {
                // #[tenant(shared_rows)]
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    return Err(meta.error(
                        "`shared_rows` takes no value; the correct format looks like #[tenant(column = account_id, shared_rows)]",
                    ));
                }
                if self.shared_rows.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `shared_rows` in #[tenant(..)]");
                } else {
                    self.shared_rows = Some(meta.path.clone());
                }
                Ok(())
            } else if meta.path.is_ident("crate") {
                // #[tenant(crate = td)] or #[tenant(crate = "td")]
                krate.set(cx, &meta.path, meta.input, "#[tenant(..)]", TENANT_CRATE_SYNTAX)
            } else if meta.path.is_ident("columns") {
                // #[tenant(columns(created_at, note))]
                meta.parse_nested_meta(|column| {
                    match column.path.get_ident() {
                        Some(ident) => self.extra_columns.push(ident.clone()),
                        None => cx.error_spanned_by(
                            &column.path,
                            "expected a column name; the correct format looks like #[tenant(columns(created_at, note))]",
                        ),
                    }
                    Ok(())
                })
            } else {
                Err(meta.error(format!(
                    "unknown key `{}` in #[tenant(..)], expected `column`, `columns`, `shared_rows`, `parent`, `foreign_key` or `crate`; the correct format looks like {TENANT_CONTAINER_SYNTAX}",
                    path_to_string(&meta.path),
                )))
            }
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }

    fn parse_diesel(&mut self, cx: &Ctxt, attr: &Attribute) {
        let result = attr.parse_nested_meta(|meta| {
            // #[diesel(table_name = accounts)] or #[diesel(table_name = schema::accounts)]
            if meta.path.is_ident("table_name") {
                self.table_name = Some(value_of(&meta, "#[diesel(table_name = accounts)]")?);
                Ok(())
            } else if meta.path.is_ident("belongs_to") {
                // Diesel checks this key; a shape not read here is skipped, and
                // `belonging_to` then says the model has no such parent.
                let mut parent = None;
                let mut foreign_key = None;
                let read = meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("foreign_key") {
                        foreign_key = Some(inner.value()?.parse::<Ident>()?);
                    } else if parent.is_none() {
                        parent = Some(inner.path.clone());
                    }
                    Ok(())
                });
                if let (Ok(()), Some(parent)) = (read, parent) {
                    self.belongs_to.push((parent, foreign_key));
                }
                Ok(())
            } else {
                // Diesel's other keys are Diesel's business.
                skip_value(&meta)
            }
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
}

/// The column a field maps to: `#[diesel(column_name = ..)]`, else its own name.
pub fn field_column(cx: &Ctxt, field: &syn::Field) -> Option<Ident> {
    let mut column = field.ident.clone();
    for attr in &field.attrs {
        if attr.path().is_ident("tenant") {
            cx.error_spanned_by(
                attr,
                format!("#[tenant(..)] belongs on the struct, not on a field; the correct format looks like {TENANT_CONTAINER_SYNTAX} above the struct"),
            );
        } else if attr.path().is_ident("diesel") {
            let result = attr.parse_nested_meta(|meta| {
                // #[diesel(column_name = tenant_id)]
                if meta.path.is_ident("column_name") {
                    column = Some(value_of(&meta, "#[diesel(column_name = tenant_id)]")?);
                    Ok(())
                } else {
                    skip_value(&meta)
                }
            });
            if let Err(error) = result {
                cx.push(error);
            }
        }
    }
    column
}

/// The value after `key =`, or an error that shows `syntax`.
pub fn value_of<T: syn::parse::Parse>(meta: &ParseNestedMeta<'_>, syntax: &str) -> syn::Result<T> {
    let key = path_to_string(&meta.path);
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!(
            "expected `{key} = ...`; the correct format looks like {syntax}"
        )));
    }
    meta.value()?.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            format!(
                "expected an identifier after `{key} =`; the correct format looks like {syntax}"
            ),
        )
    })
}

/// Consumes `= value`, `(..)` or nothing after a key this derive does not read.
pub fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// `path` as written, without the spaces of its tokens.
pub fn path_to_string(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}
