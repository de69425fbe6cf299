//! How generated code names the API's own modules, the runtime, and the
//! crates it builds on, from the module it is written in.
//!
//! In a crate of its own these are `crate::models`, `crate::runtime` and
//! `serde`. Code a build script writes is included into the user's crate at
//! a place only the user knows, so it reaches the API's modules relatively
//! (`super::models` from one level down), and the runtime and its crates
//! through the runtime crate, the one dependency the user adds.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Layout;

/// The runtime crate, as included code names it.
const RUNTIME_CRATE: &str = "atlas_codegen_runtime";

/// The paths of one generated module.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The API's root module from here: `crate`, `self` or `super::super`.
    root: TokenStream,
    /// `root` as a doc link writes it.
    doc_root: String,
    included: bool,
}

impl Paths {
    /// The paths of a module `depth` levels below the API's root (the root
    /// is 0, `models` 1, `operations::list_org_invites` 2).
    pub fn new(layout: Layout, depth: usize) -> Paths {
        match layout {
            Layout::Crate => Paths { root: quote!(crate), doc_root: "crate".to_owned(), included: false },
            Layout::Included { .. } => {
                let doc_root = if depth == 0 { "self".to_owned() } else { vec!["super"; depth].join("::") };
                let root = doc_root.parse().expect("a path of keywords");
                Paths { root, doc_root, included: true }
            }
        }
    }

    /// The API's root module.
    pub fn root(&self) -> &TokenStream {
        &self.root
    }

    /// `path` (e.g. `models::Role`) as an intra-doc link layout.
    pub fn doc_link(&self, path: &str) -> String {
        format!("{}::{path}", self.doc_root)
    }

    /// The runtime module.
    pub fn runtime(&self) -> TokenStream {
        if self.included {
            let krate = format_ident!("{}", RUNTIME_CRATE);
            quote!(::#krate::runtime)
        } else {
            quote!(crate::runtime)
        }
    }

    /// A crate the generated code names (`serde`, `serde_json`, `http`,
    /// `chrono`, `regex`).
    pub fn external(&self, name: &str) -> TokenStream {
        let name = format_ident!("{}", name);
        if self.included {
            let krate = format_ident!("{}", RUNTIME_CRATE);
            quote!(::#krate::#name)
        } else {
            quote!(#name)
        }
    }

    /// A macro of the runtime crate, which only included code has to name
    /// (`::atlas_codegen_runtime::if_mock`).
    pub fn runtime_crate_macro(&self, name: &str) -> TokenStream {
        let (krate, name) = (format_ident!("{}", RUNTIME_CRATE), format_ident!("{}", name));
        quote!(::#krate::#name)
    }

    /// `#[serde(crate = "…")]` where serde's derives must be told where
    /// serde is: in included code, whose crate need not depend on serde.
    pub fn serde_crate(&self) -> Option<TokenStream> {
        self.included.then(|| {
            let path = format!("::{RUNTIME_CRATE}::serde");
            quote!(#[serde(crate = #path)])
        })
    }

    /// Whether this is code a build script writes.
    pub fn is_included(&self) -> bool {
        self.included
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_names_itself_and_included_code_goes_relative() {
        let own = Paths::new(Layout::Crate, 2);
        assert_eq!(own.root().to_string(), "crate");
        assert_eq!(own.external("serde").to_string(), "serde");
        assert!(own.serde_crate().is_none());
        let included = Paths::new(Layout::Included { client: true }, 2);
        assert_eq!(included.root().to_string(), "super :: super");
        assert_eq!(included.doc_link("models::Role"), "super::super::models::Role");
        assert_eq!(included.runtime().to_string(), ":: atlas_codegen_runtime :: runtime");
        assert_eq!(included.external("chrono").to_string(), ":: atlas_codegen_runtime :: chrono");
        assert_eq!(included.runtime_crate_macro("if_mock").to_string(), ":: atlas_codegen_runtime :: if_mock");
        assert_eq!(Paths::new(Layout::Included { client: false }, 0).root().to_string(), "self");
    }
}
