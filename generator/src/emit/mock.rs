//! The `mock` module: the mock Atlas, which the runtime provides, with the
//! crate's own docs and the one thing the runtime cannot know: what the
//! API documents of each operation (media types, error statuses). The
//! typed entry points are the endpoint functions, so nothing here is per
//! release. A crate of its own has it as `src/mock.rs`, behind its `mock`
//! feature; included code has it inline in its root, kept when the runtime
//! crate's `mock` feature is on (a `cfg` in the user's crate cannot ask).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::example::Example;
use super::paths::Paths;
use super::{docs, markdown_code_block};
use crate::ir::{Api, Package};

/// `src/mock.rs` of a crate of its own.
pub fn mock_file(api: &Api, package: &Package) -> TokenStream {
    let docs = docs::inner(paragraphs(api, package));
    let items = items(api, &Paths::new(package.layout, 1));
    quote! {
        #docs
        #items
    }
}

/// The inline `mock` module of included code, there when the runtime
/// crate's `mock` feature is on.
pub fn included_mock_module(api: &Api, package: &Package) -> TokenStream {
    let paths = Paths::new(package.layout, 1);
    let docs = docs::outer(paragraphs(api, package));
    let items = items(api, &paths);
    let if_mock = paths.runtime_crate_macro("if_mock");
    quote! {
        #if_mock! {
            #docs
            pub mod mock {
                #items
            }
        }
    }
}

fn paragraphs(api: &Api, package: &Package) -> Vec<String> {
    let included = Paths::new(package.layout, 1).is_included();
    let feature = if included {
        "there when the runtime crate's `mock` feature is on"
    } else {
        "behind the `mock` cargo feature"
    };
    let mut paragraphs = vec![format!(
        "A mock Atlas for tests, {feature}: a wiremock server on 127.0.0.1 that answers what a test declares. \
         Expectations take what an endpoint function returns, so each operation of each release is typed by its own \
         function and matched to the resource version that release sends{}",
        if included { "." } else { ":" }
    )];
    // Included code is documented as part of a crate whose name it does not
    // know: its docs show no example to compile.
    if let Some(snippet) = Example::of(api, package).mock_snippet(&package.lib_name).filter(|_| !included) {
        paragraphs.push(markdown_code_block("rust", &snippet));
    }
    paragraphs.push(
        "- [`MockAtlas::client`] and [`MockAtlas::api_key_client`] are clients pointed at the mock; it serves the \
         token endpoint and answers Digest challenges, so both authentication methods work unchanged.\n\
         - [`Expectation::returns`] answers with a value of the operation's success type, in its media type and \
         documented status; [`Expectation::fails`] with an error status the operation documents (or 401, 403, 429, \
         500, 502, 503, 504, which Atlas may send for any operation) and an error body; \
         [`Expectation::rate_limited`], [`Expectation::unavailable`], [`Expectation::drop_connection`] and \
         [`Expectation::delay`] script rate limits and faults. A value the operation's parser would not read back, \
         or an undocumented status, panics where the expectation is declared.\n\
         - A request with a missing `Accept`, or one naming a media type the operation does not declare, is \
         answered 406, as Atlas does.\n\
         - A request that matches no expectation is answered 404 and fails [`MockAtlas::verify`] (and the drop of \
         the mock) with the closest expectation and how the request differs from it; so does an expectation that \
         did not get its requests."
            .to_owned(),
    );
    paragraphs
}

/// The re-exported runtime mock, `start`, and the table of operations.
fn items(api: &Api, paths: &Paths) -> TokenStream {
    let runtime = paths.runtime();
    let operations = api.operations.iter().map(|operation| {
        let (id, method, path) = (&operation.operation_id, operation.method.as_str(), &operation.path);
        let media_types = operation.versions.iter().map(|version| &version.media_type);
        let statuses = operation.errors.iter().map(|(status, _)| Literal::u16_unsuffixed(*status));
        quote! {
            #runtime::mock::DocumentedOperation {
                id: #id,
                method: #method,
                path: #path,
                media_types: &[#(#media_types),*],
                error_statuses: &[#(#statuses),*],
            }
        }
    });
    let count = Literal::usize_unsuffixed(api.operations.len());
    quote! {
        #[doc(inline)]
        pub use #runtime::mock::*;

        /// Starts a mock Atlas on 127.0.0.1 that knows the operations of this API.
        pub async fn start() -> MockAtlas {
            MockAtlas::start_with(&OPERATIONS).await
        }

        /// What the API documents of each operation: the media types of its
        /// resource versions and its error statuses.
        static OPERATIONS: [#runtime::mock::DocumentedOperation; #count] = [#(#operations),*];
    }
}
