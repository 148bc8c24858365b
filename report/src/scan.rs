//! The walk over one parsed file that records every escape hatch.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use crate::bans::{Ban, BanKind};
use crate::crate_path::{self, CRATE_ATTRIBUTES, CRATE_MACROS};
use crate::finding::{Finding, Kind, Severity};
use crate::library::{library_trait, meaning, TraitRole};
use crate::names::{segments, string_literal, Aliases, Constants};
use crate::tokens::{parse_macro_body, text};
use crate::trust::{suspicion, trusted_trait, CHECKED_METHODS};

/// Macros that declare tables or joins outside the tenant scope.
const TABLE_MACROS: [&str; 3] = ["global_table", "global_joinable", "tenant_joinable"];

/// Macros the workspace `clippy.toml` disallows.
const DISALLOWED_MACROS: [&str; 5] = [
    "define_sql_function",
    "sql_function",
    "infix_operator",
    "postfix_operator",
    "prefix_operator",
];

/// Methods the workspace `clippy.toml` disallows.
const DISALLOWED_METHODS: [&str; 3] = ["into_boxed", "internal_into_boxed", "push_sql"];

/// The clippy lints whose `allow` is reported.
const DISALLOWED_LINTS: [&str; 3] = [
    "disallowed_methods",
    "disallowed_macros",
    "disallowed_types",
];

/// The types whose `with_setting` picks the setting the database wall reads.
const WALL_SETTING_TYPES: [&str; 3] = ["TenantConn", "AsyncTenantConn", "TenantDb"];

/// Longest detail text kept for an expression (receivers can be long chains).
const MAX_TEXT: usize = 160;

/// What the scan of every file of a crate starts from.
pub struct CrateContext {
    /// The crate's string constants (admin reasons may name them).
    pub constants: Constants,
    /// The crate-wide aliases (see [`Aliases::crate_wide`]).
    pub aliases: Aliases,
    /// The crate's own `clippy.toml` bans beyond the built-in ones.
    pub bans: Vec<Ban>,
}

/// The findings of one file of the crate described by `context`.
pub fn scan_file(path: &str, file: &syn::File, context: &CrateContext) -> Vec<Finding> {
    let aliases = Aliases::of(file, &context.aliases);
    let mut scanner = Scanner {
        path,
        aliases: &aliases,
        constants: &context.constants,
        bans: &context.bans,
        functions: Vec::new(),
        items: Vec::new(),
        impl_types: Vec::new(),
        findings: Vec::new(),
    };
    scanner.visit_file(file);
    scanner.findings
}

struct Scanner<'a> {
    path: &'a str,
    aliases: &'a Aliases,
    constants: &'a Constants,
    bans: &'a [Ban],
    /// Enclosing functions, innermost last (`Type::method` inside impls).
    functions: Vec<String>,
    /// Enclosing items (`fn f`, `mod m`, `impl T`..), innermost last.
    items: Vec<String>,
    /// The self types of the enclosing impls.
    impl_types: Vec<String>,
    findings: Vec<Finding>,
}

