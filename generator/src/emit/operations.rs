//! `src/operations/`: one file per operation holding one endpoint function per
//! resource version. Release modules re-export these, so releases that
//! resolve an operation to the same resource version share one function.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::paths::Paths;
use super::types::Spelling;
use super::{builders, docs};
use crate::ir::{
    Api, Layout, Operation, Parameter, ParameterLocation, PathSegment, ResourceVersion, SuccessBody, Type,
};

pub fn operations_mod(api: &Api) -> TokenStream {
    let docs = docs::inner([
        "Every resource version of every operation. The release modules choose one per operation; use these \
         directly only to pin a resource version regardless of release.",
    ]);
    let modules = api.operations.iter().map(|operation| {
        let name = format_ident!("{}", operation.rust_name);
        let doc = format!("`{}`: `{} {}`.", operation.operation_id, operation.method.as_str(), operation.path);
        quote! {
            #[doc = #doc]
            pub mod #name;
        }
    });
    quote! {
        #docs
        #(#modules)*
    }
}

/// The file of one operation: its query struct, if any, and an endpoint
/// function per resource version.
pub fn operation_file(operation: &Operation, layout: Layout) -> TokenStream {
    let summary = operation.summary.as_deref().map_or_else(|| operation.operation_id.clone(), docs::markdown);
    let route = format!("`{} {}` (`{}`).", operation.method.as_str(), operation.path, operation.operation_id);
    let docs = docs::inner([summary, route]);
    let spelling = Spelling::outside_models(operation.query_struct.as_deref(), Paths::new(layout, 2));
    let query = query_struct(operation, &spelling);
    let functions = operation.versions.iter().map(|version| endpoint_function(operation, version, &spelling));
    quote! {
        #docs
        #query
        #(#functions)*
    }
}

fn query_struct(operation: &Operation, spelling: &Spelling) -> Option<TokenStream> {
    let name = format_ident!("{}", operation.query_struct.as_deref()?);
    let kinds = if operation.optional_parameters().any(|p| p.location == ParameterLocation::Header) {
        "query and header parameters"
    } else {
        "query parameters"
    };
    let doc = format!(
        " Optional {kinds} of `{}`: `Default` leaves them all out, a `with_` method sets one.",
        operation.operation_id
    );
    let fields = operation.optional_parameters().map(|parameter| {
        let description = parameter
            .description
            .as_deref()
            .map_or_else(|| format!("The `{}` query parameter.", parameter.wire_name), docs::markdown);
        let docs = docs::outer([description]);
        let name = format_ident!("{}", parameter.rust_name);
        let ty = spelling.option(spelling.ty(&parameter.ty));
        quote! {
            #docs
            pub #name: #ty,
        }
    });
    let builders = builders::query_builders(&name.to_string(), operation.optional_parameters(), spelling);
    Some(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #builders
    })
}

