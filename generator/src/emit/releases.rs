//! `src/lib.rs` and one module per API release (`src/v2023_01_01.rs`, …).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use syn::UseTree;

use super::operations::{function_name, is_deprecated, query_struct_name};
use super::syntax::{ident, list_attribute, public};
use super::{docs, EmitContext};
use crate::ir::{Api, ApiDate, Operation};

pub fn crate_root(api: &Api, context: &EmitContext) -> TokenStream {
    let title = format!("# {}", docs::markdown(&api.title).replace('\n', " "));
    let mut paragraphs = vec![title];
    if let Some(description) = &api.description {
        paragraphs.push(docs::markdown(description));
    }
    paragraphs.push(
        "## API releases\n\n\
         Atlas versions each resource by media type. Each release module below holds an endpoint \
         function for every operation that exists at that release, sending the newest resource \
         version of the operation that is not newer than the release. Pin a release module; \
         [`latest`] follows the newest release and moves when the crate is regenerated."
            .to_owned(),
    );
    paragraphs.push(operations_table(api));
    if super::client::supported(api) {
        paragraphs.push(format!(
            "## Calling Atlas\n\n\
             The endpoint functions are sans-IO: they build an `http::Request` and parse the answer. With the \
             `client` cargo feature (on by default), `client::Client` sends them for you, authenticated with a \
             service account or an API key, with timeouts, retries on rate limits and one error type: {}. Turn \
             default features off for the sans-IO API alone.",
            client_call(api, context.client_accessors)
        ));
    }
    paragraphs.push(format!("Generated from `{}` (SHA-256 `{}`).", context.spec_name, context.spec_sha256));
    let doc = docs::inner_verbatim(&paragraphs);

    // Every item is `rustfmt::skip`: the files are printed by prettyplease, and
    // `cargo fmt` must not reformat them (that would make them stale). The
    // attribute is assembled so rustfmt does not act on it in this file.
    let rustfmt = format_ident!("rustfmt");
    let skip = quote!(#[#rustfmt::skip]);
    let ids = (!api.ids.is_empty()).then(|| quote!(#skip pub mod ids;));
    let releases = api.releases.iter().map(|release| {
        let ident = format_ident!("{}", release.module_name());
        let doc = format!(" API release {release}.");
        quote! { #[doc = #doc] #skip pub mod #ident; }
    });
    let latest = api.releases.last().map(|newest| {
        let ident = format_ident!("{}", newest.module_name());
        let doc = format!(
            " The newest API release, currently [`{}`]. It moves to the next release when the crate is \
             regenerated, so code that must keep its meaning should name a release instead.",
            newest.module_name()
        );
        quote! {
            #[doc = #doc]
            #skip
            pub mod latest {
                #[doc(inline)]
                pub use super::#ident::*;
            }
        }
    });
    let client = super::client::supported(api).then(|| {
        // Documented inside: with docs on both sides rustdoc resolves the
        // module's links from the crate root.
        quote! {
            #[cfg(feature = "client")]
            #skip
            pub mod client;
        }
    });
    quote! {
        #doc
        #![forbid(unsafe_code)]
        // Endpoint functions take one argument per path parameter, and enums
        // mirror the wire shapes of `oneOf` schemas: both follow the spec.
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]

        #ids
        #skip
        pub mod models;
        #skip
        pub mod operations;
        #skip
        mod runtime;
        #client

        #skip
        pub use runtime::{Endpoint, ErrorResponse, InvalidId, RawBody, RequestError, ResponseError, ResponseParser, UnknownValue};

        #(#releases)*
        #latest
    }
}

/// Operation × resource versions × first release, as a Markdown table.
fn operations_table(api: &Api) -> String {
    let mut table = String::from("| operation | resource versions | first release |\n|---|---|---|\n");
    for operation in &api.operations {
        let versions: Vec<String> = operation.versions.iter().map(|v| v.date.to_string()).collect();
        let first = api
            .releases
            .iter()
            .find(|release| operation.version_at(**release).is_some())
            .map_or_else(|| "—".to_owned(), |release| format!("[`{}`]", release.module_name()));
        table.push_str(&format!("| `{}` | {} | {first} |\n", operation.operation_id, versions.join(", ")));
    }
    table
}

/// A call through the client, as the crate-root docs show it: an operation
/// of the newest release (a `GET` if there is one), through its accessor
/// when there are accessors.
fn client_call(api: &Api, accessors: bool) -> String {
    let newest = api.releases.last().copied();
    let current = api.operations.iter().filter(|op| newest.is_some_and(|release| op.version_at(release).is_some()));
    let operation = current.clone().find(|op| op.method.as_str() == "GET").or_else(|| current.clone().next());
    match (operation, newest) {
        (Some(operation), Some(release)) if accessors => {
            format!("`client.{}().{}(..).await`", release.module_name(), operation.rust_name)
        }
        (Some(operation), Some(release)) => {
            format!("`client.send({}::{}(..)).await`", release.module_name(), operation.rust_name)
        }
        _ => "`client.send(endpoint).await`".to_owned(),
    }
}

pub fn release_module(api: &Api, release: ApiDate) -> syn::File {
    let mut table = String::from("| function | resource version |\n|---|---|\n");
    let mut exports = Vec::new();
    for operation in &api.operations {
        let Some(version) = operation.version_at(release) else { continue };
        let function = function_name(operation, version);
        table.push_str(&format!(
            "| [`{}`](crate::operations::{}::{}) | {} |\n",
            operation.rust_name, operation.rust_name, function, version.date
        ));
        let mut attrs = vec![list_attribute("doc", quote!(inline))];
        // Callers still get the deprecation warning; the re-export itself need not.
        if is_deprecated(operation, version) {
            attrs.push(list_attribute("allow", quote!(deprecated)));
        }
        exports.push(syn::Item::Use(syn::ItemUse {
            attrs,
            vis: public(),
            use_token: Default::default(),
            leading_colon: None,
            tree: export_tree(operation, &function),
            semi_token: Default::default(),
        }));
    }
    let intro = format!(
        "API release {release}: every operation that exists at this release, each sending the resource \
         version it has at {release}."
    );
    let attrs = docs::inner_verbatim_attributes(&[intro, table]).into_iter().collect();
    syn::File { shebang: None, attrs, items: exports }
}

/// `crate::operations::module::{function as operation, Query}`: the endpoint
/// function under the operation's own name, and its query struct if any.
fn export_tree(operation: &Operation, function: &str) -> UseTree {
    let function = UseTree::Rename(syn::UseRename {
        ident: ident(function),
        as_token: Default::default(),
        rename: ident(&operation.rust_name),
    });
    let names = match query_struct_name(operation) {
        Some(query) => UseTree::Group(syn::UseGroup {
            brace_token: Default::default(),
            items: [function, UseTree::Name(syn::UseName { ident: ident(query) })].into_iter().collect(),
        }),
        None => function,
    };
    ["crate", "operations", operation.rust_name.as_str()].into_iter().rev().fold(names, |tree, segment| {
        UseTree::Path(syn::UsePath { ident: ident(segment), colon2_token: Default::default(), tree: Box::new(tree) })
    })
}
