//! `src/operations/`: one file per operation holding one endpoint function per
//! resource version. Release modules re-export these, so releases that
//! resolve an operation to the same resource version share one function.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, Item, Type};

use super::docs;
use super::syntax::{
    binding, bool_expr, call, doc_line, field, generic_type, ident, let_statement, list_attribute, literal_expr,
    method_call, path, path_expr, path_type, public, public_field, public_struct, reference, reference_type,
    slice_type, str_expr,
};
use super::types::{option_of, syn_type, Scope};
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
pub fn query_struct_name(operation: &Operation) -> Option<&str> {
    operation.query_struct.as_deref()
}

fn optional_query(operation: &Operation) -> impl Iterator<Item = &Parameter> {
    operation.parameters.iter().filter(|p| p.is_optional())
}

/// The file of one operation: its query struct, if any, and an endpoint
/// function per resource version, built as `syn` items (a full spec has
/// hundreds of these files; see [`super::syntax`]).
pub fn operation_file(operation: &Operation) -> syn::Result<syn::File> {
    let summary = operation.summary.clone().unwrap_or_else(|| operation.operation_id.clone());
    let route = format!("`{} {}` (`{}`).", operation.method.as_str(), operation.path, operation.operation_id);
    let attrs = docs::inner_attributes([summary.as_str(), route.as_str()]).into_iter().collect();
    let mut items: Vec<Item> = query_struct(operation).into_iter().collect();
    for version in &operation.versions {
        items.push(endpoint_function(operation, version)?);
    }
    Ok(syn::File { shebang: None, attrs, items })
}

fn query_struct(operation: &Operation) -> Option<Item> {
    let name = query_struct_name(operation)?;
    let fields = optional_query(operation).map(|parameter| {
        let fallback = format!("The `{}` query parameter.", parameter.wire_name);
        let doc = docs::outer_attributes([parameter.description.as_deref().unwrap_or(&fallback)]);
        public_field(doc.into_iter().collect(), &parameter.rust_name, option_of(syn_type(&parameter.ty, Scope::Crate)))
    });
    let kinds = if optional_query(operation).any(|p| p.location == ParameterLocation::Header) {
        "query and header parameters"
    } else {
        "query parameters"
    };
    let doc = format!(" Optional {kinds} of `{}`; `Default` leaves them all out.", operation.operation_id);
    let attrs = vec![doc_line(&doc), list_attribute("derive", quote!(Clone, Debug, Default, PartialEq))];
    Some(public_struct(attrs, name, fields))
}

