//! `src/lib.rs`: the crate docs, its modules, and `latest`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::paths::Paths;
use super::{docs, EmitContext};
use crate::ir::{Api, Layout, Package};

pub fn crate_root(api: &Api, package: &Package, context: &EmitContext) -> TokenStream {
    let mut paragraphs = vec![format!("# {}", docs::markdown(&api.title).replace('\n', " "))];
    if let Some(description) = &api.description {
        paragraphs.push(docs::markdown(description));
    }
    paragraphs.push(
        "## API releases\n\n\
         Atlas versions each resource by media type. Each release module below holds an endpoint function for every \
         operation that exists at that release, sending the newest resource version of the operation that is not \
         newer than the release. Pin a release module: a new version of this crate never changes what a dated \
         module sends. `latest`, behind the `unstable-latest` cargo feature, follows the newest release, so a minor \
         version of this crate may change what it means."
            .to_owned(),
    );
    paragraphs.push(operations_table(api));
    paragraphs.push(format!(
        "## Calling Atlas\n\n\
         The endpoint functions are sans-IO: they build an `http::Request` and parse the answer. With the \
         `client` cargo feature (on by default), `client::Client` sends them for you, authenticated with a \
         service account or an API key, with timeouts, retries on rate limits and one error type: {}. Turn \
         default features off for the sans-IO API alone.",
        client_call(api, package)
    ));
    let paged = api.paged_operations().count();
    if paged > 0 {
        paragraphs.push(format!(
            "The paged list operations ({paged} here) answer one page of results at a time; `client.pages(endpoint)` \
             and `client.items(endpoint)` fetch every page (their answers implement [`Paginated`])."
        ));
    }
    paragraphs.push(
        "## Testing without Atlas\n\n\
         With the `mock` cargo feature (for dev-dependencies), `mock::start().await` runs a mock Atlas on 127.0.0.1 \
         that hands out clients pointed at it and answers the expectations a test declares, typed by the endpoint \
         functions: `mock.expect(endpoint).returns(value).await`."
            .to_owned(),
    );
    paragraphs.push(format!("Generated from `{}` (SHA-256 `{}`).", context.spec_name, context.spec_sha256));
    let docs = docs::inner(paragraphs);
    let modules = modules(api, package);

    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]

        #modules
    }
}

/// The modules of the API, and what its root re-exports: the whole of
/// `src/lib.rs` but its docs and lints, and the whole of the root file that
/// a build script writes and the user's crate includes.
pub fn modules(api: &Api, package: &Package) -> TokenStream {
    let paths = Paths::new(package.layout, 0);
    let included = paths.is_included();
    // Included code has no crate root of its own to carry these lints.
    let lints = included.then(|| quote!(#[allow(clippy::too_many_arguments, clippy::large_enum_variant)]));
    // The models refer to the API's deprecated types and fields themselves;
    // that is not a use to warn about (users still get the warning).
    let allow_deprecated = api.deprecates_types().then(|| quote!(#[allow(deprecated)]));
    let ids = (!api.ids.is_empty()).then(|| {
        quote! {
            #lints
            pub mod ids;
        }
    });
    let client = match package.layout {
        Layout::Crate => Some(quote!(#[cfg(feature = "client")])),
        Layout::Included { client } => client.then(TokenStream::new),
    }
    .map(|feature| {
        quote! {
            #feature
            #allow_deprecated
            #lints
            pub mod client;
        }
    });
    let mock = match package.layout {
        Layout::Crate => Some(quote! {
            #[cfg(feature = "mock")]
            pub mod mock;
        }),
        Layout::Included { client: true } => Some(super::mock::included_mock_module(api, package)),
        Layout::Included { client: false } => None,
    };
    // A crate of its own has a copy of the runtime; included code uses the runtime crate's.
    let (runtime_module, runtime) = if included {
        (None, paths.runtime())
    } else {
        (
            Some(quote!(
                mod runtime;
            )),
            quote!(runtime),
        )
    };
    let releases = api.releases.iter().map(|release| {
        let module = format_ident!("{}", release.module);
        let doc = format!(" API release {}.", release.date);
        quote! {
            #[doc = #doc]
            #lints
            pub mod #module;
        }
    });
    let latest = api.newest_release().map(|newest| {
        let module = format_ident!("{}", newest.module);
        let (doc, feature) = if included {
            let doc = format!(
                " The newest API release of the spec this was generated from, currently [`{}`]. Code that must keep \
                 its meaning when the spec gains a release should name a release instead.",
                newest.module
            );
            (doc, None)
        } else {
            let doc = format!(
                " The newest API release, currently [`{}`]. It moves to the next release when the crate is \
                 regenerated, in a minor version: that is why it is behind the `unstable-latest` feature, which \
                 semver does not cover. Code that must keep its meaning should name a release instead.",
                newest.module
            );
            (doc, Some(quote!(#[cfg(feature = "unstable-latest")])))
        };
        quote! {
            #[doc = #doc]
            #feature
            pub mod latest {
                #[doc(inline)]
                pub use super::#module::*;
            }
        }
    });
    quote! {
        #ids
        #allow_deprecated
        #lints
        pub mod models;
        #allow_deprecated
        #lints
        pub mod operations;
        #runtime_module
        #client
        #mock

        pub use #runtime::{Endpoint, ErrorResponse, InvalidId, Paginated, RawBody, RequestError, ResponseError, ResponseParser, UnknownValue};

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
            .find(|release| operation.version_at(release.date).is_some())
            .map_or_else(|| "—".to_owned(), |release| format!("[`{}`]", release.module));
        table.push_str(&format!("| `{}` | {} | {first} |\n", operation.operation_id, versions.join(", ")));
    }
    table
}

/// The example call through the client, as the crate docs show it.
fn client_call(api: &Api, package: &Package) -> String {
    let Some(example) = &package.example else { return "`client.send(endpoint).await`".to_owned() };
    let (operation, release) = (&api.operations[example.operation], &api.releases[example.release]);
    if package.client_accessors {
        format!("`client.{}().{}(..).await`", release.module, operation.rust_name)
    } else {
        format!("`client.send({}::{}(..)).await`", release.module, operation.rust_name)
    }
}
