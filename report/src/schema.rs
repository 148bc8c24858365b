//! Schema coverage: every table of the crate's `table!` invocations is either
//! scoped (a model derives `TenantScoped`) or declared global, and every tenant
//! table has a row-level-security migration when the crate has PostgreSQL ones.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use crate::error::ReportError;
use crate::finding::{Finding, Kind, Severity};
use crate::tokens::mentions;

/// The tenant column a table has when its model does not name another.
pub const DEFAULT_TENANT_COLUMN: &str = "tenant_id";

/// The trusted traits whose impls read tables that say who belongs where.
const MEMBERSHIP_TRAITS: [&str; 4] = [
    "MembershipCheck",
    "AsyncMembershipCheck",
    "TenantDirectory",
    "AsyncTenantDirectory",
];

/// The methods (or functions) that answer membership and directory questions,
/// also when the trait impl delegates to an inherent method of that name.
const MEMBERSHIP_METHODS: [&str; 2] = ["is_member", "find_by_slug"];

/// The `RlsMigrations` methods that put a table under row-level security
/// (`global_table` does not: it declares a shared table).
const RLS_METHODS: [&str; 3] = ["table", "tenant_table", "through_table"];

/// One table of a `table!` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its Rust name (without a `schema.` prefix).
    pub name: String,
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
            input.call(syn::Attribute::parse_outer)?;
            if input.peek(syn::Token![use]) {
                input.parse::<syn::ItemUse>()?;
                continue;
            }
            let mut name = syn::Ident::parse_any(input)?;
            if input.peek(syn::Token![.]) {
                input.parse::<syn::Token![.]>()?;
                name = syn::Ident::parse_any(input)?;
            }
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
                columns,
                line: name.span().start().line,
            });
        }
        Ok(Tables(tables))
    }
}

/// Where something was declared: a file and a line.
#[derive(Debug, Clone)]
struct Site {
    file: String,
    line: usize,
}

/// A struct that derives `TenantScoped`.
#[derive(Debug, Clone)]
struct Model {
    table: String,
    column: Option<String>,
}

/// What the crate's Rust files say about its tables.
#[derive(Default)]
struct Facts {
    tables: Vec<(Site, Table)>,
    globals: BTreeMap<String, Site>,
    /// Model struct name to its table (`TenantScoped` derives only).
    models: BTreeMap<String, Model>,
    /// Tables read in a membership or directory impl, with the impl's text.
    membership_reads: BTreeMap<String, String>,
    uses_rls: bool,
    /// Table names (or model names, resolved later) an `RlsMigrations` covers.
    rls_names: BTreeSet<String>,
    /// Parse errors of `table!` bodies, reported as failures.
    errors: Vec<ReportError>,
}

struct Collector<'a> {
    file: &'a str,
    facts: &'a mut Facts,
    /// The self types of the enclosing impls.
    impl_types: Vec<String>,
}

impl Collector<'_> {
    /// Records the tables `tokens` reads (`name::..` paths) as read by `reader`.
    fn read_by(&mut self, tokens: TokenStream, reader: String) {
        let mut read = BTreeSet::new();
        path_heads(tokens, &mut read);
        for table in read {
            self.facts
                .membership_reads
                .entry(table)
                .or_insert_with(|| reader.clone());
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = last_segment(&mac.path);
        if name == "table" {
            match Tables::parse.parse2(mac.tokens.clone()) {
                Ok(Tables(tables)) => {
                    for table in tables {
                        let site = Site {
                            file: self.file.to_owned(),
                            line: table.line,
                        };
                        self.facts.tables.push((site, table));
                    }
                }
                Err(error) => self.facts.errors.push(ReportError::Parse {
                    path: self.file.into(),
                    line: error.span().start().line,
                    message: format!("cannot read the `table!` body: {error}"),
                }),
            }
        } else if name == "global_table" {
            for table in global_table_names(mac.tokens.clone()) {
                let site = Site {
                    file: self.file.to_owned(),
                    line: mac.path.span().start().line,
                };
                self.facts.globals.entry(table).or_insert(site);
            }
        }
        visit::visit_macro(self, mac);
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        if derives_tenant_scoped(&item.attrs) {
            let table = attr_values(&item.attrs, "diesel", "table_name")
                .into_iter()
                .next()
                .unwrap_or_else(|| format!("{}s", item.ident.to_string().to_lowercase()));
            let column = attr_values(&item.attrs, "tenant", "column")
                .into_iter()
                .next();
            self.facts
                .models
                .insert(item.ident.to_string(), Model { table, column });
        }
        visit::visit_item_struct(self, item);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let self_ty = crate::tokens::text(&item.self_ty);
        if let Some((_, path, _)) = &item.trait_ {
            let name = last_segment(path);
            if MEMBERSHIP_TRAITS.contains(&name.as_str()) {
                self.read_by(item.to_token_stream(), format!("impl {name} for {self_ty}"));
            }
        }
        self.impl_types.push(self_ty);
        visit::visit_item_impl(self, item);
        self.impl_types.pop();
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if MEMBERSHIP_METHODS.contains(&item.sig.ident.to_string().as_str()) {
            let ty = self.impl_types.last().cloned().unwrap_or_default();
            self.read_by(
                item.block.to_token_stream(),
                format!("{ty}::{}", item.sig.ident),
            );
        }
        visit::visit_impl_item_fn(self, item);
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if MEMBERSHIP_METHODS.contains(&item.sig.ident.to_string().as_str()) {
            self.read_by(item.block.to_token_stream(), item.sig.ident.to_string());
        }
        visit::visit_item_fn(self, item);
    }

    fn visit_expr_path(&mut self, expr: &'ast syn::ExprPath) {
        if expr
            .path
            .segments
            .iter()
            .any(|s| s.ident == "RlsMigrations")
        {
            self.facts.uses_rls = true;
        }
        visit::visit_expr_path(self, expr);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if RLS_METHODS.contains(&method.as_str())
            && mentions(call.receiver.to_token_stream(), "RlsMigrations")
        {
            let mut names = Vec::new();
            if let Some(turbofish) = &call.turbofish {
                names.extend(named_types(turbofish.to_token_stream()));
            }
            for arg in &call.args {
                names.extend(named_types(arg.to_token_stream()));
            }
            self.facts.rls_names.extend(names);
        }
        visit::visit_expr_method_call(self, call);
    }
}

