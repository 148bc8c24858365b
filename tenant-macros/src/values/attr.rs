//! The attributes `#[derive(TenantValues)]` reads: `#[tenant(crate = ..)]`, the
//! struct's `#[diesel(..)]` keys that change what is written, and each field's.

use syn::{Attribute, Ident, LitBool, Path, Type};

use crate::attr::{skip_value, value_of};
use crate::ctxt::Ctxt;
use crate::krate::{Krate, KrateSlot};

const VALUES_TENANT_SYNTAX: &str = "#[tenant(crate = td)]";

/// What the struct's attributes say.
pub struct Container {
    /// `#[diesel(table_name = accounts)]`.
    pub table_name: Option<Path>,
    /// `#[tenant(crate = td)]`, else `::tenant_diesel`.
    pub krate: Krate,
    /// `#[diesel(primary_key(..))]`, else `id`: an update never sets them.
    pub primary_key: Vec<Ident>,
    /// `#[diesel(treat_none_as_default_value = ..)]`, `true` unless said.
    pub none_as_default: bool,
    /// `#[diesel(treat_none_as_null = ..)]`, `false` unless said.
    pub none_as_null: bool,
}

impl Container {
    /// Reads every `#[tenant(..)]` and `#[diesel(..)]` of the struct; `ident`
    /// names it in the errors.
    pub fn from_attrs(cx: &Ctxt, ident: &Ident, attrs: &[Attribute]) -> Self {
        let mut krate = KrateSlot::default();
        let mut container = Container {
            table_name: None,
            krate: Krate::default(),
            primary_key: vec![Ident::new("id", proc_macro2::Span::call_site())],
            none_as_default: true,
            none_as_null: false,
        };
        for attr in attrs {
            let result = if attr.path().is_ident("tenant") {
                parse_tenant(cx, ident, attr, &mut krate)
            } else if attr.path().is_ident("diesel") {
                container.parse_diesel(attr)
            } else {
                Ok(())
            };
            if let Err(error) = result {
                cx.push(error);
            }
        }
        container.krate = krate.get();
        container
    }

    fn parse_diesel(&mut self, attr: &Attribute) -> syn::Result<()> {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table_name") {
                // #[diesel(table_name = accounts)]
                self.table_name = Some(value_of(&meta, "#[diesel(table_name = accounts)]")?);
            } else if meta.path.is_ident("primary_key") {
                // #[diesel(primary_key(tenant_id, id))]
                let mut keys = Vec::new();
                meta.parse_nested_meta(|key| {
                    keys.push(key.path.require_ident()?.clone());
                    Ok(())
                })?;
                self.primary_key = keys;
            } else if meta.path.is_ident("treat_none_as_default_value") {
                // #[diesel(treat_none_as_default_value = false)]
                self.none_as_default = meta.value()?.parse::<LitBool>()?.value;
            } else if meta.path.is_ident("treat_none_as_null") {
                // #[diesel(treat_none_as_null = true)]
                self.none_as_null = meta.value()?.parse::<LitBool>()?.value;
            } else {
                // Diesel's other keys are Diesel's business.
                skip_value(&meta)?;
            }
            Ok(())
        })
    }
}

/// `#[tenant(crate = td)]`, the one key a values struct takes: its tenant
/// column is the model's.
fn parse_tenant(
    cx: &Ctxt,
    ident: &Ident,
    attr: &Attribute,
    krate: &mut KrateSlot,
) -> syn::Result<()> {
    attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("crate") {
            // #[tenant(crate = td)] or #[tenant(crate = "td")]
            krate.set(cx, &meta.path, meta.input, "#[tenant(..)]", VALUES_TENANT_SYNTAX)
        } else if meta.path.is_ident("column") {
            let column: Ident = value_of(&meta, "#[tenant(column = tenant_id)]")?;
            cx.error_spanned_by(
                column,
                format!("TenantValues takes no #[tenant(column = ..)]: the tenant column is the one the model's `#[derive(TenantScoped)]` declares, and each field of `{ident}` is checked against it by type"),
            );
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown key `{}` in #[tenant(..)] on a values struct, expected `crate`: the tenant column and the rest are declared on the model that derives TenantScoped; the correct format looks like {VALUES_TENANT_SYNTAX}",
                crate::attr::path_to_string(&meta.path),
            )))
        }
    })
}

/// What one field's `#[diesel(..)]` says, as Diesel's `Insertable` and
/// `AsChangeset` read it.
#[derive(Default)]
pub struct FieldAttrs {
    /// `#[diesel(column_name = ..)]`.
    pub column: Option<Ident>,
    /// `#[diesel(serialize_as = ..)]`: the field is converted to it and written.
    pub serialize_as: Option<Type>,
    /// `#[diesel(embed)]`: a struct of more values.
    pub embed: bool,
    /// `#[diesel(skip_insertion)]`: not inserted.
    pub skip_insertion: bool,
    /// `#[diesel(skip_update)]`: not updated.
    pub skip_update: bool,
    /// `#[diesel(treat_none_as_default_value = ..)]` on the field.
    pub none_as_default: Option<bool>,
    /// `#[diesel(treat_none_as_null = ..)]` on the field.
    pub none_as_null: Option<bool>,
}

impl FieldAttrs {
    /// Reads the field's attributes; a `#[tenant(..)]` on it is an error.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut parsed = FieldAttrs::default();
        for attr in attrs {
            if attr.path().is_ident("tenant") {
                cx.error_spanned_by(
                    attr,
                    "#[tenant(..)] belongs on the model that derives TenantScoped, not on a values field",
                );
            }
            if !attr.path().is_ident("diesel") {
                continue;
            }
            if let Err(error) = parsed.parse_diesel(attr) {
                cx.push(error);
            }
        }
        parsed
    }

    fn parse_diesel(&mut self, attr: &Attribute) -> syn::Result<()> {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column_name") {
                // #[diesel(column_name = tenant_id)]
                self.column = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("serialize_as") {
                // #[diesel(serialize_as = String)]
                self.serialize_as = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("embed") {
                // #[diesel(embed)]
                self.embed = true;
            } else if meta.path.is_ident("skip_insertion") {
                // #[diesel(skip_insertion)]
                self.skip_insertion = true;
            } else if meta.path.is_ident("skip_update") {
                // #[diesel(skip_update)]
                self.skip_update = true;
            } else if meta.path.is_ident("treat_none_as_default_value") {
                // #[diesel(treat_none_as_default_value = false)]
                self.none_as_default = Some(meta.value()?.parse::<LitBool>()?.value);
            } else if meta.path.is_ident("treat_none_as_null") {
                // #[diesel(treat_none_as_null = true)]
                self.none_as_null = Some(meta.value()?.parse::<LitBool>()?.value);
            } else {
                skip_value(&meta)?;
            }
            Ok(())
        })
    }
}