impl Scanner<'_> {
    fn push(&mut self, kind: Kind, severity: Severity, span: proc_macro2::Span, detail: String) {
        self.findings.push(Finding::new(
            kind,
            severity,
            self.path,
            span.start().line,
            self.functions.last().cloned(),
            detail,
        ));
    }

    fn function_name(&self, ident: &syn::Ident) -> String {
        match self.impl_types.last() {
            Some(ty) => format!("{ty}::{ident}"),
            None => ident.to_string(),
        }
    }

    fn admin_ctx(&mut self, call: &syn::ExprCall) {
        let reason = call.args.first();
        let actor = call
            .args
            .iter()
            .nth(1)
            .map_or_else(|| "?".to_owned(), |a| short(text(a)));
        let literal = reason.and_then(|r| self.reason_literal(r));
        let span = call.func.span();
        match (literal, reason) {
            (Some(reason), _) if reason.trim().is_empty() => self.push(
                Kind::AdminCtx,
                Severity::Warning,
                span,
                format!("blank reason {reason:?} (refused at run time), actor `{actor}`"),
            ),
            (Some(reason), _) => self.push(
                Kind::AdminCtx,
                Severity::Info,
                span,
                format!("reason {reason:?}, actor `{actor}`"),
            ),
            (None, reason) => {
                let reason = reason.map_or_else(|| "(none)".to_owned(), |r| short(text(r)));
                self.push(
                    Kind::AdminCtx,
                    Severity::Error,
                    span,
                    format!("reason is not a string literal: `{reason}`, actor `{actor}`"),
                );
            }
        }
    }

    /// The reason's text when it is a literal, or a string constant of the crate.
    fn reason_literal(&self, reason: &syn::Expr) -> Option<String> {
        if let Some(value) = string_literal(reason) {
            return Some(value);
        }
        let syn::Expr::Path(path) = reason else {
            return None;
        };
        let name = path.path.segments.last()?.ident.to_string();
        self.constants.lookup(self.path, &name).map(str::to_owned)
    }

    fn check_call(&mut self, call: &syn::ExprCall) {
        let syn::Expr::Path(func) = call.func.as_ref() else {
            return;
        };
        let (owner, last, segments) = owner_and_name(func);
        let (owner, last) = (owner.as_deref(), last.as_str());
        if is_admin_constructor(last) && owner.is_some_and(|o| self.aliases.admin_ctx.contains(o)) {
            self.admin_ctx(call);
        } else if last == "new" && owner.is_some_and(|o| self.aliases.resolved_tenant.contains(o)) {
            self.push(
                Kind::TestSupport,
                Severity::Warning,
                call.func.span(),
                format!("`{}`: a resolved tenant made by hand", short(text(call))),
            );
        }
        if last == "with_setting" && owner.is_some_and(|o| self.is_wall_setting_type(o)) {
            let setting = call
                .args
                .last()
                .map_or_else(|| "?".to_owned(), |a| short(text(a)));
            self.push(
                Kind::WallSetting,
                Severity::Info,
                call.func.span(),
                format!(
                    "`{}::with_setting`: the row-level security policies must read the setting `{setting}`",
                    owner.unwrap_or_default()
                ),
            );
        }
        let sql = (last == "sql" && owner == Some("dsl"))
            || (segments.len() == 1 && self.aliases.sql.contains(last));
        let sql_query = (last == "sql_query" && segments.len() > 1)
            || (segments.len() == 1 && self.aliases.sql_query.contains(last));
        let resolved = self.aliases.resolve(&segments);
        for ban in self.bans.iter().filter(|b| b.kind == BanKind::Method) {
            if ban.matches(&resolved) {
                self.project_ban(ban, call.func.span(), short(text(call)));
            }
        }
        if sql || sql_query {
            self.push(
                Kind::DisallowedCall,
                Severity::Warning,
                call.func.span(),
                format!("`{}`: raw SQL", short(text(call))),
            );
        }
    }

    /// `AdminCtx::new`, `ResolvedTenant::new` or a wall's `with_setting` named
    /// without being called (`let open = AdminCtx::new;`, `.map(AdminCtx::new)`):
    /// the arguments it will get cannot be read.
    fn check_function_value(&mut self, path: &syn::ExprPath) {
        let (owner, last, _) = owner_and_name(path);
        let Some(owner) = owner.as_deref() else {
            return;
        };
        let span = path.span();
        if is_admin_constructor(&last) && self.aliases.admin_ctx.contains(owner) {
            self.push(
                Kind::AdminCtx,
                Severity::Error,
                span,
                format!("`{owner}::{last}` taken as a function value: its reason cannot be read (call it with a string literal)"),
            );
        } else if last == "new" && self.aliases.resolved_tenant.contains(owner) {
            self.push(
                Kind::TestSupport,
                Severity::Warning,
                span,
                format!("`{owner}::new` taken as a function value: resolved tenants made by hand"),
            );
        } else if last == "with_setting" && self.is_wall_setting_type(owner) {
            self.push(
                Kind::WallSetting,
                Severity::Info,
                span,
                format!(
                    "`{owner}::with_setting` taken as a function value: the setting cannot be read"
                ),
            );
        }
    }

    /// A call or use the crate's own `clippy.toml` bans.
    fn project_ban(&mut self, ban: &Ban, span: proc_macro2::Span, what: String) {
        self.push(
            Kind::DisallowedCall,
            Severity::Warning,
            span,
            format!(
                "`{what}`: banned by the crate's clippy.toml (`{}`)",
                ban.display()
            ),
        );
    }

    /// `#[tenant(crate = ..)]` / `#[audited(crate = ..)]`.
    fn check_crate_attribute(&mut self, attr: &syn::Attribute) {
        let Some(name) = attr.path().get_ident().map(|i| i.to_string()) else {
            return;
        };
        if !CRATE_ATTRIBUTES.contains(&name.as_str()) {
            return;
        }
        let syn::Meta::List(list) = &attr.meta else {
            return;
        };
        if let Some(path) = crate_path::crate_path(list.tokens.clone()) {
            let place = self
                .items
                .last()
                .cloned()
                .unwrap_or_else(|| "the file".to_owned());
            self.push(
                Kind::LibraryImpl,
                crate_path::severity(&path, self.aliases),
                attr.span(),
                crate_path::detail(&format!("`#[{name}(..)]` on `{place}`"), &path),
            );
        }
    }

    /// Whether `name` is, in this file, a type whose `with_setting` picks the
    /// wall's setting (also under a `use .. as` rename).
    fn is_wall_setting_type(&self, name: &str) -> bool {
        let original = self.aliases.library.get(name).map_or(name, String::as_str);
        WALL_SETTING_TYPES.contains(&original)
    }

    fn check_attribute(&mut self, attr: &syn::Attribute) {
        let Some(level) = attr.path().get_ident().map(|i| i.to_string()) else {
            return;
        };
        if !matches!(level.as_str(), "allow" | "expect") {
            return;
        }
        let Ok(lints) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        for lint in lints {
            let name = lint.segments.last().map(|s| s.ident.to_string());
            if name.is_some_and(|n| DISALLOWED_LINTS.contains(&n.as_str())) {
                let bang = if matches!(attr.style, syn::AttrStyle::Inner(_)) {
                    "!"
                } else {
                    ""
                };
                let place = self
                    .items
                    .last()
                    .cloned()
                    .unwrap_or_else(|| "the file".to_owned());
                self.push(
                    Kind::AllowDisallowed,
                    Severity::Warning,
                    attr.span(),
                    format!("`#{bang}[{level}({})]` on `{place}`", text(&lint)),
                );
            }
        }
    }

    fn check_impl(&mut self, item: &syn::ItemImpl) {
        let Some(name) = trusted_trait(item) else {
            self.check_library_impl(item);
            return;
        };
        let self_ty = short(text(&item.self_ty));
        self.push(
            Kind::TrustImpl,
            Severity::Info,
            item.impl_token.span,
            format!("impl {name} for {self_ty}"),
        );
        for impl_item in &item.items {
            let syn::ImplItem::Fn(method) = impl_item else {
                continue;
            };
            if !CHECKED_METHODS.contains(&method.sig.ident.to_string().as_str()) {
                continue;
            }
            if let Some(why) = suspicion(method) {
                self.findings.push(Finding::new(
                    Kind::TrustImpl,
                    Severity::Warning,
                    self.path,
                    method.sig.ident.span().start().line,
                    Some(format!("{self_ty}::{}", method.sig.ident)),
                    format!("impl {name} for {self_ty}: {why}"),
                ));
            }
        }
    }

    /// A hand-written impl of one of the library's own traits.
    fn check_library_impl(&mut self, item: &syn::ItemImpl) {
        let Some((_, path, _)) = &item.trait_ else {
            return;
        };
        let Some((name, role)) = library_trait(path, self.aliases) else {
            return;
        };
        let severity = match role {
            TraitRole::Seal | TraitRole::Sealed => Severity::Error,
            TraitRole::LibraryOnly => Severity::Warning,
            TraitRole::Extension => Severity::Info,
        };
        let written = short(text(path));
        let renamed = path.segments.last().is_some_and(|s| s.ident != name);
        let shown = if renamed {
            format!("{written} (`{name}`)")
        } else {
            written
        };
        self.push(
            Kind::LibraryImpl,
            severity,
            item.impl_token.span,
            format!(
                "impl {shown} for {}: {}",
                short(text(&item.self_ty)),
                meaning(role)
            ),
        );
    }

    fn doc_support(&mut self, span: proc_macro2::Span, what: String) {
        self.push(
            Kind::TestSupport,
            Severity::Warning,
            span,
            format!("uses the test-only `doc_support` helpers: `{what}`"),
        );
    }
}

