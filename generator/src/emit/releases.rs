//! One module per API release (`src/v2023_01_01.rs`, …): each re-exports,
//! under the operation's own name, the endpoint function of the resource
//! version the operation has at that release.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::paths::Paths;
use crate::ir::{Api, Layout, Release};

pub fn release_module(api: &Api, release: &Release, layout: Layout) -> TokenStream {
    let date = release.date;
    let paths = Paths::new(layout, 1);
    let root = paths.root();
    let mut exports = Vec::new();
    for operation in &api.operations {
        let Some(version) = operation.version_at(date) else { continue };
        let module = format_ident!("{}", operation.rust_name);
        let function = format_ident!("{}", version.function);
        let names = match operation.query_struct.as_deref() {
            Some(query) => {
                let query = format_ident!("{}", query);
                quote!({#function as #module, #query})
            }
            None => quote!(#function as #module),
        };
        // Callers still get the deprecation warning; the re-export itself need not.
        let allow = version.deprecation.is_some().then(|| quote!(#[allow(deprecated)]));
        exports.push(quote! {
            #[doc(inline)]
            #allow
            pub use #root::operations::#module::#names;
        });
    }
    // Each function's own docs say which resource version it sends.
    let docs = docs::inner([format!(
        "API release {date}: every operation that exists at this release, each sending the resource version it has \
         at {date}."
    )]);
    quote! {
        #docs
        #(#exports)*
    }
}