fn endpoint_function(operation: &Operation, version: &ResourceVersion) -> syn::Result<Item> {
    let signature = signature(operation, version, |query| path_type(path(false, [query])));
    let path_parameters = path_parameters(operation);
    let query_parameters = || operation.parameters.iter().filter(|p| p.location == ParameterLocation::Query);

    // `let builder = RequestBuilder::new(..)` and a call per part of the path,
    // per scalar query parameter and per header.
    let method = path(true, ["http", "Method", operation.method.as_str()]);
    let mut builder = call(
        path(false, ["crate", "runtime", "RequestBuilder", "new"]),
        vec![Expr::Path(path_expr(method)), str_expr(&version.media_type)],
    );
    let steps = path_steps(&operation.path, &path_parameters)
        .into_iter()
        .chain(query_parameters().filter(|p| !matches!(p.ty, TypeRef::Array(_))).map(|p| value_step(p, "query")))
        .chain(
            operation
                .parameters
                .iter()
                .filter(|p| p.location == ParameterLocation::Header)
                .map(|p| value_step(p, "header")),
        );
    for (step, args) in steps {
        builder = method_call(builder, step, args);
    }
    let envelope = operation.parameters.iter().any(|p| {
        p.location == ParameterLocation::Query && !p.required && p.wire_name == "envelope" && p.ty == TypeRef::Boolean
    });
    if envelope {
        builder = method_call(builder, "envelope", vec![field(local("query"), "envelope")]);
    }
    let mut stmts = vec![let_statement("builder", builder)];

    // An array goes out as the parameter repeated, once per value (OpenAPI's
    // default `style: form`, `explode: true`).
    for parameter in query_parameters() {
        let TypeRef::Array(items) = &parameter.ty else { continue };
        let wire = &parameter.wire_name;
        let ident = ident(&parameter.rust_name);
        let value = if **items == TypeRef::DateTime { timestamp(local("value")) } else { local("value") };
        let values = if parameter.required { quote!(#ident.iter()) } else { quote!(query.#ident.iter().flatten()) };
        stmts.push(syn::parse2(quote! {
            let builder = #values.fold(builder, |builder, value| builder.query(#wire, ::std::option::Option::Some(#value)));
        })?);
    }
    match &version.request {
        Some(request) if request.required => {
            let encoded = method_call(local("builder"), "json_body", vec![local("body")]);
            stmts.push(let_statement(
                "builder",
                Expr::Try(syn::ExprTry {
                    attrs: Vec::new(),
                    expr: Box::new(encoded),
                    question_token: Default::default(),
                }),
            ));
        }
        Some(_) => stmts.push(syn::parse2(quote! {
            let builder = match body {
                ::std::option::Option::Some(body) => builder.json_body(body)?,
                ::std::option::Option::None => builder,
            };
        })?),
        None => {}
    }
    let success_body = match (&version.response.ty, version.response.raw, version.response.empty_allowed) {
        (_, true, _) => "Raw",
        (Some(_), false, true) => "JsonOrEmpty",
        (Some(_), false, false) => "Json",
        (None, false, _) => "Empty",
    };
    let build = method_call(
        local("builder"),
        "build",
        vec![
            literal_expr(proc_macro2::Literal::u16_unsuffixed(version.response.status)),
            Expr::Path(path_expr(path(false, ["crate", "runtime", "SuccessBody", success_body]))),
        ],
    );
    stmts.push(syn::Stmt::Expr(build, None));

    let mut attrs: Vec<syn::Attribute> = function_docs(operation, version).into_iter().collect();
    attrs.extend(deprecation_attribute(operation, version));
    let endpoint = generic_type(false, ["crate", "Endpoint"], vec![signature.success, signature.error]);
    let result = generic_type(
        true,
        ["std", "result", "Result"],
        vec![endpoint, path_type(path(false, ["crate", "RequestError"]))],
    );
    Ok(Item::Fn(syn::ItemFn {
        attrs,
        vis: public(),
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: Default::default(),
            ident: ident(&function_name(operation, version)),
            generics: Default::default(),
            paren_token: Default::default(),
            inputs: signature
                .arguments
                .into_iter()
                .map(|(name, ty)| {
                    syn::FnArg::Typed(syn::PatType {
                        attrs: Vec::new(),
                        pat: Box::new(binding(&name.to_string())),
                        colon_token: Default::default(),
                        ty: Box::new(ty),
                    })
                })
                .collect(),
            variadic: None,
            output: syn::ReturnType::Type(Default::default(), Box::new(result)),
        },
        block: Box::new(syn::Block { brace_token: Default::default(), stmts }),
    }))
}

/// A local variable or argument as an expression.
fn local(name: &str) -> Expr {
    Expr::Path(path_expr(path(false, [name])))
}

/// `::std::option::Option::Some(value)`.
fn some(value: Expr) -> Expr {
    call(path(true, ["std", "option", "Option", "Some"]), vec![value])
}

/// `.query(..)` or `.header(..)` for one scalar parameter: a required one is
/// an argument, an optional one a field of the options struct; timestamps go
/// out as RFC 3339.
fn value_step(parameter: &Parameter, step: &'static str) -> (&'static str, Vec<Expr>) {
    let wire = str_expr(&parameter.wire_name);
    let value = match (parameter.required, &parameter.ty) {
        (true, TypeRef::DateTime) => some(timestamp(local(&parameter.rust_name))),
        (true, _) => some(local(&parameter.rust_name)),
        (false, TypeRef::DateTime) => {
            // `query.x.as_ref().map(|value| value.to_rfc3339_opts(..))`
            let closure = Expr::Closure(syn::ExprClosure {
                attrs: Vec::new(),
                lifetimes: None,
                constness: None,
                movability: None,
                asyncness: None,
                capture: None,
                or1_token: Default::default(),
                inputs: std::iter::once(binding("value")).collect(),
                or2_token: Default::default(),
                output: syn::ReturnType::Default,
                body: Box::new(timestamp(local("value"))),
            });
            let optional = method_call(field(local("query"), &parameter.rust_name), "as_ref", Vec::new());
            method_call(optional, "map", vec![closure])
        }
        (false, _) => method_call(field(local("query"), &parameter.rust_name), "as_ref", Vec::new()),
    };
    (step, vec![wire, value])
}

/// What an endpoint function takes and returns.
pub struct Signature {
    /// Arguments in order: path parameters in template order, required query
    /// parameters, the body, then the optional query parameters.
    pub arguments: Vec<(proc_macro2::Ident, Type)>,
    /// The success type (`()` without a body).
    pub success: Type,
    /// The error body type.
    pub error: Type,
}

/// The signature of the endpoint function of `operation` at `version`;
/// `query_type` spells the optional-query struct from where it is used.
pub fn signature(operation: &Operation, version: &ResourceVersion, query_type: impl Fn(&str) -> Type) -> Signature {
    let mut arguments = Vec::new();
    for parameter in path_parameters(operation) {
        let ty = match &parameter.id_type {
            Some(id) => reference_type(path_type(path(false, ["crate", "ids", id.as_str()]))),
            None => borrowed_type(&parameter.ty),
        };
        arguments.push((ident(&parameter.rust_name), ty));
    }
    for parameter in operation.parameters.iter().filter(|p| p.location != ParameterLocation::Path && p.required) {
        arguments.push((ident(&parameter.rust_name), borrowed_type(&parameter.ty)));
    }
    if let Some(request) = &version.request {
        let ty = borrowed_type(&request.ty);
        let ty = if request.required { ty } else { option_of(ty) };
        arguments.push((ident("body"), ty));
    }
    if let Some(query_struct) = query_struct_name(operation) {
        arguments.push((ident("query"), reference_type(query_type(query_struct))));
    }
    let success = match (&version.response.ty, version.response.raw) {
        (_, true) => path_type(path(false, ["crate", "RawBody"])),
        (Some(ty), false) if version.response.empty_allowed => option_of(syn_type(ty, Scope::Crate)),
        (Some(ty), false) => syn_type(ty, Scope::Crate),
        (None, false) => Type::Tuple(syn::TypeTuple { paren_token: Default::default(), elems: Default::default() }),
    };
    let error = match &operation.error_type {
        Some(ty) => syn_type(ty, Scope::Crate),
        None => path_type(path(true, ["serde_json", "Value"])),
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
fn borrowed_type(ty: &TypeRef) -> Type {
    match ty {
        TypeRef::String => reference_type(path_type(path(false, ["str"]))),
        TypeRef::Boolean | TypeRef::Integer(_) | TypeRef::Number => syn_type(ty, Scope::Crate),
        TypeRef::Array(items) => reference_type(slice_type(syn_type(items, Scope::Crate))),
        other => reference_type(syn_type(other, Scope::Crate)),
    }
}

/// A timestamp as it goes into a URL: RFC 3339 in UTC, as in JSON bodies.
fn timestamp(value: Expr) -> Expr {
    let format = Expr::Path(path_expr(path(true, ["chrono", "SecondsFormat", "AutoSi"])));
    method_call(value, "to_rfc3339_opts", vec![format, bool_expr(true)])
}

/// `.literal(..)` and `.segment(..)` calls that rebuild the path template.
fn path_steps(template: &str, parameters: &[&Parameter]) -> Vec<(&'static str, Vec<Expr>)> {
    let mut steps = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let literal = &rest[..open];
        if !literal.is_empty() {
            steps.push(("literal", vec![str_expr(literal)]));
        }
        let wire = &rest[open + 1..close];
        if let Some(parameter) = parameters.iter().find(|p| p.wire_name == wire) {
            let argument = local(&parameter.rust_name);
            let value = match (&parameter.id_type, &parameter.ty) {
                (Some(_), _) => method_call(argument, "as_str", Vec::new()),
                (None, TypeRef::String) => argument,
                (None, TypeRef::DateTime) => reference(timestamp(argument)),
                (None, _) => reference(method_call(argument, "to_string", Vec::new())),
            };
            steps.push(("segment", vec![value]));
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        steps.push(("literal", vec![str_expr(rest)]));
    }
    steps
}

fn function_docs(operation: &Operation, version: &ResourceVersion) -> Option<syn::Attribute> {
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
    docs::outer_verbatim_attributes(&paragraphs)
}

/// Whether the API deprecates `operation` at `version`: the operation says
/// so, or the version has a sunset date.
pub fn is_deprecated(operation: &Operation, version: &ResourceVersion) -> bool {
    operation.deprecated || version.sunset.or(operation.sunset).is_some()
}

/// `#[deprecated]` with the sunset date, when the API deprecates `operation` at `version`.
pub fn deprecation(operation: &Operation, version: &ResourceVersion) -> TokenStream {
    let attribute = deprecation_attribute(operation, version);
    quote!(#attribute)
}

/// [`deprecation`] as a `syn` attribute.
fn deprecation_attribute(operation: &Operation, version: &ResourceVersion) -> Option<syn::Attribute> {
    if !is_deprecated(operation, version) {
        return None;
    }
    let sunset = version.sunset.or(operation.sunset);
    let note = match sunset {
        Some(date) => format!("deprecated by the Atlas Admin API; this resource version is removed on {date}"),
        None => "deprecated by the Atlas Admin API".to_owned(),
    };
    Some(list_attribute("deprecated", quote!(note = #note)))
}