impl<'ast> Visit<'ast> for Scanner<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if let Some(ident) = declared_name(item).filter(|ident| *ident == "__private") {
            self.push(
                Kind::LibraryImpl,
                Severity::Error,
                ident.span(),
                crate_path::LOOK_ALIKE.to_owned(),
            );
        }
        let label = item_label(item);
        let pushed = label.is_some();
        if let Some(label) = label {
            self.items.push(label);
        }
        visit::visit_item(self, item);
        if pushed {
            self.items.pop();
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        // A free function inside an impl's method is not a method of that type.
        let outer = std::mem::take(&mut self.impl_types);
        self.functions.push(item.sig.ident.to_string());
        visit::visit_item_fn(self, item);
        self.impl_types = outer;
        self.functions.pop();
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        self.check_impl(item);
        let ty = match item.self_ty.as_ref() {
            syn::Type::Path(path) => path
                .path
                .segments
                .last()
                .map_or_else(|| text(&item.self_ty), |s| s.ident.to_string()),
            other => text(other),
        };
        self.impl_types.push(ty);
        visit::visit_item_impl(self, item);
        self.impl_types.pop();
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let name = self.function_name(&item.sig.ident);
        self.items.push(format!("fn {name}"));
        self.functions.push(name);
        visit::visit_impl_item_fn(self, item);
        self.functions.pop();
        self.items.pop();
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        let name = item.sig.ident.to_string();
        self.items.push(format!("fn {name}"));
        self.functions.push(name);
        visit::visit_trait_item_fn(self, item);
        self.functions.pop();
        self.items.pop();
    }

    fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
        // Hatches in a `macro_rules!` body are reported as in `name!`.
        let name = item.ident.as_ref().map(|ident| format!("{ident}!"));
        let pushed = name.is_some();
        if let Some(name) = name {
            self.functions.push(name);
        }
        visit::visit_item_macro(self, item);
        if pushed {
            self.functions.pop();
        }
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        self.check_attribute(attr);
        self.check_crate_attribute(attr);
        visit::visit_attribute(self, attr);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        self.check_call(call);
        for attr in &call.attrs {
            self.visit_attribute(attr);
        }
        // A called path is checked by `check_call`, not as a function value.
        match call.func.as_ref() {
            syn::Expr::Path(func) => visit::visit_expr_path(self, func),
            func => self.visit_expr(func),
        }
        for arg in &call.args {
            self.visit_expr(arg);
        }
    }

    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        self.check_function_value(path);
        visit::visit_expr_path(self, path);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        for ban in self
            .bans
            .iter()
            .filter(|b| b.is_method() && b.name() == method)
        {
            let receiver = short(text(&call.receiver));
            self.project_ban(
                ban,
                call.method.span(),
                format!(".{method}() on {receiver}"),
            );
        }
        if DISALLOWED_METHODS.contains(&method.as_str()) {
            let receiver = short(text(&call.receiver));
            // `Model::scoped(&ctx).into_boxed()` is the boxing clippy.toml recommends.
            let scoped = method == "into_boxed" && receiver.contains("scoped(");
            let severity = if scoped {
                Severity::Info
            } else {
                Severity::Warning
            };
            self.push(
                Kind::DisallowedCall,
                severity,
                call.method.span(),
                format!("`.{method}()` on `{receiver}`"),
            );
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if CRATE_MACROS.contains(&name.as_str()) {
            if let Some(path) = crate_path::crate_path(mac.tokens.clone()) {
                self.push(
                    Kind::LibraryImpl,
                    crate_path::severity(&path, self.aliases),
                    mac.path.span(),
                    crate_path::detail(&format!("`{name}!`"), &path),
                );
            }
        }
        if TABLE_MACROS.contains(&name.as_str()) {
            self.push(
                Kind::TableDeclaration,
                Severity::Info,
                mac.path.span(),
                format!("{name}!({})", short(text(&mac.tokens))),
            );
        } else if DISALLOWED_MACROS.contains(&name.as_str()) {
            self.push(
                Kind::DisallowedCall,
                Severity::Warning,
                mac.path.span(),
                format!("`{name}!`: {}", short(text(&mac.tokens))),
            );
        }
        for ban in self.bans.iter().filter(|b| b.kind == BanKind::Macro) {
            let path = segments(&mac.path);
            let resolved = self.aliases.resolve(&path);
            if ban.name() == name && (path.len() == 1 || ban.matches(&resolved)) {
                self.project_ban(ban, mac.path.span(), format!("{name}!"));
            }
        }
        visit::visit_macro(self, mac);
        for stmt in parse_macro_body(mac.tokens.clone()) {
            self.visit_stmt(&stmt);
        }
    }

    fn visit_type_path(&mut self, ty: &'ast syn::TypePath) {
        let segments = segments(&ty.path);
        let resolved = self.aliases.resolve(&segments);
        for ban in self.bans.iter().filter(|b| b.kind == BanKind::Type) {
            if ban.matches(&resolved) {
                self.project_ban(ban, ty.path.span(), text(&ty.path));
            }
        }
        visit::visit_type_path(self, ty);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.iter().any(|s| s.ident == "doc_support") {
            self.doc_support(path.span(), text(path));
        }
        visit::visit_path(self, path);
    }

    fn visit_use_path(&mut self, use_path: &'ast syn::UsePath) {
        if use_path.ident == "doc_support" {
            self.doc_support(use_path.ident.span(), text(use_path));
        }
        visit::visit_use_path(self, use_path);
    }

    fn visit_use_name(&mut self, name: &'ast syn::UseName) {
        if name.ident == "doc_support" {
            self.doc_support(name.ident.span(), text(name));
        }
    }

    fn visit_use_rename(&mut self, rename: &'ast syn::UseRename) {
        if rename.ident == "doc_support" {
            self.doc_support(rename.ident.span(), text(rename));
        }
    }
}

