//! `src/operations/`: one file per operation holding one endpoint function per
//! resource version. Release modules re-export these, so releases that
//! resolve an operation to the same resource version share one function.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::types::{rust_type, Scope};
use crate::ir::{Api, Operation, Parameter, ParameterLocation, ResourceVersion, TypeRef};

pub fn operations_mod(api: &Api) -> TokenStream {
    let modules = api.operations.iter().map(|operation| {
        let ident = format_ident!("{}", operation.rust_name);
        let doc = format!("`{}`: `{} {}`.", operation.operation_id, operation.method.as_str(), operation.path);
        quote! { #[doc = #doc] pub mod #ident; }
    });
    let doc =
        docs::inner(["Every resource version of every operation. The release modules choose one per operation; \
         use these directly only to pin a resource version regardless of release."]);
    quote! {
        #doc
        #(#modules)*
    }
}

/// The name of the endpoint function of `operation` at `version`.
pub fn function_name(operation: &Operation, version: &ResourceVersion) -> String {
    // A keyword's trailing `_` (`type_`) would double up before the date.
    let suffix = crate::naming::version_suffix(&version.date.to_string());
    format!("{}_{suffix}", operation.rust_name.trim_end_matches('_'))
}

/// The name of the optional-query-parameters struct, when the operation has any.
pub fn query_struct_name(operation: &Operation) -> Option<String> {
    optional_query(operation).next().map(|_| crate::naming::query_struct_name(&operation.rust_name))
}

fn optional_query(operation: &Operation) -> impl Iterator<Item = &Parameter> {
    operation.parameters.iter().filter(|p| p.location != ParameterLocation::Path && !p.required)
}

pub fn operation_file(operation: &Operation) -> TokenStream {
    let summary = operation.summary.clone().unwrap_or_else(|| operation.operation_id.clone());
    let route = format!("`{} {}` (`{}`).", operation.method.as_str(), operation.path, operation.operation_id);
    let doc = docs::inner([summary.as_str(), route.as_str()]);
    let query = query_struct(operation);
    let functions = operation.versions.iter().map(|version| endpoint_function(operation, version));
    quote! {
        #doc
        #query
        #(#functions)*
    }
}

fn query_struct(operation: &Operation) -> TokenStream {
    let Some(name) = query_struct_name(operation) else { return quote!() };
    let ident = format_ident!("{}", name);
    let fields = optional_query(operation).map(|parameter| {
        let field = format_ident!("{}", parameter.rust_name);
        let ty = rust_type(&parameter.ty, Scope::Crate);
        let fallback = format!("The `{}` query parameter.", parameter.wire_name);
        let doc = docs::outer([parameter.description.as_deref().unwrap_or(&fallback)]);
        quote! { #doc pub #field: ::std::option::Option<#ty> }
    });
    let kinds = if optional_query(operation).any(|p| p.location == ParameterLocation::Header) {
        "query and header parameters"
    } else {
        "query parameters"
    };
    let doc = format!(" Optional {kinds} of `{}`; `Default` leaves them all out.", operation.operation_id);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #ident {
            #(#fields,)*
        }
    }
}

