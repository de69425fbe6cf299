//! The async client's per-release accessors (`src/client/releases.rs`): for
//! each API release a small struct borrowing the client, with one method per
//! operation that sends the release's endpoint function. The method bodies
//! are one call: the logic lives in the endpoint functions and in the
//! hand-written client runtime (`templates/client/`).
//!
//! The client runtime decodes errors into the spec's `ApiError` schema (the
//! error body every Atlas endpoint shares), so the client is emitted only for
//! specs whose operations all answer errors with that schema.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::operations::{deprecation, function_name, is_deprecated, signature};
use crate::ir::{Api, ApiDate, TypeKind, TypeRef};

/// The schema errors decode into, and the fields the client runtime reads.
const ERROR_TYPE: &str = "ApiError";
const ERROR_FIELDS: [&str; 6] = ["badRequestDetail", "detail", "error", "errorCode", "parameters", "reason"];

/// Whether the client can be emitted for `api`: there are operations, and
/// every one of them documents its errors with the `ApiError` schema.
pub fn supported(api: &Api) -> bool {
    let Some(TypeKind::Struct(fields)) = api.types.get(ERROR_TYPE).map(|def| &def.kind) else { return false };
    let has_fields = ERROR_FIELDS.iter().all(|wire| fields.iter().any(|field| field.wire_name == *wire));
    let shared = api.operations.iter().all(|op| op.error_type == Some(TypeRef::Named(ERROR_TYPE.to_owned())));
    has_fields && shared && !api.operations.is_empty()
}

/// The release the example pins, and the operation it calls.
const EXAMPLE_RELEASE: &str = "2025-03-12";
const EXAMPLE_OPERATION: &str = "list_org_invites";

/// Whether the `list_invites` example applies to `api`: the client is
/// emitted and the release it pins has the operation it calls.
pub fn example_supported(api: &Api) -> bool {
    let Some(release) = ApiDate::parse(EXAMPLE_RELEASE) else { return false };
    supported(api)
        && api.releases.contains(&release)
        && api.operations.iter().any(|op| op.rust_name == EXAMPLE_OPERATION && op.version_at(release).is_some())
}

/// The struct name of a release's accessor: `V2025_03_12`.
fn accessor_struct(release: ApiDate) -> proc_macro2::Ident {
    format_ident!("V{}", release.module_name().trim_start_matches('v'))
}

pub fn releases_file(api: &Api) -> TokenStream {
    let doc = " One accessor per API release. Each holds a method per operation of that release, which sends \
               the request of the release's endpoint function through the [`Client`](super::Client) and decodes \
               the answer.";
    let accessors = api.releases.iter().map(|release| {
        let method = format_ident!("{}", release.module_name());
        let ty = accessor_struct(*release);
        let doc = format!(" The operations of API release {release}, as in [`crate::{}`].", release.module_name());
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #ty<'_> {
                #ty { client: self }
            }
        }
    });
    let latest = api.releases.last().map(|newest| {
        let ty = accessor_struct(*newest);
        let doc = format!(
            " The operations of the newest API release, currently [`{}`](Self::{}). It moves to the next \
             release when the crate is regenerated, so code that must keep its meaning should name a release \
             instead.",
            newest.module_name(),
            newest.module_name()
        );
        quote! {
            #[doc = #doc]
            pub fn latest(&self) -> #ty<'_> {
                #ty { client: self }
            }
        }
    });
    let structs = api.releases.iter().map(|release| release_struct(api, *release));
    quote! {
        #![doc = #doc]
        impl super::Client {
            #(#accessors)*
            #latest
        }
        #(#structs)*
    }
}

fn release_struct(api: &Api, release: ApiDate) -> TokenStream {
    let ty = accessor_struct(release);
    let module = format_ident!("{}", release.module_name());
    let doc = format!(
        " The operations of API release {release}, sent through a [`Client`](super::Client): \
         `client.{}()`.",
        release.module_name()
    );
    let methods = api.operations.iter().filter_map(|operation| {
        let version = operation.version_at(release)?;
        let name = format_ident!("{}", operation.rust_name);
        let signature = signature(operation, version, |query| quote!(crate::#module::#query));
        let parameters = signature.arguments.iter().map(|(ident, ty)| quote!(#ident: #ty));
        let arguments = signature.arguments.iter().map(|(ident, _)| ident);
        let success = &signature.success;

        let mut paragraphs = Vec::new();
        if let Some(summary) = &operation.summary {
            paragraphs.push(docs::markdown(&format!("{}.", summary.trim_end_matches('.'))));
        }
        paragraphs.push(format!(
            "`{} {}`, resource version {}: sends the request of [`{}`](crate::operations::{}::{}) and decodes \
             the answer.",
            operation.method.as_str(),
            operation.path,
            version.date,
            operation.rust_name,
            operation.rust_name,
            function_name(operation, version),
        ));
        paragraphs.push("# Errors".to_owned());
        paragraphs.push("See [`Error`](super::Error).".to_owned());
        let doc = docs::outer_verbatim(&paragraphs);

        // The method is deprecated like the function it calls; that call is not a use to warn about.
        let deprecated = deprecation(operation, version);
        let allow = is_deprecated(operation, version).then(|| quote!(#[allow(deprecated)]));
        Some(quote! {
            #doc
            #deprecated
            #allow
            pub async fn #name(&self, #(#parameters),*) -> ::std::result::Result<#success, super::Error> {
                self.client.send(crate::#module::#name(#(#arguments),*)).await
            }
        })
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a super::Client,
        }
        impl #ty<'_> {
            #(#methods)*
        }
    }
}