/// `AdminCtx::new` and its async twin `AdminCtx::new_async`: the two ways to
/// open cross-tenant access.
fn is_admin_constructor(name: &str) -> bool {
    matches!(name, "new" | "new_async")
}

/// The type a path's last segment belongs to (`AdminCtx` in `AdminCtx::new`,
/// `<AdminCtx>::new` and `<AdminCtx as T>::new`), that last segment, and the
/// path's segments.
fn owner_and_name(path: &syn::ExprPath) -> (Option<String>, String, Vec<String>) {
    let segments = segments(&path.path);
    let last = segments.last().cloned().unwrap_or_default();
    let owner = match &path.qself {
        Some(qself) => match qself.ty.as_ref() {
            syn::Type::Path(ty) => ty.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        None => segments.len().checked_sub(2).map(|i| segments[i].clone()),
    };
    (owner, last, segments)
}

/// The name an item declares (`mod x`, `struct x`, `use .. as x`..), if one.
fn declared_name(item: &syn::Item) -> Option<&syn::Ident> {
    match item {
        syn::Item::Mod(m) => Some(&m.ident),
        syn::Item::Struct(s) => Some(&s.ident),
        syn::Item::Enum(e) => Some(&e.ident),
        syn::Item::Fn(f) => Some(&f.sig.ident),
        syn::Item::Const(c) => Some(&c.ident),
        syn::Item::Static(s) => Some(&s.ident),
        syn::Item::Type(t) => Some(&t.ident),
        syn::Item::Trait(t) => Some(&t.ident),
        syn::Item::Use(u) => use_rename(&u.tree),
        _ => None,
    }
}

/// The name a `use` tree declares under `as` (`use x as __private;`); a plain
/// `use tenant_diesel::__private;` names the library's own module.
fn use_rename(tree: &syn::UseTree) -> Option<&syn::Ident> {
    match tree {
        syn::UseTree::Path(path) => use_rename(&path.tree),
        syn::UseTree::Rename(rename) => Some(&rename.rename),
        _ => None,
    }
}

/// How an enclosing item is named in a finding (`fn f`, `mod m`, `impl T`).
fn item_label(item: &syn::Item) -> Option<String> {
    let label = match item {
        syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
        syn::Item::Mod(m) => format!("mod {}", m.ident),
        syn::Item::Impl(i) => match &i.trait_ {
            Some((_, path, _)) => format!("impl {} for {}", text(path), text(&i.self_ty)),
            None => format!("impl {}", text(&i.self_ty)),
        },
        syn::Item::Struct(s) => format!("struct {}", s.ident),
        syn::Item::Enum(e) => format!("enum {}", e.ident),
        syn::Item::Trait(t) => format!("trait {}", t.ident),
        syn::Item::Const(c) => format!("const {}", c.ident),
        syn::Item::Static(s) => format!("static {}", s.ident),
        syn::Item::Type(t) => format!("type {}", t.ident),
        syn::Item::Use(_) => "use".to_owned(),
        syn::Item::Macro(m) => match &m.ident {
            Some(ident) => format!("macro {ident}"),
            None => format!("{}!", text(&m.mac.path)),
        },
        _ => return None,
    };
    Some(label)
}

/// `text` cut to [`MAX_TEXT`] characters.
fn short(text: String) -> String {
    if text.chars().count() <= MAX_TEXT {
        text
    } else {
        let cut: String = text.chars().take(MAX_TEXT).collect();
        format!("{cut}..")
    }
}
