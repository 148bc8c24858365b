//! The tables of a `table!` body, as Diesel's macro reads them.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};

/// One table of a `table!` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its Rust name (without a `schema.` prefix).
    pub name: String,
    /// Its name in SQL: `#[sql_name = ".."]`, else its Rust name; with its
    /// `schema.` prefix if it has one.
    pub sql_name: String,
    /// Its columns' Rust names, in order.
    pub columns: Vec<String>,
    /// The 1-based line of its name.
    pub line: usize,
}

/// The tables of a `table!` body: several, each `name (pk) { col -> Type, .. }`,
/// optionally with attributes, doc comments, `use` lines and a `schema.` prefix.
pub struct Tables(pub Vec<Table>);

impl Parse for Tables {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut tables = Vec::new();
        while !input.is_empty() {
            let attrs = input.call(syn::Attribute::parse_outer)?;
            if input.peek(syn::Token![use]) {
                input.parse::<syn::ItemUse>()?;
                continue;
            }
            let mut name = syn::Ident::parse_any(input)?;
            let mut schema = None;
            if input.peek(syn::Token![.]) {
                input.parse::<syn::Token![.]>()?;
                schema = Some(name.unraw().to_string());
                name = syn::Ident::parse_any(input)?;
            }
            let sql_name = sql_name(&attrs).unwrap_or_else(|| name.unraw().to_string());
            let sql_name = match schema {
                Some(schema) => format!("{schema}.{sql_name}"),
                None => sql_name,
            };
            if input.peek(syn::token::Paren) {
                let key;
                syn::parenthesized!(key in input);
                key.parse::<TokenStream>()?;
            }
            let body;
            syn::braced!(body in input);
            let mut columns = Vec::new();
            while !body.is_empty() {
                body.call(syn::Attribute::parse_outer)?;
                let column = syn::Ident::parse_any(&body)?;
                body.parse::<syn::Token![->]>()?;
                body.parse::<syn::Type>()?;
                if !body.is_empty() {
                    body.parse::<syn::Token![,]>()?;
                }
                columns.push(column.unraw().to_string());
            }
            tables.push(Table {
                name: name.unraw().to_string(),
                sql_name,
                columns,
                line: name.span().start().line,
            });
        }
        Ok(Tables(tables))
    }
}

/// The value of a `#[sql_name = ".."]` attribute.
fn sql_name(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        let syn::Meta::NameValue(pair) = &attr.meta else {
            return None;
        };
        if !pair.path.is_ident("sql_name") {
            return None;
        }
        crate::names::string_literal(&pair.value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse::Parser;

    #[test]
    fn a_table_body_with_several_tables_attributes_and_a_schema_prefix_parses() {
        let body: TokenStream = quote::quote! {
            use diesel::sql_types::*;
            /// The accounts.
            #[sql_name = "account"]
            billing.accounts (id) {
                id -> Int8,
                #[sql_name = "tenant"]
                tenant_id -> Nullable<Int8>,
                r#type -> Text,
            }
            plans { id -> Int8 }
        };
        let Tables(tables) = Tables::parse.parse2(body).expect("parses");
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].name, "accounts");
        assert_eq!(tables[0].columns, ["id", "tenant_id", "type"]);
        assert_eq!(tables[1].name, "plans");
    }
}