/// The tables of `global_table!(a(x, y), b(z))`.
fn global_table_names(tokens: TokenStream) -> Vec<String> {
    let mut names = Vec::new();
    let mut previous: Option<String> = None;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => previous = Some(ident.to_string()),
            TokenTree::Group(_) => names.extend(previous.take()),
            TokenTree::Punct(_) | TokenTree::Literal(_) => previous = None,
        }
    }
    names
}

fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

fn derives_tenant_scoped(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .is_ok_and(|paths| paths.iter().any(|p| last_segment(p) == "TenantScoped"))
        })
}

/// The values of `key = a::b::c` in `#[attr(..)]` attributes, as their last names.
fn attr_values(attrs: &[syn::Attribute], attr: &str, key: &str) -> Vec<String> {
    let mut values = Vec::new();
    for attribute in attrs.iter().filter(|a| a.path().is_ident(attr)) {
        let syn::Meta::List(list) = &attribute.meta else {
            continue;
        };
        let trees: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            let is_key = matches!(&trees[i], TokenTree::Ident(ident) if ident == key);
            let then_eq =
                matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
            if is_key && then_eq {
                let mut last = None;
                i += 2;
                while i < trees.len() {
                    match &trees[i] {
                        TokenTree::Punct(p) if p.as_char() == ',' => break,
                        TokenTree::Ident(ident) => last = Some(ident.unraw().to_string()),
                        TokenTree::Literal(lit) => {
                            last = Some(lit.to_string().trim_matches('"').to_owned());
                        }
                        _ => {}
                    }
                    i += 1;
                }
                values.extend(last);
            }
            i += 1;
        }
    }
    values
}

/// Every identifier followed by `::` (`memberships::table` names `memberships`).
fn path_heads(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => {
                let colons = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                    && matches!(trees.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                if colons {
                    out.insert(ident.to_string());
                }
            }
            TokenTree::Group(group) => path_heads(group.stream(), out),
            _ => {}
        }
    }
}

/// What an `RlsMigrations` argument names: string literals (`"accounts"`), the
/// table of a `schema::accounts::table` path, and other type names (models).
fn named_types(tokens: TokenStream) -> Vec<String> {
    let mut names = Vec::new();
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut previous: Option<String> = None;
    for tree in &trees {
        match tree {
            TokenTree::Literal(lit) => {
                let text = lit.to_string();
                if text.starts_with('"') {
                    names.push(text.trim_matches('"').to_owned());
                }
            }
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                if name == "table" {
                    names.extend(previous.clone());
                } else {
                    names.push(name.clone());
                }
                previous = Some(name);
            }
            TokenTree::Group(group) => names.extend(named_types(group.stream())),
            TokenTree::Punct(_) => {}
        }
    }
    names
}

