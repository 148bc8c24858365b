//! The items of `#[tenant(parent = teams, foreign_key = team_id)]`: a table
//! whose tenant is its parent's. Its scope is the rows whose foreign key is
//! the key of one of the tenant's parent rows, and a row is inserted under a
//! parent the statement checks first. Every type is spelled out concretely:
//! generic Diesel bounds over the parent's scope overflow rustc's solver.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;

use crate::valid::{Through, Validated};

pub fn items(input: &DeriveInput, validated: &Validated, through: &Through) -> TokenStream {
    let Validated {
        table,
        tenant_column: foreign_key,
        tenant_span,
        krate,
        ..
    } = validated;
    let Through { parent, key_type } = through;
    let private = krate.private();
    let table_name = table
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default();
    let parent_table = quote!(#parent::table);
    let parent_owned = quote!(<#parent_table as #krate::OwnedTable>);
    let parent_key = quote!(#krate::RowKey<#parent_table>);
    let owned = quote!(#private::dsl::Filter<
        #table::table,
        #private::dsl::EqAny<#table::#foreign_key, #private::dsl::Select<#parent_owned::Owned, #parent_key>>,
    >);
    let parent_check = quote!(#private::dsl::Select<
        #private::dsl::Filter<#parent_owned::Owned, #private::dsl::Eq<#parent_key, #key_type>>,
        #private::dsl::CountStar,
    >);
    let doc = format!(
        "Starts a query on `{}` that sees only the rows of `ctx`'s tenant, whose \
         tenant is their parent's: `WHERE {} IN (SELECT <key> FROM {} WHERE <the \
         tenant's rows>)`, bound from the context.",
        quote!(#table).to_string().replace(' ', ""),
        foreign_key,
        quote!(#parent).to_string().replace(' ', ""),
    );
    let scoped = crate::constructor::scoped_constructor(
        input,
        krate,
        &doc,
        table,
        &owned,
        &quote!(#parent_owned::Id),
    );
    // First: a nullable foreign key reads as this sentence, not Diesel's, at
    // the foreign key's field.
    let table_at_field = crate::respan::respan(table, *tenant_span);
    let krate_at_field = crate::respan::respan(krate, *tenant_span);
    let private_at_field = crate::respan::respan(&private, *tenant_span);
    let not_null = quote_spanned! {*tenant_span=>
        #[automatically_derived]
        impl #private_at_field::ThroughNotNullForeignKey for #table_at_field::table
        where
            <<#table_at_field::#foreign_key as #private_at_field::Expression>::SqlType as #private_at_field::SqlType>::IsNull:
                #krate_at_field::ForeignKeyIsNotNull,
        {
        }
    };
    quote! {
        #not_null

        // The parent key an insert is put under is a value (what the model's
        // field holds), never an expression of another table: it is both
        // checked and stamped.
        #[allow(dead_code, non_snake_case, clippy::all, clippy::pedantic)]
        fn __tenant_parent_key_is_a_value() {
            #private::values_field_is_a_value::<#key_type, #table::#foreign_key, #table::table, _>();
        }

        #[automatically_derived]
        impl #private::TableKind for #table::table {
            type Kind = #private::ThroughKind;
        }

        #[automatically_derived]
        impl #private::ImplementedByTenantDieselOnly<#private::OwnedSeal> for #table::table {}
        #[automatically_derived]
        impl #krate::OwnedTable for #table::table {
            const TABLE_NAME: &'static str = #table_name;
            type Id = #parent_owned::Id;
            type Owned = #owned;

            fn owned(tenant: #krate::TenantId<Self::Id>) -> Self::Owned {
                #private::FilterDsl::filter(
                    #table::table,
                    #private::ExpressionMethods::eq_any(
                        #table::#foreign_key,
                        #private::SelectDsl::select(
                            #parent_owned::owned(tenant),
                            <#parent_key as ::core::default::Default>::default(),
                        ),
                    ),
                )
            }
        }

        #[automatically_derived]
        impl #private::ImplementedByTenantDieselOnly<#private::ThroughSeal> for #table::table {}
        #[automatically_derived]
        impl #krate::ThroughParent for #table::table {
            type Parent = #parent_table;
            const FOREIGN_KEY: &'static str = <#table::#foreign_key as #private::Column>::NAME;
            const PARENT_KEY: &'static str = <#parent_key as #private::Column>::NAME;
            type ParentKey = #key_type;
            type ParentCheck = #parent_check;
            type Stamp = #private::dsl::Eq<#table::#foreign_key, #key_type>;

            fn parent_check(
                tenant: #krate::TenantId<Self::Id>,
                key: #key_type,
            ) -> Self::ParentCheck {
                #private::SelectDsl::select(
                    #private::FilterDsl::filter(
                        #parent_owned::owned(tenant),
                        #private::ExpressionMethods::eq(
                            <#parent_key as ::core::default::Default>::default(),
                            key,
                        ),
                    ),
                    #private::dsl::count_star(),
                )
            }

            fn stamp(key: #key_type) -> Self::Stamp {
                #private::ExpressionMethods::eq(#table::#foreign_key, key)
            }
        }

        #scoped
    }
}
