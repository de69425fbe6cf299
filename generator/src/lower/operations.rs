//! Path items → operations: parameters, id types, and the shape endpoint
//! functions take (argument order, path segments, query struct).

use super::node::Node;
use super::refs::Section;
use super::responses::Responses;
use super::schema::Ty;
use super::Lowering;
use crate::ir::*;
use crate::naming;

/// The HTTP methods a path item can hold, in the order OpenAPI lists them.
const METHODS: [(&str, Method); 8] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

/// A patterned path parameter that needs a validated id type.
struct IdRequest {
    name: String,
    pattern: String,
    description: Option<String>,
    pointer: String,
    /// The operation's type-name stem, for an id type of the same name
    /// with another pattern (`CreatePrivateEndpointEndpointId`).
    operation_hint: String,
}

impl<'a> Lowering<'a> {
    pub(super) fn operations(&mut self, api: &mut Api<Target>, paths: &Node<'a>) {
        for (path, item) in paths.entries() {
            self.path_item(api, path, &item);
        }
    }

    /// The operations of one path item.
    fn path_item(&mut self, api: &mut Api<Target>, path: &str, item: &Node<'a>) {
        if path.starts_with("x-") {
            return;
        }
        if !path.starts_with('/') {
            return self.error(&item.pointer, format!("the path `{path}` must start with `/`"));
        }
        if !self.expect_object(item, "a path item") {
            return;
        }
        if let Some(reference) = item.str("$ref") {
            return self.error(&item.pointer, format!("path item `$ref: {reference}` is not supported"));
        }
        let path_parameters = self.array_member(item, "parameters");
        for (method_name, method) in METHODS {
            let Some(operation) = item.get(method_name) else { continue };
            if self.expect_object(&operation, "an operation") {
                self.operation(api, path, &path_parameters, method, &operation);
            }
        }
    }

