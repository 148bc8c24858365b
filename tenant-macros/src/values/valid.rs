//! Checks of a values struct as a whole: the table is named, and no field is
//! both embedded and converted.

use syn::{DeriveInput, Path};

use super::ast::ValuesStruct;
use crate::ctxt::Ctxt;
use crate::krate::Krate;

/// What expansion needs, once the input is known to be good.
pub struct Validated {
    /// `#[diesel(table_name = ..)]`: the table written.
    pub table: Path,
    /// `#[tenant(crate = ..)]`, else `::tenant_diesel`.
    pub krate: Krate,
    /// The struct as read.
    pub values: ValuesStruct,
}

/// Checks `values`; `None` when it cannot be expanded, the reason being in `cx`.
pub fn validate(cx: &Ctxt, input: &DeriveInput, values: ValuesStruct) -> Option<Validated> {
    for field in &values.fields {
        if field.attrs.embed && field.attrs.serialize_as.is_some() {
            cx.error_spanned_by(
                &field.ty,
                "`#[diesel(embed)]` cannot be combined with `#[diesel(serialize_as)]`",
            );
        }
    }
    let ident = &input.ident;
    let Some(table) = values.attrs.table_name.clone() else {
        cx.error_spanned_by(
            ident,
            format!("missing #[diesel(table_name = ..)] on `{ident}`: TenantValues needs the table it writes; the correct format looks like #[diesel(table_name = accounts)]"),
        );
        return None;
    };
    Some(Validated {
        table,
        krate: values.attrs.krate.clone(),
        values,
    })
}
