//! `src/client.rs`: the async client, which the runtime provides, with the
//! crate's own docs and example, and, when the settings ask for them, an
//! accessor per API release with a method per operation. The method bodies
//! are one call: the logic lives in the endpoint functions and the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::example::Example;
use super::operations::{deprecation, signature};
use super::paths::Paths;
use super::types::Spelling;
use super::{docs, markdown_code_block};
use crate::ir::{Api, Package, Release};

/// How many parts `src/client.rs` is rendered in: the module, then, with
/// accessors, one per release, so that a full API's file is formatted on
/// every core.
pub fn part_count(api: &Api, package: &Package) -> usize {
    if !package.layout.has_client() {
        0
    } else if package.client_accessors {
        1 + api.releases.len()
    } else {
        1
    }
}

/// Part `part` of `src/client.rs`.
pub fn client_part(api: &Api, package: &Package, part: usize) -> TokenStream {
    match part.checked_sub(1).and_then(|index| api.releases.get(index)) {
        Some(release) => release_accessor(api, package, release),
        None => client_module(api, package),
    }
}

fn client_module(api: &Api, package: &Package) -> TokenStream {
    let example = Example::of(api, package);
    let paths = Paths::new(package.layout, 1);
    let releases = if package.client_accessors && paths.is_included() {
        "- **Releases.** [`Client::send`] sends what any endpoint function builds, with the media type of the \
         release module it comes from. Each API release also has an accessor, through [`ReleaseAccessors`], with a \
         method per operation of that release."
            .to_owned()
    } else if package.client_accessors {
        let newest =
            api.newest_release().map_or_else(String::new, |release| format!("`client.{}()`, …, ", release.module));
        format!(
            "- **Releases.** [`Client::send`] sends what any endpoint function builds, with the media type of the \
             release module it comes from. Each API release also has an accessor ({newest}and `client.latest()` with \
             the `unstable-latest` feature) with a \
             method per operation of that release."
        )
    } else {
        "- **Releases.** [`Client::send`] sends what any endpoint function builds, with the media type of the \
         release module it comes from."
            .to_owned()
    };
    // Included code is documented as part of a crate whose name it does not
    // know: its docs show no example to compile.
    let introduction = if paths.is_included() {
        vec![
            "An async client for the Atlas Admin API (reqwest with rustls, on tokio), from the runtime crate. It sends \
             the requests the endpoint functions build, with authentication, timeouts and retries, and decodes the \
             answers."
                .to_owned(),
        ]
    } else {
        vec![
            "An async client for the Atlas Admin API (reqwest with rustls, on tokio), behind the `client` cargo \
             feature (on by default). It sends the requests the endpoint functions build, with authentication, \
             timeouts and retries, and decodes the answers:"
                .to_owned(),
            markdown_code_block("no_run", &example.doc_snippet(&package.lib_name, package.client_accessors)),
        ]
    };
    let paged = api.paged_operations().count();
    let pages = (paged > 0).then(|| {
        format!(
            "- **Pages of results.** The paged list operations ({paged} here) answer a page at a time; \
             [`Client::pages`] and [`Client::items`] fetch every page, each asked for by number at the base URL (a \
             `next` link's URL is never requested)."
        )
    });
    let mut bullets = vec![releases];
    bullets.extend(pages);
    bullets.extend(
        [
            "- **Service accounts** ([`ClientBuilder::service_account`], the method Atlas recommends): the client \
             fetches a bearer token from `{base}/api/oauth/token`, shares it between concurrent calls, fetches a new \
             one (once, for all waiting calls) shortly before it expires, and retries a call once with a new token \
             when Atlas answers 401.",
            "- **API keys** ([`ClientBuilder::api_key`]): HTTP Digest with the public key as user name. The client \
             answers Atlas's challenge (MD5, or SHA-256 when offered), keeps it to answer later requests directly \
             with a counted nonce, and answers again when Atlas says the nonce is stale.",
            "- **Errors** are one [`Error`], generic over the operation's error body, which stays typed; Atlas's \
             common error fields (`errorCode`, `detail`, …) are read from any error body. Rate-limit headers are on \
             errors ([`Error::rate_limit`]) and, for the latest answer of any call, on [`Client::last_rate_limit`].",
            "- **Retries** follow a [`RetryPolicy`]: 429 always, 5xx and lost connections only when sending again \
             cannot apply a change twice.",
            "- **Timeouts**: 10 s to connect and 60 s for a whole exchange by default.",
            "- **Secrets** (client secret, private key, tokens) never show in `Debug`, `Display` or errors; plain \
             `http://` base URLs are refused unless the host is loopback or [`ClientBuilder::allow_insecure_http`] \
             says so.",
        ]
        .map(str::to_owned),
    );
    let docs = docs::inner(introduction.into_iter().chain([bullets.join("\n")]));
    let accessors = package.client_accessors.then(|| accessors(api, &paths));
    let runtime = paths.runtime();
    quote! {
        #docs

        #[doc(inline)]
        pub use #runtime::client::*;

        #accessors
    }
}

