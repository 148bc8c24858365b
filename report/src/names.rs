//! What names mean in one file: `use` renames of `AdminCtx`, `ResolvedTenant`,
//! `sql` and `sql_query`, the names imported from the library, and the string
//! constants an admin reason may name.

use std::collections::{HashMap, HashSet};

use syn::visit::Visit;

/// The local names under which the watched items are reachable in one file.
#[derive(Debug, Clone)]
pub struct Aliases {
    /// Names of `AdminCtx` (`AdminCtx`, and every `use .. AdminCtx as X`).
    pub admin_ctx: HashSet<String>,
    /// Names of `ResolvedTenant`.
    pub resolved_tenant: HashSet<String>,
    /// Bare names that mean `diesel::dsl::sql` (imported from `diesel::dsl`).
    pub sql: HashSet<String>,
    /// Bare names that mean `diesel::sql_query`.
    pub sql_query: HashSet<String>,
    /// Local names of items imported from the library, to their own names
    /// (`use tenant_diesel::TenantTable as Tt` maps `Tt` to `TenantTable`).
    pub library: HashMap<String, String>,
    /// Whether the file glob-imports a library module (`use tenant_diesel::prelude::*`).
    pub library_glob: bool,
    /// The traits the file declares itself (which a glob import does not shadow).
    pub local_traits: HashSet<String>,
    /// The names the crate reaches the library under.
    crates: Vec<String>,
    /// Every name a `use` brings in, to the path it names
    /// (`use diesel::dsl;` maps `dsl` to `diesel::dsl`).
    pub imports: HashMap<String, Vec<String>>,
    /// Whether only `type` items are read (the crate-wide pass).
    types_only: bool,
}

impl Aliases {
    /// The names every file starts with: the crate's `type` aliases of the
    /// watched items (`pub type Admin = tenant_diesel::AdminCtx;` in one module
    /// is `Admin` in every other), for a crate that reaches the library under
    /// the names `crates`.
    pub fn crate_wide(files: &[(String, syn::File)], crates: &[String]) -> Self {
        let mut aliases = Aliases {
            admin_ctx: HashSet::from(["AdminCtx".to_owned()]),
            resolved_tenant: HashSet::from(["ResolvedTenant".to_owned()]),
            sql: HashSet::new(),
            sql_query: HashSet::from(["sql_query".to_owned()]),
            library: HashMap::new(),
            library_glob: false,
            local_traits: HashSet::new(),
            crates: crates.to_vec(),
            imports: HashMap::new(),
            types_only: true,
        };
        // Twice, so that an alias of an alias declared earlier is seen.
        for _ in 0..2 {
            for (_, file) in files {
                aliases.visit_file(file);
            }
        }
        aliases.types_only = false;
        aliases
    }

    /// The aliases of `file`: the crate-wide ones, then its own `use` and
    /// `type` items anywhere in it.
    pub fn of(file: &syn::File, crate_wide: &Aliases) -> Self {
        let mut aliases = crate_wide.clone();
        aliases.visit_file(file);
        aliases
    }

    /// `segments` with their first name replaced by the path its `use` names
    /// (`dsl::sql` is `diesel::dsl::sql` after `use diesel::dsl;`).
    pub fn resolve(&self, segments: &[String]) -> Vec<String> {
        match segments.split_first() {
            Some((first, rest)) => match self.imports.get(first) {
                Some(full) => full.iter().chain(rest).cloned().collect(),
                None => segments.to_vec(),
            },
            None => Vec::new(),
        }
    }

    /// Whether `name` is one of the names the crate reaches the library under.
    pub fn is_library_crate(&self, name: &str) -> bool {
        self.crates.iter().any(|c| c == name)
    }

    fn record(&mut self, prefix: &[String], name: &str, local: &str) {
        match name {
            "*" => {}
            "self" => {
                let key = if local == "self" {
                    prefix.last().cloned()
                } else {
                    Some(local.to_owned())
                };
                if let Some(key) = key {
                    self.imports.insert(key, prefix.to_vec());
                }
            }
            _ => {
                let mut full = prefix.to_vec();
                full.push(name.to_owned());
                self.imports.insert(local.to_owned(), full);
            }
        }
        let from_library = prefix
            .first()
            .is_some_and(|first| self.is_library_crate(first));
        if from_library {
            if name == "*" {
                self.library_glob = true;
            } else {
                self.library.insert(local.to_owned(), name.to_owned());
            }
        }
        // `use crate::admin::Admin as A;` where `Admin` is a crate-wide alias.
        if self.admin_ctx.contains(name) {
            self.admin_ctx.insert(local.to_owned());
        }
        if self.resolved_tenant.contains(name) {
            self.resolved_tenant.insert(local.to_owned());
        }
        if let Some(original) = self.library.get(name).cloned() {
            self.library.insert(local.to_owned(), original);
        }
        let local = local.to_owned();
        match name {
            "AdminCtx" => {
                self.admin_ctx.insert(local);
            }
            "ResolvedTenant" => {
                self.resolved_tenant.insert(local);
            }
            "sql_query" => {
                self.sql_query.insert(local);
            }
            "sql" if prefix.last().is_some_and(|p| p == "dsl") => {
                self.sql.insert(local);
            }
            "*" if prefix.last().is_some_and(|p| p == "dsl") => {
                self.sql.insert("sql".to_owned());
            }
            _ => {}
        }
    }

