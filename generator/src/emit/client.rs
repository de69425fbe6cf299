//! The async client's per-release accessors (`src/client/releases.rs`): for
//! each API release a small struct borrowing the client, with one method per
//! operation that sends the release's endpoint function. The method bodies
//! are one call: the logic lives in the endpoint functions and in the
//! hand-written client runtime (`templates/client/`).
//!
//! The client runtime decodes errors into the spec's `ApiError` schema (the
//! error body every Atlas endpoint shares), so the client is emitted only for
//! specs that have that schema.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::operations::{deprecation, is_deprecated, signature};
use super::syntax::{path, path_type};
use crate::ir::{Api, ApiDate, TypeKind, TypeRef};

/// The schema errors decode into.
const ERROR_TYPE: &str = "ApiError";

/// How the client runtime reads a field: which field, of what type, and
/// whether it is an `Option`.
struct Expected {
    wire: &'static str,
    rust: &'static str,
    ty: Option<TypeRef>,
    optional: bool,
}

const fn expected(wire: &'static str, rust: &'static str, ty: Option<TypeRef>, optional: bool) -> Expected {
    Expected { wire, rust, ty, optional }
}

/// Whether the client can be emitted for `api`: there are operations, and
/// the spec's `ApiError` (with its `BadRequestDetail` and `FieldViolation`)
/// has the fields the hand-written client runtime reads, typed as it reads
/// them; a spec that types them otherwise gets no client rather than one
/// that does not compile. An operation may document another error type;
/// Atlas still answers it with `ApiError`s, and the client keeps every error
/// body as received.
pub fn supported(api: &Api) -> bool {
    let text = || Some(TypeRef::String);
    let named = |name: &str| Some(TypeRef::Named(name.to_owned()));
    let violations = Some(TypeRef::Array(Box::new(TypeRef::Named("FieldViolation".to_owned()))));
    let shapes = [
        (
            ERROR_TYPE,
            vec![
                expected("errorCode", "error_code", text(), false),
                expected("detail", "detail", text(), true),
                expected("reason", "reason", text(), true),
                expected("badRequestDetail", "bad_request_detail", named("BadRequestDetail"), true),
                // Read through `Serialize` whatever its items are.
                expected("parameters", "parameters", None, true),
            ],
        ),
        ("BadRequestDetail", vec![expected("fields", "fields", violations, true)]),
        (
            "FieldViolation",
            vec![expected("field", "field", text(), false), expected("description", "description", text(), false)],
        ),
    ];
    let has_shape = |name: &str, wanted: &[Expected]| {
        let Some(TypeKind::Struct(fields)) = api.types.get(name).map(|def| &def.kind) else { return false };
        wanted.iter().all(|want| {
            fields.iter().any(|field| {
                field.wire_name == want.wire
                    && field.rust_name == want.rust
                    && want.ty.as_ref().is_none_or(|ty| *ty == field.ty)
                    && (!field.required || field.nullable) == want.optional
            })
        })
    };
    shapes.iter().all(|(name, wanted)| has_shape(name, wanted)) && !api.operations.is_empty()
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

/// `src/client/releases.rs` of a crate generated without accessors: a note
/// for whoever looks for them.
fn no_accessors() -> TokenStream {
    let doc = " Per-release accessors (`client.latest().<operation>(..)`) are not generated for this \
               crate: the generator's `client-accessors` setting is off. [`Client::send`](super::Client::send) \
               sends what any endpoint function builds.";
    quote! { #![doc = #doc] }
}

/// How many parts `src/client/releases.rs` is rendered in: with accessors,
/// the accessors and then one per release, so that a full API's file is
/// formatted on every core; without, the one note.
pub fn releases_part_count(api: &Api, accessors: bool) -> usize {
    if accessors {
        1 + api.releases.len()
    } else {
        1
    }
}

/// Part `part` of `src/client/releases.rs`: the module docs and the
/// accessors on `Client` (part 0), or one release's struct; without
/// accessors, the note that says so.
pub fn releases_part(api: &Api, part: usize, accessors: bool) -> TokenStream {
    if !accessors {
        return no_accessors();
    }
    if let Some(release) = part.checked_sub(1).and_then(|index| api.releases.get(index)) {
        return release_struct(api, *release);
    }
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
    // Only the accessors live in this module: no schema name can shadow
    // `Future` or `Result` here.
    quote! {
        #![doc = #doc]
        use ::std::future::Future;
        impl super::Client {
            #(#accessors)*
            #latest
        }
    }
}

fn release_struct(api: &Api, release: ApiDate) -> TokenStream {
    let ty = accessor_struct(release);
    let module_name = release.module_name();
    let module = format_ident!("{}", module_name);
    let doc = format!(
        " The operations of API release {release}, sent through a [`Client`](super::Client): \
         `client.{module_name}()`."
    );
    let methods = api.operations.iter().filter_map(|operation| {
        let version = operation.version_at(release)?;
        let name = format_ident!("{}", operation.rust_name);
        let signature =
            signature(operation, version, |query| path_type(path(false, ["crate", module_name.as_str(), query])));
        let parameters = signature.arguments.iter().map(|(ident, ty)| quote!(#ident: #ty));
        let arguments = signature.arguments.iter().map(|(ident, _)| ident);
        let success = &signature.success;

        let mut paragraphs = Vec::new();
        if let Some(summary) = &operation.summary {
            paragraphs.push(docs::markdown(&format!("{}.", summary.trim_end_matches('.'))));
        }
        paragraphs.push(format!(
            "`{} {}`, resource version {}: sends the request of [`{module}::{name}`](crate::{module}::{name}) \
             and decodes the answer, or the [`Error`](super::Error).",
            operation.method.as_str(),
            operation.path,
            version.date,
            module = module_name,
            name = operation.rust_name,
        ));
        let doc = docs::outer_verbatim(&paragraphs);

        // The method is deprecated like the function it calls; that call is not a use to warn about.
        // It builds the request when called and returns `send`'s future, which borrows only the
        // client, so the future may outlive the accessor and the arguments. An `async fn` would
        // add a state machine per operation and release: checking the crate of a full API took
        // 30% more memory with them.
        let deprecated = deprecation(operation, version);
        let allow = is_deprecated(operation, version).then(|| quote!(#[allow(deprecated)]));
        Some(quote! {
            #doc
            #deprecated
            #allow
            pub fn #name(&self, #(#parameters),*) -> impl Future<Output = Result<#success, super::Error>> + 'a {
                self.client.send(crate::#module::#name(#(#arguments),*))
            }
        })
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a super::Client,
        }
        impl<'a> #ty<'a> {
            #(#methods)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeRef;

    fn invitations() -> Api {
        let text = include_str!("../../../spec/atlas-invitations.yaml");
        let source = crate::SpecSource { name: "atlas-invitations.yaml".into(), text: text.into() };
        crate::build_ir(&crate::Config::default(), &source).expect("the project's spec lowers")
    }

    #[test]
    fn an_operation_with_its_own_error_type_still_gets_client_methods() {
        let mut api = invitations();
        assert!(supported(&api));
        // As three operations of the full 2025 API do: errors documented by several schemas.
        let operation = &mut api.operations[0];
        operation.error_type = Some(TypeRef::Any);
        let name = operation.rust_name.clone();
        assert!(supported(&api), "one operation's error type decides nothing");
        let newest = releases_part(&api, releases_part_count(&api, true) - 1, true).to_string();
        assert!(newest.contains(&format!("pub fn {name} (")), "{name} has no method: {newest}");
    }

    fn error_fields<'a>(api: &'a mut Api, name: &str) -> &'a mut Vec<crate::ir::Field> {
        match api.types.get_mut(name).map(|def| &mut def.kind) {
            Some(TypeKind::Struct(fields)) => fields,
            _ => panic!("the spec's {name} is a struct"),
        }
    }

    #[test]
    fn the_client_needs_the_error_schema_as_its_runtime_reads_it() {
        let mut api = invitations();
        api.types.remove(ERROR_TYPE);
        assert!(!supported(&api), "no ApiError");

        let mut api = invitations();
        error_fields(&mut api, ERROR_TYPE).retain(|field| field.wire_name != "errorCode");
        assert!(!supported(&api), "the runtime reads errorCode");

        let mut api = invitations();
        error_fields(&mut api, ERROR_TYPE)
            .iter_mut()
            .filter(|f| f.wire_name == "errorCode")
            .for_each(|f| f.required = false);
        assert!(!supported(&api), "the runtime reads errorCode as a String, not an Option");

        let mut api = invitations();
        error_fields(&mut api, "FieldViolation")
            .iter_mut()
            .filter(|f| f.wire_name == "field")
            .for_each(|f| f.ty = TypeRef::Any);
        assert!(!supported(&api), "the runtime prints a violation's field as text");
    }

    #[test]
    fn parameters_of_any_item_type_are_read() {
        // The 2026 upstream spec types them as any values, the 2025 one as objects.
        let mut api = invitations();
        for field in error_fields(&mut api, ERROR_TYPE).iter_mut().filter(|f| f.wire_name == "parameters") {
            field.ty = TypeRef::Array(Box::new(TypeRef::Any));
        }
        assert!(supported(&api));
    }
}