/// A method per release on the client, returning that release's accessor:
/// inherent methods in a crate of its own, a trait to import in included
/// code (whose crate does not define `Client`).
fn accessors(api: &Api, paths: &Paths) -> TokenStream {
    let mut methods: Vec<(TokenStream, proc_macro2::Ident, proc_macro2::Ident)> = api
        .releases
        .iter()
        .map(|release| {
            let doc = format!(
                " The operations of API release {}, as in [`{}`]({}).",
                release.date,
                release.module,
                paths.doc_link(&release.module)
            );
            (quote!(#[doc = #doc]), format_ident!("{}", release.module), format_ident!("{}", release.accessor))
        })
        .collect();
    if let Some(newest) = api.newest_release() {
        let doc = if paths.is_included() {
            format!(
                " The operations of the newest API release of the spec, currently [`{}`](Self::{}). Code that \
                 must keep its meaning when the spec gains a release should name a release instead.",
                newest.module, newest.module
            )
        } else {
            format!(
                " The operations of the newest API release, currently [`{}`](Self::{}). It moves to the next \
                 release when the crate is regenerated, in a minor version (feature `unstable-latest`); code that \
                 must keep its meaning should name a release instead.",
                newest.module, newest.module
            )
        };
        let feature = (!paths.is_included()).then(|| quote!(#[cfg(feature = "unstable-latest")]));
        methods.push((quote!(#[doc = #doc] #feature), format_ident!("latest"), format_ident!("{}", newest.accessor)));
    }
    if paths.is_included() {
        let signatures = methods.iter().map(|(attributes, method, accessor)| {
            quote! {
                #attributes
                fn #method(&self) -> #accessor<'_>;
            }
        });
        let bodies = methods.iter().map(|(_, method, accessor)| {
            quote! {
                fn #method(&self) -> #accessor<'_> {
                    #accessor { client: self }
                }
            }
        });
        let example =
            api.newest_release().map_or_else(String::new, |newest| format!(" (`client.{}()`)", newest.module));
        let doc = format!(
            " An accessor per API release on a [`Client`]{example}, with a method per operation of that release. \
             Import the trait to call them."
        );
        quote! {
            #[doc = #doc]
            pub trait ReleaseAccessors {
                #(#signatures)*
            }

            impl ReleaseAccessors for Client {
                #(#bodies)*
            }
        }
    } else {
        let methods = methods.iter().map(|(attributes, method, accessor)| {
            quote! {
                #attributes
                pub fn #method(&self) -> #accessor<'_> {
                    #accessor { client: self }
                }
            }
        });
        quote! {
            impl Client {
                #(#methods)*
            }
        }
    }
}

/// One release's accessor: a struct borrowing the client, with a method
/// per operation that exists at the release.
fn release_accessor(api: &Api, package: &Package, release: &Release) -> TokenStream {
    let accessor = format_ident!("{}", release.accessor);
    let module = format_ident!("{}", release.module);
    let doc = format!(
        " The operations of API release {}, sent through a [`Client`]: `client.{}()`.",
        release.date, release.module
    );
    let spelling = Spelling::outside_models(std::iter::empty(), Paths::new(package.layout, 1));
    let (result, root) = (spelling.result(), spelling.paths().root());
    let methods = api.operations.iter().filter_map(|operation| {
        let version = operation.version_at(release.date)?;
        let name = format_ident!("{}", operation.rust_name);
        let signature = signature(operation, version, &spelling, |query| quote!(#root::#module::#query));
        let parameters = signature.arguments.iter().map(|(name, ty)| quote!(#name: #ty));
        let arguments = signature.arguments.iter().map(|(name, _)| name);
        let (success, error) = (&signature.success, &signature.error);
        let mut paragraphs = Vec::new();
        if let Some(summary) = &operation.summary {
            paragraphs.push(docs::markdown(&format!("{}.", summary.trim_end_matches('.'))));
        }
        paragraphs.push(format!(
            "`{} {}`, resource version {}: sends the request of [`{module}::{name}`]({link}) and decodes the answer, \
             or the [`Error`].",
            operation.method.as_str(),
            operation.path,
            version.date,
            module = release.module,
            name = operation.rust_name,
            link = spelling.paths().doc_link(&format!("{}::{}", release.module, operation.rust_name)),
        ));
        let docs = docs::outer(paragraphs);
        // The method is deprecated like the function it calls; that call is not a use to warn about.
        let deprecated = deprecation(version);
        let allow = version.deprecation.is_some().then(|| quote!(#[allow(deprecated)]));
        // It builds the request when called and returns `send`'s future, which borrows only the client:
        // an `async fn` would add a state machine per operation and release, 30% more memory to check a
        // full API.
        Some(quote! {
            #docs
            #deprecated
            #allow
            pub fn #name(&self, #(#parameters),*) -> impl std::future::Future<Output = #result<#success, Error<#error>>> + 'a {
                self.client.send(#root::#module::#name(#(#arguments),*))
            }
        })
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #accessor<'a> {
            client: &'a Client,
        }

        impl<'a> #accessor<'a> {
            #(#methods)*
        }
    }
}
