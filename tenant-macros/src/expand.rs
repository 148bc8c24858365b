//! Writes the impls of `#[derive(TenantScoped)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;

use crate::ast::Model;
use crate::constructor::scoped_constructor;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::valid::{self, Validated};

/// The derive on `proc_macro2` tokens, so that it can be unit-tested.
pub fn derive_tenant_scoped_inner(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let model = Model::from_syn(&cx, input, "TenantScoped");
    let validated = model.as_ref().and_then(|model| valid::validate(&cx, model));
    match (cx.check(), validated) {
        (Ok(()), Some(validated)) => expand(input, &validated),
        (Err(errors), _) => {
            let fallback = fallback::expand(input, model.as_ref());
            let errors = errors.into_compile_error();
            quote! { #errors #fallback }
        }
        (Ok(()), None) => unreachable!("validation failed without reporting an error"),
    }
}

fn expand(input: &DeriveInput, validated: &Validated) -> TokenStream {
    let Validated {
        table,
        tenant_column,
        writable_columns,
        through,
        krate,
        ..
    } = validated;
    let private = krate.private();
    let all_columns: Vec<_> = std::iter::once(tenant_column)
        .chain(writable_columns.iter())
        .collect();
    let kind_items = match through {
        Some(through) => crate::through::items(input, validated, through),
        None => direct_items(input, validated),
    };
    // Diesel's `belongs_to` foreign keys, for `belonging_to` on the scope,
    // which knows its table, not the model. Named by the parent type, so the
    // impl is no more visible than the parent.
    let foreign_keys = validated.belongs_to.iter().map(|(parent, key)| {
        quote! {
            #[automatically_derived]
            impl #private::ForeignKeyTo<#parent> for #table::table {
                type Column = #table::#key;
            }
        }
    });
    quote! {
        const _: () = {
            // First, so that a table declared twice (two models, or a model and
            // `global_table!`) conflicts here, and the error names this trait.
            #[automatically_derived]
            impl #private::EachTableIsDeclaredOnceByOneModelOrByGlobalTable for #table::table {}
            #[automatically_derived]
            impl #private::ImplementedByTenantDieselOnly for #table::table {}
            #[automatically_derived]
            impl #krate::WritableTable for #table::table {}

            // Each column's role, once: a column named by two fields (the
            // tenant column under another spelling) is a conflict here. The
            // tenant column (or the foreign key to the parent) is not writable.
            #[automatically_derived]
            impl #private::ImplementedByTenantDieselOnly for #table::#tenant_column {}
            #[automatically_derived]
            impl #private::ColumnRole for #table::#tenant_column {
                type Role = #private::TenantColumnRole;
            }
            #(
                #[automatically_derived]
                impl #private::ImplementedByTenantDieselOnly for #table::#writable_columns {}
                #[automatically_derived]
                impl #private::ColumnRole for #table::#writable_columns {
                    type Role = #private::WritableColumnRole;
                }
            )*

            // The columns a scoped query may read: the model's, in a query whose
            // tables include this one once.
            #(
                #[automatically_derived]
                impl #private::ImplementedByTenantDieselOnly<#private::proof::Column>
                    for #table::#all_columns
                {
                }
                #[automatically_derived]
                impl<__QS> #krate::TenantSafe<__QS, #private::proof::Column>
                    for #table::#all_columns
                where
                    __QS: #private::AppearsInFromClause<#table::table, Count = #private::Once>,
                {
                }
            )*

            #kind_items
            #(#foreign_keys)*
        };
    }
}

