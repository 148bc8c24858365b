//! The input of `#[derive(TenantValues)]`, read into what the derive needs.

use syn::{Data, DeriveInput, Fields, Ident, Type};

use super::attr::{Container, FieldAttrs};
use crate::ctxt::Ctxt;

const SHAPE: &str = "TenantValues can only be derived for a struct with named fields, one per column: `struct NewAccount { name: String, .. }`";

/// A values struct as written.
pub struct ValuesStruct {
    /// What the struct's attributes say.
    pub attrs: Container,
    /// Its named fields.
    pub fields: Vec<ValueField>,
}

/// One field of a values struct, as Diesel's `Insertable`/`AsChangeset` read it.
pub struct ValueField {
    /// The field's name.
    pub ident: Ident,
    /// `#[diesel(column_name = ..)]`, else the field's name.
    pub column: Ident,
    /// The field's type.
    pub ty: Type,
    /// What the field's `#[diesel(..)]` says.
    pub attrs: FieldAttrs,
}

impl ValueField {
    /// What is written: the `serialize_as` type, else the field's own.
    pub fn written_type(&self) -> &Type {
        self.attrs.serialize_as.as_ref().unwrap_or(&self.ty)
    }
}

impl ValuesStruct {
    /// Reads the struct; `None` when it is not a struct with named fields, the
    /// reason being in `cx` (at the `enum`, `union` or the tuple's fields).
    pub fn from_syn(cx: &Ctxt, input: &DeriveInput) -> Option<Self> {
        let attrs = Container::from_attrs(cx, &input.ident, &input.attrs);
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(fields) => {
                    cx.error_spanned_by(fields, SHAPE);
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned_by(&input.ident, SHAPE);
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(data.enum_token, SHAPE);
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(data.union_token, SHAPE);
                return None;
            }
        };
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                let ident = field.ident.clone()?;
                let attrs = FieldAttrs::from_attrs(cx, &field.attrs);
                Some(ValueField {
                    column: attrs.column.clone().unwrap_or_else(|| ident.clone()),
                    ident,
                    ty: field.ty.clone(),
                    attrs,
                })
            })
            .collect();
        Some(ValuesStruct { attrs, fields })
    }
}