    fn walk(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.walk(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let name = name.ident.to_string();
                self.record(prefix, &name, &name);
            }
            syn::UseTree::Rename(rename) => {
                self.record(
                    prefix,
                    &rename.ident.to_string(),
                    &rename.rename.to_string(),
                );
            }
            syn::UseTree::Glob(_) => self.record(prefix, "*", "*"),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.walk(prefix, tree);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Aliases {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if !self.types_only {
            self.walk(&mut Vec::new(), &item.tree);
        }
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        // `type Admin = AdminCtx;` names `AdminCtx` as `Admin`, like a `use .. as`.
        if let syn::Type::Path(ty) = item.ty.as_ref() {
            let segments = segments(&ty.path);
            if let Some(last) = segments.last() {
                let original = self
                    .library
                    .get(last)
                    .cloned()
                    .unwrap_or_else(|| last.clone());
                let alias = item.ident.to_string();
                if self.admin_ctx.contains(last) {
                    self.admin_ctx.insert(alias.clone());
                }
                if self.resolved_tenant.contains(last) {
                    self.resolved_tenant.insert(alias.clone());
                }
                let through_library = segments
                    .first()
                    .is_some_and(|first| self.is_library_crate(first));
                if through_library || self.library.contains_key(last) {
                    self.library.insert(alias, original);
                }
            }
        }
        syn::visit::visit_item_type(self, item);
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        if !self.types_only {
            self.local_traits.insert(item.ident.to_string());
        }
        syn::visit::visit_item_trait(self, item);
    }
}

/// The string constants of a crate (`const NAME: &str = "..";`), by name.
#[derive(Debug, Default, Clone)]
pub struct Constants {
    by_name: HashMap<String, Vec<(String, String)>>,
}

impl Constants {
    /// Records the string constants declared in `file` (relative path `path`).
    pub fn add_file(&mut self, path: &str, file: &syn::File) {
        let mut collector = ConstCollector {
            path,
            found: Vec::new(),
        };
        collector.visit_file(file);
        for (name, value) in collector.found {
            self.by_name
                .entry(name)
                .or_default()
                .push((path.to_owned(), value));
        }
    }

    /// The value of the constant `name` as seen from `path`: the one declared in the
    /// same file, else the only value declared under that name in the crate.
    pub fn lookup(&self, path: &str, name: &str) -> Option<&str> {
        let candidates = self.by_name.get(name)?;
        if let Some((_, value)) = candidates.iter().find(|(file, _)| file == path) {
            return Some(value);
        }
        let first = &candidates.first()?.1;
        candidates
            .iter()
            .all(|(_, value)| value == first)
            .then_some(first.as_str())
    }
}

struct ConstCollector<'p> {
    path: &'p str,
    found: Vec<(String, String)>,
}

impl ConstCollector<'_> {
    fn record(&mut self, ident: &syn::Ident, expr: &syn::Expr) {
        if let Some(value) = string_literal(expr) {
            let _ = self.path;
            self.found.push((ident.to_string(), value));
        }
    }
}

impl<'ast> Visit<'ast> for ConstCollector<'_> {
    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.record(&item.ident, &item.expr);
        syn::visit::visit_item_const(self, item);
    }

    fn visit_impl_item_const(&mut self, item: &'ast syn::ImplItemConst) {
        self.record(&item.ident, &item.expr);
        syn::visit::visit_impl_item_const(self, item);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        self.record(&item.ident, &item.expr);
        syn::visit::visit_item_static(self, item);
    }
}

/// The value of a string literal expression (through parentheses and groups).
pub fn string_literal(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        syn::Expr::Paren(inner) => string_literal(&inner.expr),
        syn::Expr::Group(inner) => string_literal(&inner.expr),
        _ => None,
    }
}

/// The names of a path's segments (`a::b::<T>::c` is `["a", "b", "c"]`).
pub fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}