/// The tables `ENABLE ROW LEVEL SECURITY` is run on in `sql`, lowercased and
/// unquoted: `ALTER TABLE [IF EXISTS] [ONLY] name ENABLE ROW LEVEL SECURITY`.
pub fn sql_rls_tables(sql: &str) -> Vec<String> {
    let cleaned: String = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
        .chars()
        .filter(|c| !matches!(c, '"' | '`'))
        .map(|c| match c {
            ';' | '(' | ')' | ',' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut tables = Vec::new();
    for i in 0..words.len() {
        if words[i] != "alter" || words.get(i + 1) != Some(&"table") {
            continue;
        }
        let mut j = i + 2;
        if words.get(j) == Some(&"if") && words.get(j + 1) == Some(&"exists") {
            j += 2;
        }
        if words.get(j) == Some(&"only") {
            j += 1;
        }
        let Some(name) = words.get(j) else { continue };
        let tail = words.get(j + 1..j + 5);
        if tail == Some(&["enable", "row", "level", "security"][..]) {
            let name = name.rsplit('.').next().unwrap_or(name);
            tables.push(name.to_owned());
        }
    }
    tables
}

/// What the crate's SQL migrations say: whether a PostgreSQL migration
/// directory exists, and the tables their `up.sql` files enable RLS on.
#[derive(Default)]
struct Migrations {
    postgres: bool,
    rls_tables: BTreeSet<String>,
}

fn read_migrations(dir: &Path, migrations: &mut Migrations) -> Result<(), ReportError> {
    crate::walk::every_file(dir, &mut |path| {
        let in_postgres = path
            .ancestors()
            .skip(1)
            .take_while(|ancestor| *ancestor != dir)
            .any(|ancestor| ancestor.file_name().is_some_and(|name| name == "postgres"));
        migrations.postgres |= in_postgres;
        if path.file_name().is_some_and(|name| name == "up.sql") {
            let sql = std::fs::read_to_string(path).map_err(|source| ReportError::Io {
                path: path.to_owned(),
                source,
            })?;
            migrations.rls_tables.extend(sql_rls_tables(&sql));
        }
        Ok(())
    })
}

/// The schema findings of the crate at `root`, whose Rust files are `files`.
pub fn scan(root: &Path, files: &[(String, syn::File)]) -> Result<Vec<Finding>, ReportError> {
    let mut facts = Facts::default();
    for (path, file) in files {
        Collector {
            file: path,
            facts: &mut facts,
            impl_types: Vec::new(),
        }
        .visit_file(file);
    }
    if let Some(error) = facts.errors.into_iter().next() {
        return Err(error);
    }
    let mut migrations = Migrations::default();
    let dir = root.join("migrations");
    if dir.is_dir() {
        read_migrations(&dir, &mut migrations)?;
    }
    let rls_checked = facts.uses_rls || migrations.postgres || !migrations.rls_tables.is_empty();
    let mut covered: BTreeSet<String> = migrations.rls_tables;
    for name in &facts.rls_names {
        covered.insert(name.to_lowercase());
        if let Some(model) = facts.models.get(name) {
            covered.insert(model.table.to_lowercase());
        }
    }

    let mut findings = Vec::new();
    let mut push = |severity, site: &Site, detail: String| {
        findings.push(Finding::new(
            Kind::Schema,
            severity,
            &site.file,
            site.line,
            None,
            detail,
        ));
    };
    for (site, table) in &facts.tables {
        let name = &table.name;
        let models: Vec<&Model> = facts.models.values().filter(|m| &m.table == name).collect();
        let tenant_column = table.columns.iter().find(|column| {
            column.as_str() == DEFAULT_TENANT_COLUMN
                || models.iter().any(|m| m.column.as_ref() == Some(column))
        });
        let scoped = !models.is_empty();
        if let Some(global) = facts.globals.get(name) {
            if let Some(column) = tenant_column {
                push(
                    Severity::Error,
                    global,
                    format!(
                        "table `{name}` is declared global but has the tenant column `{column}`: every tenant would see every row"
                    ),
                );
            }
            continue;
        }
        let needs_rls = if scoped {
            true
        } else if let Some(column) = tenant_column {
            if let Some(reader) = facts.membership_reads.get(name) {
                push(
                    Severity::Info,
                    site,
                    format!(
                        "table `{name}` has the tenant column `{column}` and is read by the membership or directory lookup `{reader}`: it says who belongs where, not tenant data; queried without the library"
                    ),
                );
                false
            } else {
                push(
                    Severity::Error,
                    site,
                    format!(
                        "table `{name}` has a tenant column (`{column}`) but no model derives `TenantScoped` and it is not declared global"
                    ),
                );
                true
            }
        } else {
            push(
                Severity::Info,
                site,
                format!(
                    "table `{name}` has no tenant column and is not declared global: not used through the library"
                ),
            );
            false
        };
        if needs_rls && rls_checked && !covered.contains(&name.to_lowercase()) {
            push(
                Severity::Warning,
                site,
                format!("tenant table `{name}` has no row-level security migration"),
            );
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn global_table_names_are_the_heads_of_the_groups() {
        let tokens: TokenStream = quote::quote!(
            tenants(
                id,
                #[x]
                slug
            ),
            plans(id,)
        );
        assert_eq!(global_table_names(tokens), ["tenants", "plans"]);
    }

    #[test]
    fn sql_rls_is_read_whatever_the_case_quotes_and_spacing() {
        let sql = "alter table \"accounts\"\n  ENABLE   row LEVEL security;\n\
                   ALTER TABLE IF EXISTS ONLY public.\"invoices\" ENABLE ROW LEVEL SECURITY;\n\
                   -- ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n\
                   ALTER TABLE teams FORCE ROW LEVEL SECURITY;";
        assert_eq!(sql_rls_tables(sql), ["accounts", "invoices"]);
    }
}