fn endpoint_function(operation: &Operation, version: &ResourceVersion) -> TokenStream {
    let name = format_ident!("{}", function_name(operation, version));
    let media_type = &version.media_type;
    let method = format_ident!("{}", operation.method.as_str());

    let signature = signature(operation, version, |query| quote!(#query));
    let arguments = signature.arguments.iter().map(|(ident, ty)| quote!(#ident: #ty));
    let path_parameters = path_parameters(operation);
    let path_steps = path_steps(&operation.path, &path_parameters);
    let query_parameters = || operation.parameters.iter().filter(|p| p.location == ParameterLocation::Query);
    let query_steps = query_parameters()
        .filter(|p| !matches!(p.ty, TypeRef::Array(_)))
        .map(|p| value_step(p, format_ident!("query")));
    let header_steps = operation
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Header)
        .map(|p| value_step(p, format_ident!("header")));
    // An array goes out as the parameter repeated, once per value (OpenAPI's
    // default `style: form`, `explode: true`).
    let array_steps = query_parameters().filter_map(|parameter| {
        let TypeRef::Array(items) = &parameter.ty else { return None };
        let wire = &parameter.wire_name;
        let ident = format_ident!("{}", parameter.rust_name);
        let value = if **items == TypeRef::DateTime { timestamp(quote!(value)) } else { quote!(value) };
        let values = if parameter.required { quote!(#ident.iter()) } else { quote!(query.#ident.iter().flatten()) };
        Some(quote! {
            let builder = #values.fold(builder, |builder, value| builder.query(#wire, ::std::option::Option::Some(#value)));
        })
    });
    let envelope = operation
        .parameters
        .iter()
        .any(|p| {
            p.location == ParameterLocation::Query
                && !p.required
                && p.wire_name == "envelope"
                && p.ty == TypeRef::Boolean
        })
        .then(|| quote!(.envelope(query.envelope)));
    let body_step = match &version.request {
        Some(request) if request.required => quote!(let builder = builder.json_body(body)?;),
        Some(_) => quote! {
            let builder = match body {
                ::std::option::Option::Some(body) => builder.json_body(body)?,
                ::std::option::Option::None => builder,
            };
        },
        None => quote!(),
    };

    let success = proc_macro2::Literal::u16_unsuffixed(version.response.status);
    let success_body = match (&version.response.ty, version.response.raw, version.response.empty_allowed) {
        (_, true, _) => quote!(crate::runtime::SuccessBody::Raw),
        (Some(_), false, true) => quote!(crate::runtime::SuccessBody::JsonOrEmpty),
        (Some(_), false, false) => quote!(crate::runtime::SuccessBody::Json),
        (None, false, _) => quote!(crate::runtime::SuccessBody::Empty),
    };
    let (success_type, error_type) = (&signature.success, &signature.error);

    let doc = function_docs(operation, version);
    let deprecated = deprecation(operation, version);
    quote! {
        #doc
        #deprecated
        pub fn #name(#(#arguments),*) -> ::std::result::Result<crate::Endpoint<#success_type, #error_type>, crate::RequestError> {
            let builder = crate::runtime::RequestBuilder::new(::http::Method::#method, #media_type)
                #(#path_steps)*
                #(#query_steps)*
                #(#header_steps)*
                #envelope;
            #(#array_steps)*
            #body_step
            builder.build(#success, #success_body)
        }
    }
}

/// `.query(..)` or `.header(..)` for one scalar parameter: a required one is
/// an argument, an optional one a field of the options struct; timestamps go
/// out as RFC 3339.
fn value_step(parameter: &Parameter, step: proc_macro2::Ident) -> TokenStream {
    let wire = &parameter.wire_name;
    let ident = format_ident!("{}", parameter.rust_name);
    match (parameter.required, &parameter.ty) {
        (true, TypeRef::DateTime) => {
            let value = timestamp(quote!(#ident));
            quote!(.#step(#wire, ::std::option::Option::Some(#value)))
        }
        (true, _) => quote!(.#step(#wire, ::std::option::Option::Some(#ident))),
        (false, TypeRef::DateTime) => {
            let value = timestamp(quote!(value));
            quote!(.#step(#wire, query.#ident.as_ref().map(|value| #value)))
        }
        (false, _) => quote!(.#step(#wire, query.#ident.as_ref())),
    }
}

/// What an endpoint function takes and returns.
pub struct Signature {
    /// Arguments in order: path parameters in template order, required query
    /// parameters, the body, then the optional query parameters.
    pub arguments: Vec<(proc_macro2::Ident, TokenStream)>,
    /// The success type (`()` without a body).
    pub success: TokenStream,
    /// The error body type.
    pub error: TokenStream,
}

/// The signature of the endpoint function of `operation` at `version`;
/// `query_type` spells the optional-query struct from where it is used.
pub fn signature(
    operation: &Operation,
    version: &ResourceVersion,
    query_type: impl Fn(&proc_macro2::Ident) -> TokenStream,
) -> Signature {
    let mut arguments = Vec::new();
    for parameter in path_parameters(operation) {
        let ident = format_ident!("{}", parameter.rust_name);
        let ty = match &parameter.id_type {
            Some(id) => {
                let id = format_ident!("{}", id);
                quote!(&crate::ids::#id)
            }
            None => borrowed_type(&parameter.ty),
        };
        arguments.push((ident, ty));
    }
    for parameter in operation.parameters.iter().filter(|p| p.location != ParameterLocation::Path && p.required) {
        arguments.push((format_ident!("{}", parameter.rust_name), borrowed_type(&parameter.ty)));
    }
    if let Some(request) = &version.request {
        let ty = borrowed_type(&request.ty);
        let ty = if request.required { ty } else { quote!(::std::option::Option<#ty>) };
        arguments.push((format_ident!("body"), ty));
    }
    if let Some(query_struct) = query_struct_name(operation) {
        let ty = query_type(&format_ident!("{}", query_struct));
        arguments.push((format_ident!("query"), quote!(&#ty)));
    }
    let success = match (&version.response.ty, version.response.raw) {
        (_, true) => quote!(crate::RawBody),
        (Some(ty), false) if version.response.empty_allowed => {
            let ty = rust_type(ty, Scope::Crate);
            quote!(::std::option::Option<#ty>)
        }
        (Some(ty), false) => rust_type(ty, Scope::Crate),
        (None, false) => quote!(()),
    };
    let error = match &operation.error_type {
        Some(ty) => rust_type(ty, Scope::Crate),
        None => quote!(::serde_json::Value),
    };
    Signature { arguments, success, error }
}

/// Path parameters in the order they appear in the path template.
fn path_parameters(operation: &Operation) -> Vec<&Parameter> {
    let mut parameters: Vec<&Parameter> =
        operation.parameters.iter().filter(|p| p.location == ParameterLocation::Path).collect();
    parameters.sort_by_key(|p| operation.path.find(&format!("{{{}}}", p.wire_name)));
    parameters
}

/// How a caller hands in a value: borrowed for strings, slices and structs,
/// by value for numbers and booleans.
fn borrowed_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Boolean | TypeRef::Integer(_) | TypeRef::Number => rust_type(ty, Scope::Crate),
        TypeRef::Array(items) => {
            let items = rust_type(items, Scope::Crate);
            quote!(&[#items])
        }
        other => {
            let ty = rust_type(other, Scope::Crate);
            quote!(&#ty)
        }
    }
}

/// A timestamp as it goes into a URL: RFC 3339 in UTC, as in JSON bodies.
fn timestamp(value: TokenStream) -> TokenStream {
    quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true))
}

/// `.literal(..)` and `.segment(..)` calls that rebuild the path template.
fn path_steps(template: &str, parameters: &[&Parameter]) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let literal = &rest[..open];
        if !literal.is_empty() {
            steps.push(quote!(.literal(#literal)));
        }
        let wire = &rest[open + 1..close];
        if let Some(parameter) = parameters.iter().find(|p| p.wire_name == wire) {
            let ident = format_ident!("{}", parameter.rust_name);
            let value = match (&parameter.id_type, &parameter.ty) {
                (Some(_), _) => quote!(#ident.as_str()),
                (None, TypeRef::String) => quote!(#ident),
                (None, TypeRef::DateTime) => {
                    let value = timestamp(quote!(#ident));
                    quote!(&#value)
                }
                (None, _) => quote!(&#ident.to_string()),
            };
            steps.push(quote!(.segment(#value)));
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        steps.push(quote!(.literal(#rest)));
    }
    steps
}

fn function_docs(operation: &Operation, version: &ResourceVersion) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(summary) = &operation.summary {
        paragraphs.push(format!("{}.", summary.trim_end_matches('.')));
    }
    if let Some(description) = &operation.description {
        paragraphs.push(description.clone());
    }
    paragraphs.push(format!(
        "`{} {}`, resource version {}: sends `Accept: {}`{}.",
        operation.method.as_str(),
        operation.path,
        version.date,
        version.media_type,
        if version.request.is_some() { " and a JSON body with the same `Content-Type`" } else { "" }
    ));
    let response = &version.response;
    let success = match (&response.ty, response.raw) {
        (_, true) => format!("On {} the body (`{}`) is returned as received.", response.status, version.media_type),
        (Some(_), false) if response.empty_allowed => {
            format!(
                "On {} the response decodes to the success type; a success without a body is `None`.",
                response.status
            )
        }
        (Some(_), false) => format!("On {} the response decodes to the success type.", response.status),
        (None, false) => format!("On {} there is no body; success is `()`.", response.status),
    };
    paragraphs.push(success);
    if !operation.errors.is_empty() {
        let statuses: Vec<String> = operation.errors.iter().map(|(status, _)| status.to_string()).collect();
        paragraphs.push(format!(
            "Documented error statuses: {}; they come back from `parse_response` as `ResponseError::Api` with the decoded body.",
            statuses.join(", ")
        ));
    }
    paragraphs.push(
        "# Errors\n\n[`RequestError`](crate::RequestError) when the request cannot be built \
         (the body cannot be encoded as JSON)."
            .to_owned(),
    );
    // Spec prose comes first and needs escaping; the paragraphs after it are ours.
    let spec_paragraphs = usize::from(operation.summary.is_some()) + usize::from(operation.description.is_some());
    let paragraphs: Vec<String> = paragraphs
        .iter()
        .enumerate()
        .map(|(index, paragraph)| if index < spec_paragraphs { docs::markdown(paragraph) } else { paragraph.clone() })
        .collect();
    docs::outer_verbatim(&paragraphs)
}

/// Whether the API deprecates `operation` at `version`: the operation says
/// so, or the version has a sunset date.
pub fn is_deprecated(operation: &Operation, version: &ResourceVersion) -> bool {
    operation.deprecated || version.sunset.or(operation.sunset).is_some()
}

/// `#[deprecated]` with the sunset date, when the API deprecates `operation` at `version`.
pub fn deprecation(operation: &Operation, version: &ResourceVersion) -> TokenStream {
    if !is_deprecated(operation, version) {
        return quote!();
    }
    let sunset = version.sunset.or(operation.sunset);
    let note = match sunset {
        Some(date) => format!("deprecated by the Atlas Admin API; this resource version is removed on {date}"),
        None => "deprecated by the Atlas Admin API".to_owned(),
    };
    quote!(#[deprecated(note = #note)])
}