/// The items of a table with a tenant column of its own: `TenantTable`, its
/// row keys, its scope and, with `shared_rows`, its shared scope.
fn direct_items(input: &DeriveInput, validated: &Validated) -> TokenStream {
    let Validated {
        table,
        tenant_column,
        writable_columns,
        shared_rows,
        krate,
        tenant_span,
        ..
    } = validated;
    let private = krate.private();
    let table_name = table
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default();
    // The tenant column's type, spelled at the tenant field: a column of the
    // wrong SQL type (or a nullable one) is reported there.
    let column_at_field = crate::respan::respan(quote!(#table::#tenant_column), *tenant_span);
    let column_type = quote_spanned!(*tenant_span=> <<#column_at_field as #private::Expression>::SqlType as #private::TenantColumnType>);
    // Its associated items, at the field too.
    let column_id = quote_spanned!(*tenant_span=> #column_type::Id);
    let column_bind = quote_spanned!(*tenant_span=> #column_type::Bind);
    let column_bind_fn = quote_spanned!(*tenant_span=> #column_type::bind);
    // The types built from it, at the field as well: rustc reports a type
    // that is not well-formed at the whole type, not at its failing part.
    let at_field = |tokens: TokenStream| crate::respan::respan(tokens, *tenant_span);
    let tenant_eq = at_field(quote!(#private::dsl::Eq<#table::#tenant_column, #column_bind>));
    let filtered = at_field(quote!(#private::dsl::Filter<#table::table, #tenant_eq>));
    let shared_rows_items = if *shared_rows {
        shared_rows_items(input, validated, &column_type)
    } else {
        // A model without `shared_rows` has a `NOT NULL` tenant column.
        quote_spanned! {*tenant_span=>
            const _: fn() = #private::tenant_column_is_not_null::<
                <#column_at_field as #private::Expression>::SqlType,
            >;
        }
    };
    let doc = format!(
        "Starts a query on `{}` that sees only the rows of `ctx`'s tenant: \
         `WHERE {} = ?`, bound from the context.",
        quote!(#table).to_string().replace(' ', ""),
        tenant_column,
    );
    // The blanket `OwnedTable` of a tenant table: its `Owned` is this model's
    // filtered table.
    let scoped = scoped_constructor(input, krate, &doc, table, &filtered, &quote!(#column_id));
    // Their signatures name the column's id type: at the field too.
    let tenant_fns = at_field(quote! {
        fn tenant_eq(tenant: #krate::TenantId<Self::Id>) -> Self::TenantEq {
            #private::ExpressionMethods::eq(#table::#tenant_column, #column_bind_fn(tenant))
        }

        fn tenant_filter(tenant: #krate::TenantId<Self::Id>) -> Self::Filtered {
            #private::FilterDsl::filter(#table::table, Self::tenant_eq(tenant))
        }
    });
    quote! {
        #[automatically_derived]
        impl #krate::TenantTable for #table::table {
            const TABLE_NAME: &'static str = #table_name;
            const SHARED_ROWS: bool = #shared_rows;
            type TenantColumn = #column_at_field;
            type Id = #column_id;
            type TenantEq = #tenant_eq;
            type Filtered = #filtered;

            #tenant_fns
        }

        #[automatically_derived]
        impl #private::TableKind for #table::table {
            type Kind = #private::TenantKind;
        }

        // The row key: whichever column the primary key has besides the
        // tenant column (`accounts (id)` or `accounts (tenant_id, id)`).
        #(
            #[automatically_derived]
            impl #krate::KeyWithoutTenant<#table::table> for #table::#writable_columns {
                type Key = #table::#writable_columns;
            }
            #[automatically_derived]
            impl #krate::KeyWithoutTenant<#table::table>
                for (#table::#tenant_column, #table::#writable_columns)
            {
                type Key = #table::#writable_columns;
            }
            #[automatically_derived]
            impl #krate::KeyWithoutTenant<#table::table>
                for (#table::#writable_columns, #table::#tenant_column)
            {
                type Key = #table::#writable_columns;
            }
        )*

        #shared_rows_items

        #scoped
    }
}

/// The items of `#[tenant(shared_rows)]`: the nullable column's check, the
/// shared filter and the model's read-only `scoped_with_shared_rows`.
fn shared_rows_items(
    input: &DeriveInput,
    validated: &Validated,
    column_type: &TokenStream,
) -> TokenStream {
    let Validated {
        table,
        tenant_column,
        tenant_span,
        krate,
        ..
    } = validated;
    // The tenant column's associated items, at the field.
    let column_id = quote_spanned!(*tenant_span=> #column_type::Id);
    let column_bind = quote_spanned!(*tenant_span=> #column_type::Bind);
    let column_bind_fn = quote_spanned!(*tenant_span=> #column_type::bind);
    let model = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let private = krate.private();
    let shared_eq = quote!(#private::dsl::Or<
        #private::dsl::Eq<#table::#tenant_column, #column_bind>,
        #private::dsl::IsNull<#table::#tenant_column>,
    >);
    let shared_filtered = quote!(#private::dsl::Filter<#table::table, #shared_eq>);
    let doc = format!(
        "Starts a read-only query on `{}` that sees the rows of `ctx`'s tenant and \
         the rows every tenant shares: `WHERE ({1} = ? OR {1} IS NULL)`. Writes start \
         from `scoped(&ctx)`, which never reaches a shared row.",
        quote!(#table).to_string().replace(' ', ""),
        tenant_column,
    );
    // A `NOT NULL` column is reported at the tenant field.
    let column_at_field = crate::respan::respan(quote!(#table::#tenant_column), *tenant_span);
    let shares_rows = quote_spanned! {*tenant_span=>
        const _: fn() = #private::tenant_column_shares_rows::<
            <#column_at_field as #private::Expression>::SqlType,
        >;
    };
    quote! {
        #shares_rows

        #[automatically_derived]
        impl #private::ImplementedByTenantDieselOnly<#private::SharedRowsSeal> for #table::table {}
        #[automatically_derived]
        impl #krate::SharedRowsTable for #table::table {
            type SharedFiltered = #shared_filtered;

            fn shared_filter(
                tenant: #krate::TenantId<<Self as #krate::TenantTable>::Id>,
            ) -> Self::SharedFiltered {
                #private::FilterDsl::filter(
                    #table::table,
                    #private::BoolExpressionMethods::or(
                        #private::ExpressionMethods::eq(#table::#tenant_column, #column_bind_fn(tenant)),
                        #private::ExpressionMethods::is_null(#table::#tenant_column),
                    ),
                )
            }
        }

        #[automatically_derived]
        impl #impl_generics #model #ty_generics #where_clause {
            #[doc = #doc]
            pub fn scoped_with_shared_rows<__C>(
                ctx: &__C,
            ) -> #krate::Scoped<#table::table, #shared_filtered, #krate::ReadsSharedRows>
            where
                __C: #krate::AsTenantCtx + ?Sized,
                __C::Id: #krate::WidensTo<#column_id>,
            {
                #private::scope_with_shared_rows::<#table::table, __C>(ctx)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(input: TokenStream) -> String {
        derive_tenant_scoped_inner(&syn::parse2(input).unwrap()).to_string()
    }

    #[test]
    fn the_default_tenant_column_is_tenant_id() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            struct Account { id: i64, tenant_id: i64 }
        });
        assert!(
            out.contains("type TenantColumn = accounts :: tenant_id"),
            "{out}"
        );
        assert!(out.contains("pub fn scoped"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn a_renamed_field_can_be_the_tenant_column() {
        let out = expand_str(quote! {
            #[diesel(table_name = schema::invoices, check_for_backend(diesel::sqlite::Sqlite))]
            #[tenant(column = owner)]
            struct Invoice { id: i64, #[diesel(column_name = owner)] owner_tenant: i64 }
        });
        assert!(
            out.contains("type TenantColumn = schema :: invoices :: owner"),
            "{out}"
        );
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn every_generated_path_goes_through_crate() {
        for input in [
            quote! {
                #[diesel(table_name = accounts, belongs_to(Team))]
                #[tenant(crate = td, shared_rows, column = account_id)]
                struct Label { id: i64, account_id: Option<i64>, team_id: i64 }
            },
            quote! {
                #[diesel(table_name = team_members)]
                #[tenant(crate = "td", parent = teams, foreign_key = team_id)]
                struct TeamMember { id: i64, team_id: i64 }
            },
            // The fallback beside an error, too.
            quote! {
                #[diesel(table_name = accounts)]
                #[tenant(crate = td)]
                struct Account { id: i64 }
            },
        ] {
            let out = expand_str(input);
            assert!(!out.contains("tenant_diesel"), "{out}");
            assert!(out.contains("td ::"), "{out}");
        }
    }

    #[test]
    fn a_bad_or_second_crate_is_reported_at_its_value_or_key() {
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            #[tenant(crate = td, crate = other)]
            struct Account { id: i64, tenant_id: i64 }
        });
        assert!(out.contains("duplicate `crate` in #[tenant(..)]"), "{out}");
        let out = expand_str(quote! {
            #[diesel(table_name = accounts)]
            #[tenant(crate = 1)]
            struct Account { id: i64, tenant_id: i64 }
        });
        assert!(
            out.contains("expected the path of the tenant-diesel crate"),
            "{out}"
        );
    }

    #[test]
    fn every_attribute_error_is_reported_at_once() {
        let out = expand_str(quote! {
            #[tenant(colum = tenant_id, column = a, column = b)]
            struct Account { id: i64 }
        });
        assert!(out.contains("unknown key `colum`"), "{out}");
        assert!(out.contains("missing #[diesel(table_name"), "{out}");
    }
}
