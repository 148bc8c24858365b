//! The report's list of the library's traits is the list the library declares:
//! a new public trait in tenant-core or tenant-diesel fails this test until it is
//! classified, and a trait classified sealed must be sealed in the source.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::visit::{self, Visit};
use tenant_diesel_report::library::{TraitRole, LIBRARY_TRAITS, SEAL};
use tenant_diesel_report::trust::TRUSTED_TRAITS;

/// The public traits of a crate's sources: name to supertraits, as text.
#[derive(Default)]
struct Traits {
    found: BTreeMap<String, String>,
    /// Whether the enclosing inline modules are all public.
    reachable: Vec<bool>,
}

impl<'ast> Visit<'ast> for Traits {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        // `mod sealed { pub trait Sealed {} }`: unnameable outside the crate.
        let inline_private =
            item.content.is_some() && !matches!(item.vis, syn::Visibility::Public(_));
        self.reachable.push(!inline_private);
        visit::visit_item_mod(self, item);
        self.reachable.pop();
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        let public = matches!(item.vis, syn::Visibility::Public(_));
        if public && self.reachable.iter().all(|r| *r) {
            let supertraits = item.supertraits.to_token_stream().to_string();
            self.found.insert(item.ident.to_string(), supertraits);
        }
        visit::visit_item_trait(self, item);
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn library_traits() -> BTreeMap<String, String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut traits = Traits::default();
    for krate in ["tenant-core", "tenant-diesel"] {
        let mut files = Vec::new();
        rust_files(&workspace.join(krate).join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable");
            let parsed = syn::parse_file(&text).expect("the library parses");
            traits.visit_file(&parsed);
        }
    }
    traits.found
}

/// Whether supertraits (as text) seal a trait: the seal, a private `sealed`,
/// `never` or `only_..` module's trait, or another sealed trait.
fn sealed_traits(traits: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut sealed = BTreeSet::new();
    loop {
        let before = sealed.len();
        for (name, supertraits) in traits {
            let words: Vec<&str> = supertraits
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .collect();
            let by_seal = words
                .iter()
                .any(|w| *w == SEAL || *w == "sealed" || *w == "never" || w.starts_with("only_"));
            let by_sealed_trait = words.iter().any(|w| sealed.contains(*w));
            if by_seal || by_sealed_trait {
                sealed.insert(name.clone());
            }
        }
        if sealed.len() == before {
            return sealed;
        }
    }
}

#[test]
fn every_public_trait_of_the_library_is_classified() {
    let declared: BTreeSet<String> = library_traits().into_keys().collect();
    let classified: BTreeSet<String> = LIBRARY_TRAITS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .chain(TRUSTED_TRAITS.iter().map(|name| (*name).to_owned()))
        .collect();
    let unclassified: Vec<&String> = declared.difference(&classified).collect();
    let gone: Vec<&String> = classified.difference(&declared).collect();
    assert!(
        unclassified.is_empty(),
        "classify these traits in report/src/library.rs: {unclassified:?}"
    );
    assert!(
        gone.is_empty(),
        "no longer declared by the library: {gone:?}"
    );
}

#[test]
fn the_traits_classified_sealed_are_sealed_in_the_source_and_no_others() {
    let traits = library_traits();
    let sealed = sealed_traits(&traits);
    for (name, role) in LIBRARY_TRAITS {
        let expected = matches!(role, TraitRole::Sealed);
        assert_eq!(
            sealed.contains(*name),
            expected,
            "`{name}` is classified {role:?}, its supertraits are `{}`",
            traits.get(*name).map_or("?", String::as_str)
        );
    }
    for name in TRUSTED_TRAITS {
        assert!(!sealed.contains(name), "trusted trait `{name}` is sealed");
    }
}