fn endpoint_function(operation: &Operation, version: &ResourceVersion, spelling: &Spelling) -> TokenStream {
    let docs = function_docs(operation, version, spelling.paths());
    let deprecated = deprecation(version);
    let name = format_ident!("{}", version.function);
    let Signature { arguments, success, error } = signature(operation, version, spelling, |query| quote!(#query));
    let parameters = arguments.iter().map(|(name, ty)| quote!(#name: #ty));
    let result = spelling.result();

    let operation_id = &operation.operation_id;
    let method = format_ident!("{}", operation.method.as_str());
    let media_type = &version.media_type;
    let paths = spelling.paths();
    let (root, runtime, http) = (paths.root(), paths.runtime(), paths.external("http"));
    let path = operation.path_segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(.literal(#text)),
        PathSegment::Parameter(index) => {
            let value = path_value(&operation.parameters[*index], spelling);
            quote!(.segment(#value))
        }
    });
    let values = |location: ParameterLocation| {
        operation
            .parameters
            .iter()
            .filter(move |p| p.location == location)
            .filter_map(|p| Some((&p.wire_name, single_value(p, spelling)?)))
    };
    let queries = values(ParameterLocation::Query).map(|(wire, value)| quote!(.query(#wire, #value)));
    let headers = values(ParameterLocation::Header).map(|(wire, value)| quote!(.header(#wire, #value)));
    let envelope = operation.envelope.then(|| quote!(.envelope(query.envelope)));
    // An array goes out as the parameter repeated, once per value (OpenAPI's
    // default `style: form`, `explode: true`).
    let arrays = operation.parameters.iter().filter_map(|p| {
        let Type::Array(items) = &p.ty else { return None };
        let (wire, name) = (&p.wire_name, format_ident!("{}", p.rust_name));
        let values = if p.required { quote!(#name.iter()) } else { quote!(query.#name.iter().flatten()) };
        let value = if **items == Type::DateTime { timestamp(quote!(value), spelling.paths()) } else { quote!(value) };
        let some = spelling.prelude("Some", quote!(::std::option::Option::Some));
        Some(quote! {
            let builder = #values.fold(builder, |builder, value| builder.query(#wire, #some(#value)));
        })
    });
    let body = version.request.as_ref().map(|request| {
        if request.required {
            quote!(let builder = builder.json_body(body)?;)
        } else {
            let (some, none) = (
                spelling.prelude("Some", quote!(::std::option::Option::Some)),
                spelling.prelude("None", quote!(::std::option::Option::None)),
            );
            quote! {
                let builder = match body {
                    #some(body) => builder.json_body(body)?,
                    #none => builder,
                };
            }
        }
    });
    let status = Literal::u16_unsuffixed(version.response.status);
    let kind = format_ident!(
        "{}",
        match version.response.body {
            SuccessBody::Empty => "Empty",
            SuccessBody::Json(_) => "Json",
            SuccessBody::JsonOrEmpty(_) => "JsonOrEmpty",
            SuccessBody::Raw => "Raw",
        }
    );
    quote! {
        #docs
        #deprecated
        pub fn #name(#(#parameters),*) -> #result<#root::Endpoint<#success, #error>, #root::RequestError> {
            let builder = #runtime::RequestBuilder::new(#operation_id, #http::Method::#method, #media_type)
                #(#path)*
                #(#queries)*
                #(#headers)*
                #envelope;
            #(#arrays)*
            #body
            builder.build(#status, #runtime::SuccessBody::#kind)
        }
    }
}

/// A path parameter's value as the `&str` of one segment.
fn path_value(parameter: &Parameter, spelling: &Spelling) -> TokenStream {
    let name = format_ident!("{}", parameter.rust_name);
    match (&parameter.id_type, &parameter.ty) {
        (Some(_), _) => quote!(#name.as_str()),
        (None, Type::String) => quote!(#name),
        (None, Type::DateTime) => {
            let value = timestamp(quote!(#name), spelling.paths());
            quote!(&#value)
        }
        (None, _) => quote!(&#name.to_string()),
    }
}

/// A scalar query or header parameter's value as an `Option`: a required
/// one is an argument, an optional one a field of the query struct;
/// timestamps go out as RFC 3339. `None` for arrays.
fn single_value(parameter: &Parameter, spelling: &Spelling) -> Option<TokenStream> {
    if matches!(parameter.ty, Type::Array(_)) {
        return None;
    }
    let name = format_ident!("{}", parameter.rust_name);
    let some = spelling.prelude("Some", quote!(::std::option::Option::Some));
    Some(match (parameter.required, &parameter.ty) {
        (true, Type::DateTime) => {
            let value = timestamp(quote!(#name), spelling.paths());
            quote!(#some(#value))
        }
        (true, _) => quote!(#some(#name)),
        (false, Type::DateTime) => {
            let value = timestamp(quote!(value), spelling.paths());
            quote!(query.#name.as_ref().map(|value| #value))
        }
        (false, _) => quote!(query.#name.as_ref()),
    })
}

/// A timestamp as it goes into a URL: RFC 3339 in UTC, as in JSON bodies.
fn timestamp(value: TokenStream, paths: &Paths) -> TokenStream {
    let chrono = paths.external("chrono");
    quote!(#value.to_rfc3339_opts(#chrono::SecondsFormat::AutoSi, true))
}

/// What an endpoint function takes and returns.
pub struct Signature {
    /// Arguments in order: path parameters in template order, the other
    /// required parameters, the body, then the optional query parameters.
    pub arguments: Vec<(Ident, TokenStream)>,
    /// The success type (`()` without a body).
    pub success: TokenStream,
    /// The error body type.
    pub error: TokenStream,
}

/// The signature of the endpoint function of `operation` at `version`;
/// `query_type` spells the query struct from where it is used.
pub fn signature(
    operation: &Operation,
    version: &ResourceVersion,
    spelling: &Spelling,
    query_type: impl Fn(Ident) -> TokenStream,
) -> Signature {
    let mut arguments = Vec::new();
    for parameter in operation.arguments() {
        let ty = match &parameter.id_type {
            Some(id) => {
                let id = format_ident!("{}", id);
                let root = spelling.paths().root();
                quote!(&#root::ids::#id)
            }
            None => borrowed(&parameter.ty, spelling),
        };
        arguments.push((format_ident!("{}", parameter.rust_name), ty));
    }
    if let Some(request) = &version.request {
        let ty = borrowed(&request.ty, spelling);
        arguments.push((format_ident!("body"), if request.required { ty } else { spelling.option(ty) }));
    }
    if let Some(query) = &operation.query_struct {
        let query = query_type(format_ident!("{}", query));
        arguments.push((format_ident!("query"), quote!(&#query)));
    }
    let success = match &version.response.body {
        SuccessBody::Empty => quote!(()),
        SuccessBody::Json(ty) => spelling.ty(ty),
        SuccessBody::JsonOrEmpty(ty) => spelling.option(spelling.ty(ty)),
        SuccessBody::Raw => {
            let root = spelling.paths().root();
            quote!(#root::RawBody)
        }
    };
    Signature { arguments, success, error: spelling.ty(&operation.error_type) }
}

/// How a caller hands in a value: borrowed for strings, slices and structs,
/// by value for numbers and booleans.
fn borrowed(ty: &Type, spelling: &Spelling) -> TokenStream {
    match ty {
        Type::String => quote!(&str),
        Type::Boolean | Type::Integer(_) | Type::Number => spelling.ty(ty),
        Type::Array(items) => {
            let items = spelling.ty(items);
            quote!(&[#items])
        }
        other => {
            let ty = spelling.ty(other);
            quote!(&#ty)
        }
    }
}

fn function_docs(operation: &Operation, version: &ResourceVersion, paths: &Paths) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(summary) = &operation.summary {
        paragraphs.push(docs::markdown(&format!("{}.", summary.trim_end_matches('.'))));
    }
    if let Some(description) = &operation.description {
        paragraphs.push(docs::markdown(description));
    }
    paragraphs.push(format!(
        "`{} {}`, resource version {}: sends `Accept: {}`{}.",
        operation.method.as_str(),
        operation.path,
        version.date,
        version.media_type,
        if version.request.is_some() { " and a JSON body with the same `Content-Type`" } else { "" }
    ));
    let status = version.response.status;
    paragraphs.push(match &version.response.body {
        SuccessBody::Raw => format!("On {status} the body (`{}`) is returned as received.", version.media_type),
        SuccessBody::JsonOrEmpty(_) => {
            format!("On {status} the response decodes to the success type; a success without a body is `None`.")
        }
        SuccessBody::Json(_) => format!("On {status} the response decodes to the success type."),
        SuccessBody::Empty => format!("On {status} there is no body; success is `()`."),
    });
    if !operation.errors.is_empty() {
        let statuses: Vec<String> = operation.errors.iter().map(|(status, _)| status.to_string()).collect();
        paragraphs.push(format!(
            "Documented error statuses: {}; they come back from `parse_response` as `ResponseError::Api` with the decoded body.",
            statuses.join(", ")
        ));
    }
    paragraphs.push(format!(
        "# Errors\n\n[`RequestError`]({}) when the request cannot be built (the body cannot be encoded as JSON).",
        paths.doc_link("RequestError")
    ));
    docs::outer(paragraphs)
}

/// `#[deprecated]` with the sunset date, when the API deprecates the
/// operation at this version.
pub fn deprecation(version: &ResourceVersion) -> Option<TokenStream> {
    let deprecation = version.deprecation?;
    let note = match deprecation.sunset {
        Some(date) => format!("deprecated by the Atlas Admin API; this resource version is removed on {date}"),
        None => "deprecated by the Atlas Admin API".to_owned(),
    };
    Some(quote!(#[deprecated(note = #note)]))
}
