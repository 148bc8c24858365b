//! The walk over the crate's Rust files that gathers what they say about
//! tables: `table!` bodies, global tables, scoped models, membership lookups
//! and row-level security migrations built in Rust.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use super::tables::Tables;
use super::{Facts, Model, Site};
use crate::error::ReportError;
use crate::tokens::mentions;

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

pub struct Collector<'a> {
    file: &'a str,
    facts: &'a mut Facts,
    /// The self types of the enclosing impls.
    impl_types: Vec<String>,
    /// The functions of the crate that return an `RlsMigrations`.
    rls_functions: &'a BTreeSet<String>,
    /// The variables and parameters of the enclosing function that hold one.
    rls_variables: BTreeSet<String>,
}

/// The functions (and methods) of `files` whose return type names `RlsMigrations`.
pub fn rls_functions(files: &[(String, syn::File)]) -> BTreeSet<String> {
    struct Finder(BTreeSet<String>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_signature(&mut self, sig: &'ast syn::Signature) {
            if mentions(sig.output.to_token_stream(), "RlsMigrations") {
                self.0.insert(sig.ident.to_string());
            }
            visit::visit_signature(self, sig);
        }
    }
    let mut finder = Finder(BTreeSet::new());
    for (_, file) in files {
        finder.visit_file(file);
    }
    finder.0
}

impl<'a> Collector<'a> {
    /// A collector of the file `file` into `facts`, knowing the crate's
    /// functions that return an `RlsMigrations`.
    pub fn new(file: &'a str, facts: &'a mut Facts, rls_functions: &'a BTreeSet<String>) -> Self {
        Collector {
            file,
            facts,
            impl_types: Vec::new(),
            rls_functions,
            rls_variables: BTreeSet::new(),
        }
    }

    /// Whether `tokens` hold an `RlsMigrations`: they name the type, a function
    /// that returns one, or a variable that holds one.
    fn holds_rls(&self, tokens: TokenStream) -> bool {
        mentions(tokens.clone(), "RlsMigrations")
            || self
                .rls_functions
                .iter()
                .chain(&self.rls_variables)
                .any(|name| mentions(tokens.clone(), name))
    }

    /// Visits a function body with its own variables: those of its parameters
    /// that hold an `RlsMigrations`, then its `let`s.
    fn in_function(&mut self, sig: &syn::Signature, visit_body: impl FnOnce(&mut Self)) {
        let outer = std::mem::take(&mut self.rls_variables);
        for input in &sig.inputs {
            if let syn::FnArg::Typed(typed) = input {
                if mentions(typed.ty.to_token_stream(), "RlsMigrations") {
                    self.rls_variables.extend(pattern_idents(&typed.pat));
                }
            }
        }
        visit_body(self);
        self.rls_variables = outer;
    }

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
        self.in_function(&item.sig, |this| visit::visit_impl_item_fn(this, item));
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if MEMBERSHIP_METHODS.contains(&item.sig.ident.to_string().as_str()) {
            self.read_by(item.block.to_token_stream(), item.sig.ident.to_string());
        }
        self.in_function(&item.sig, |this| visit::visit_item_fn(this, item));
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        // Visit the initializer first: `let m = m.tenant_table::<..>()` reads the
        // outer `m` before it binds the new one.
        visit::visit_local(self, local);
        let typed = match &local.pat {
            syn::Pat::Type(typed) => mentions(typed.ty.to_token_stream(), "RlsMigrations"),
            _ => false,
        };
        let init = local
            .init
            .as_ref()
            .is_some_and(|init| self.holds_rls(init.expr.to_token_stream()));
        if typed || init {
            self.rls_variables.extend(pattern_idents(&local.pat));
        }
    }

    fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
        visit::visit_expr_assign(self, assign);
        if self.holds_rls(assign.right.to_token_stream()) {
            if let syn::Expr::Path(path) = assign.left.as_ref() {
                if let Some(ident) = path.path.get_ident() {
                    self.rls_variables.insert(ident.to_string());
                }
            }
        }
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        // `RlsTable::of::<accounts::table>()` and `RlsTable::named("accounts", ..)`
        // exist only to put a table under row-level security.
        if let syn::Expr::Path(func) = call.func.as_ref() {
            let segments: Vec<&syn::PathSegment> = func.path.segments.iter().collect();
            if let [.., owner, method] = segments.as_slice() {
                if owner.ident == "RlsTable" && method.ident == "of" {
                    self.facts
                        .rls_names
                        .extend(named_types(method.arguments.to_token_stream()));
                    self.facts.uses_rls = true;
                } else if owner.ident == "RlsTable" && method.ident == "named" {
                    if let Some(table) = call.args.first().and_then(crate::names::string_literal) {
                        self.facts.rls_names.insert(table);
                    }
                    self.facts.uses_rls = true;
                }
            }
        }
        visit::visit_expr_call(self, call);
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
        if RLS_METHODS.contains(&method.as_str()) && self.holds_rls(call.receiver.to_token_stream())
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

/// The names a pattern binds (`m`, `mut m`, `(a, b)`, `m: RlsMigrations`).
fn pattern_idents(pat: &syn::Pat) -> Vec<String> {
    match pat {
        syn::Pat::Ident(ident) => vec![ident.ident.to_string()],
        syn::Pat::Type(typed) => pattern_idents(&typed.pat),
        syn::Pat::Reference(reference) => pattern_idents(&reference.pat),
        syn::Pat::Tuple(tuple) => tuple.elems.iter().flat_map(pattern_idents).collect(),
        _ => Vec::new(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
