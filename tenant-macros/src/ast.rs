//! The derive input, read into what the derive needs.

use syn::{Data, DeriveInput, Fields, Ident};

use crate::attr::{self, Container};
use crate::ctxt::Ctxt;

/// A model struct with named fields.
pub struct Model<'a> {
    /// The input as written.
    pub original: &'a DeriveInput,
    /// What `#[tenant(..)]` and `#[diesel(..)]` on the struct say.
    pub attrs: Container,
    /// The named fields, each with its column.
    pub fields: Vec<Field>,
}

/// One named field and the column it maps to.
pub struct Field {
    /// The field's name, for spans.
    pub ident: Ident,
    /// `#[diesel(column_name = ..)]`, else the field's name.
    pub column: Ident,
    /// The field's type: a foreign key's is the parent key's Rust value.
    pub ty: syn::Type,
}

impl<'a> Model<'a> {
    /// Reads the input of the derive named `derive`. `None` when it is not a struct with named fields; the
    /// reason is in `cx`.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput, derive: &str) -> Option<Self> {
        let attrs = Container::from_attrs(cx, &input.attrs);
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        format!("{derive} can only be derived for a struct with named fields, one per column: `struct Account {{ id: i64, tenant_id: i64, .. }}`"),
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    format!("{derive} can only be derived for a struct with named fields, not an enum: a model is one row of one table"),
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    format!("{derive} can only be derived for a struct with named fields, not a union: a model is one row of one table"),
                );
                return None;
            }
        };
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                let column = attr::field_column(cx, field)?;
                Some(Field {
                    ident: field.ident.clone()?,
                    column,
                    ty: field.ty.clone(),
                })
            })
            .collect();
        Some(Model {
            original: input,
            attrs,
            fields,
        })
    }
}