    fn operation(
        &mut self,
        api: &mut Api<Target>,
        path: &str,
        path_parameters: &[Node<'a>],
        method: Method,
        node: &Node<'a>,
    ) {
        let operation_id = match self.string_member(node, "operationId") {
            Some(id) if !id.trim().is_empty() => id.to_owned(),
            _ => naming::derived_operation_id(method.as_str(), path),
        };
        let type_hint = naming::type_name(&operation_id);
        let summary = self.string_member(node, "summary").map(str::to_owned);
        let description = self.string_member(node, "description").map(str::to_owned);
        let deprecated = self.bool_member(node, "deprecated");
        let sunset = self.sunset(node);

        // Everything is lowered even when an earlier part failed, so that
        // one run reports every problem of the operation.
        let (mut parameters, ids) = self.parameters(api, path, path_parameters, node, &type_hint);
        let responses = self.responses(node, &type_hint);
        let bodies = self.request_bodies(node, &type_hint);
        let (Some(responses), Some(bodies)) = (responses, bodies) else { return };
        for request in ids {
            let Some((wire_name, id_type)) = self.id_type(api, request) else { continue };
            for parameter in parameters.iter_mut().filter(|p| p.location == ParameterLocation::Path) {
                if parameter.wire_name == wire_name {
                    parameter.id_type = Some(id_type.clone());
                }
            }
        }
        let path_segments = path_segments(path, &parameters);
        // Atlas wraps the answer in `{status, content}` when asked with
        // `envelope=true`; the parser then unwraps it.
        let envelope = parameters.iter().any(|p| {
            p.location == ParameterLocation::Query && !p.required && p.wire_name == "envelope" && p.ty == Type::Boolean
        });

        // JSON is the operation itself; each other format (`+csv`, `+gzip`)
        // is one more operation named after it, e.g. `get_invoice_as_csv`.
        let Responses { json, raw, errors, error_type } = responses;
        let mut formats: Vec<(String, Vec<ResourceVersion<Target>>)> = Vec::new();
        if !json.is_empty() {
            formats.push((naming::field_name(&operation_id), json));
        }
        for (suffix, versions) in raw {
            let name = if formats.is_empty() {
                naming::field_name(&operation_id)
            } else {
                naming::format_function(&operation_id, &suffix)
            };
            formats.push((name, versions));
        }
        for (rust_name, versions) in formats {
            let versions = self
                .attach_request_bodies(versions, bodies.clone())
                .into_iter()
                .map(|version| ResourceVersion {
                    function: naming::endpoint_function(&rust_name, version.date),
                    deprecation: (deprecated || version.deprecation.is_some() || sunset.is_some())
                        .then(|| Deprecation { sunset: version.deprecation.and_then(|d| d.sunset).or(sunset) }),
                    ..version
                })
                .collect();
            let query_struct =
                parameters.iter().any(Parameter::is_optional).then(|| naming::query_struct_name(&rust_name));
            api.operations.push(Operation {
                operation_id: operation_id.clone(),
                rust_name,
                pointer: node.pointer.clone(),
                method,
                path: path.to_owned(),
                path_segments: path_segments.clone(),
                summary: summary.clone(),
                description: description.clone(),
                deprecated,
                parameters: parameters.clone(),
                query_struct,
                envelope,
                versions,
                error_type: error_type.clone(),
                errors: errors.clone(),
            });
        }
    }

    /// `x-sunset` of an operation or a media type.
    pub(super) fn sunset(&mut self, node: &Node<'a>) -> Option<ApiDate> {
        let value = node.get("x-sunset")?;
        let date = value.value.as_str().and_then(ApiDate::parse);
        if date.is_none() {
            self.error(&value.pointer, format!("`x-sunset` must be a date `YYYY-MM-DD`, found {}", value.value));
        }
        date
    }

    /// The operation's parameters (path parameters first, as the template
    /// has them), and the id types its patterned path parameters need.
    fn parameters(
        &mut self,
        api: &Api<Target>,
        path: &str,
        path_level: &[Node<'a>],
        operation: &Node<'a>,
        operation_hint: &str,
    ) -> (Vec<Parameter<Target>>, Vec<IdRequest>) {
        // Operation-level parameters override path-level ones with the same name and place.
        let operation_level = self.array_member(operation, "parameters");
        let mut resolved: Vec<(String, Node<'a>, &'a str, &'a str)> = Vec::new();
        for parameter in path_level.iter().chain(&operation_level) {
            let Some(found) = self.follow(Section::Parameters, parameter) else { continue };
            let name = self.string_member(&found, "name");
            let location = self.string_member(&found, "in");
            let (Some(name), Some(location)) = (name, location) else {
                for key in ["name", "in"] {
                    if !found.has(key) {
                        self.error(&found.pointer, format!("the parameter has no `{key}`"));
                    }
                }
                continue;
            };
            resolved.retain(|(_, _, n, l)| (*n, *l) != (name, location));
            resolved.push((parameter.pointer.clone(), found, name, location));
        }

        let template_names = path_template_names(path);
        let mut parameters = Vec::new();
        let mut ids = Vec::new();
        // Path parameters declared (even if refused below): reported once,
        // not again as missing from the declarations.
        let declared: Vec<&str> = resolved.iter().filter(|(_, _, _, l)| *l == "path").map(|(_, _, n, _)| *n).collect();
        for (pointer, node, name, location) in resolved {
            let location = match location {
                "path" => ParameterLocation::Path,
                "query" => ParameterLocation::Query,
                "header" => ParameterLocation::Header,
                "cookie" => {
                    self.error(&pointer, format!("{location} parameters are not supported yet (`{name}`)"));
                    continue;
                }
                other => {
                    self.error(
                        &pointer,
                        format!("`in: {other}` is not a parameter location (path, query, header or cookie)"),
                    );
                    continue;
                }
            };
            if location == ParameterLocation::Path && !template_names.iter().any(|n| n == name) {
                self.error(&pointer, format!("path parameter `{name}` does not appear in the path `{path}`"));
                continue;
            }
            let required = self.bool_member(&node, "required") || location == ParameterLocation::Path;
            let description = self.string_member(&node, "description").map(str::to_owned);
            let Some(schema) = node.get("schema") else {
                let message = if node.has("content") {
                    format!("parameter `{name}` uses `content`; only `schema` is supported")
                } else {
                    format!("parameter `{name}` has no `schema`")
                };
                self.error(&pointer, message);
                continue;
            };
            // Inline types of parameters are named after the operation, and
            // enums after the parameter too, like properties' enums.
            let hint = naming::composed_type_name(&format!("{operation_hint}{}", naming::type_name(name)));
            let ty = match self.schema(&schema, &hint, Some(name)) {
                // A parameter's value is never `null` in a URL.
                Type::Nullable(inner) => *inner,
                other => other,
            };
            if !parameter_type_supported(api, location, &ty) {
                let place = match location {
                    ParameterLocation::Path => "path",
                    ParameterLocation::Query => "query",
                    ParameterLocation::Header => "header",
                };
                let allowed = if location == ParameterLocation::Query {
                    "a string, number, boolean, date-time or string enum, or an array of those"
                } else {
                    "a string, number, boolean, date-time or string enum"
                };
                self.error(&schema.pointer, format!("{place} parameter `{name}` must be {allowed}"));
                continue;
            }
            let pattern = self
                .resolve_schema(&schema)
                .filter(|s| s.str("type").is_none_or(|t| t == "string") && !s.has("enum"))
                .and_then(|s| s.str("pattern"));
            if let (ParameterLocation::Path, Some(pattern), Type::String) = (location, pattern, &ty) {
                ids.push(IdRequest {
                    name: name.to_owned(),
                    pattern: pattern.to_owned(),
                    description: description.clone(),
                    pointer: pointer.clone(),
                    operation_hint: operation_hint.to_owned(),
                });
            }
            parameters.push(Parameter {
                wire_name: name.to_owned(),
                rust_name: naming::parameter_name(name, required),
                pointer,
                location,
                required,
                ty,
                id_type: None,
                description,
            });
        }
        for name in &template_names {
            if !declared.contains(&name.as_str()) {
                self.error(
                    &operation.pointer,
                    format!("the path `{path}` has `{{{name}}}` but the operation declares no path parameter `{name}`"),
                );
            }
        }
        // Path parameters first, as in the template; the others as in the spec.
        parameters.sort_by_key(|p| match p.location {
            ParameterLocation::Path => (0, template_names.iter().position(|n| *n == p.wire_name)),
            _ => (1, None),
        });
        (parameters, ids)
    }

    /// The validated id type of a patterned path parameter, with the
    /// parameter's wire name. Parameters with the same name and pattern
    /// share one type; the same name with another pattern is another kind
    /// of id (Atlas reuses `endpointId` for several), named after the first
    /// operation that uses it, e.g. `CreatePrivateEndpointEndpointId`.
    fn id_type(&mut self, api: &mut Api<Target>, request: IdRequest) -> Option<(String, String)> {
        let IdRequest { name, pattern, description, pointer, operation_hint } = request;
        if let Some(shared) = api.ids.iter_mut().find(|id| id.wire_name == name && id.pattern == pattern) {
            shared.pointers.push(pointer);
            return Some((name, shared.name.clone()));
        }
        let plain = naming::type_name(&name);
        let type_name = match api.ids.iter().find(|id| id.name == plain) {
            Some(existing) if existing.wire_name == name => naming::type_name(&format!("{operation_hint}{plain}")),
            _ => plain,
        };
        let check = crate::pattern::compile(&pattern);
        if check.is_none() {
            // Checked with the `regex` crate in the generated code: it must parse there.
            if let Err(error) = regex_syntax::Parser::new().parse(&pattern) {
                self.error(
                    &format!("{pointer}/schema/pattern"),
                    format!("the pattern `{pattern}` of path parameter `{name}` is not a regular expression Rust's `regex` crate accepts: {error}"),
                );
                return None;
            }
        }
        api.ids.push(IdType {
            name: type_name.clone(),
            wire_name: name.clone(),
            pattern,
            check,
            description,
            pointers: vec![pointer],
        });
        Some((name, type_name))
    }
}

/// Whether the endpoint functions can put a value of `ty` in a path, a
/// query or a header.
fn parameter_type_supported(api: &Api<Target>, location: ParameterLocation, ty: &Ty) -> bool {
    fn scalar(api: &Api<Target>, ty: &Ty, depth: usize) -> bool {
        match ty {
            Type::String | Type::DateTime | Type::Boolean | Type::Integer(_) | Type::Number => true,
            Type::Named(Target::Inline(inline)) => matches!(inline.kind, TypeKind::Enum(_)),
            Type::Named(Target::Schema(name)) => {
                match api.types.iter().find(|def| def.name == *name).map(|d| &d.kind) {
                    Some(TypeKind::Enum(_)) => true,
                    Some(TypeKind::Alias(target)) if depth < 16 => scalar(api, target, depth + 1),
                    _ => false,
                }
            }
            _ => false,
        }
    }
    match (location, ty) {
        // Arrays repeat the query parameter; paths and headers take one value.
        (ParameterLocation::Query, Type::Array(items)) => scalar(api, items, 0),
        _ => scalar(api, ty, 0),
    }
}

/// `{name}` placeholders of a path template, in order.
fn path_template_names(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned())).collect()
}

/// The path template cut into literal text and the parameters it names.
fn path_segments<R>(template: &str, parameters: &[Parameter<R>]) -> Vec<PathSegment> {
    let mut segments = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        match parameters.iter().position(|p| p.location == ParameterLocation::Path && p.wire_name == name) {
            Some(index) => segments.push(PathSegment::Parameter(index)),
            // Reported as undeclared; kept as text so nothing is dropped.
            None => segments.push(PathSegment::Literal(rest[open..=close].to_owned())),
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    segments
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::load::{load, SpecSource};

    /// Id types are named first come, first served, in path order: the
    /// first pattern a parameter name comes with takes the plain name, the
    /// first other pattern is named after its operation, the rest share.
    #[test]
    fn id_types_are_named_in_path_order() {
        let paths: serde_json::Map<String, serde_json::Value> = (0..6)
            .map(|index| {
                let pattern = if index % 2 == 0 { "^[a-f0-9]{24}$" } else { "^[0-9]+$" };
                let operation = serde_json::json!({
                    "operationId": format!("getThing{index}"),
                    "parameters": [{
                        "name": "thingId", "in": "path", "required": true,
                        "schema": { "type": "string", "pattern": pattern }
                    }],
                    "responses": { "200": { "description": "the thing", "content": {
                        "application/vnd.atlas.2023-01-01+json": { "schema": { "type": "object" } }
                    } } }
                });
                (format!("/things{index}/{{thingId}}"), serde_json::json!({ "get": operation }))
            })
            .collect();
        let document =
            serde_json::json!({ "openapi": "3.0.3", "info": { "title": "ids", "version": "1" }, "paths": paths });
        let source = SpecSource { name: "ids.json".into(), text: document.to_string() };
        let (api, problems) = super::super::lower(&load(&source).expect("loads"));
        assert!(problems.is_empty(), "{problems}");
        let ids: BTreeMap<&str, Option<&str>> = api
            .operations
            .iter()
            .map(|operation| (operation.rust_name.as_str(), operation.parameters[0].id_type.as_deref()))
            .collect();
        for (index, (operation, id)) in ids.into_iter().enumerate() {
            let expected = if index % 2 == 0 { "ThingId" } else { "GetThing1ThingId" };
            assert_eq!(id, Some(expected), "{operation}");
        }
        let names: Vec<&str> = api.ids.iter().map(|id| id.name.as_str()).collect();
        assert_eq!(names, ["ThingId", "GetThing1ThingId"]);
        assert_eq!(api.ids[0].pointers.len(), 3);
    }
}
