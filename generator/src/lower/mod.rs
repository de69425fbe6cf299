//! Stage 2: lower the document into the IR.
//!
//! Lowering reads the parsed JSON document itself rather than a typed OpenAPI
//! model, so that one malformed part does not hide the others: every problem
//! is recorded with its JSON pointer and lowering carries on, and the caller
//! gets them all at once. Keywords are read on purpose, never skipped by
//! accident: a construct the generator does not support is reported where it
//! is, not dropped (a typed model that ignores `oneOf` next to `type: object`
//! would silently generate the wrong type).
//!
//! Objects are always visited in key order, so output and diagnostics do not
//! depend on how the spec orders its keys.

mod node;
mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming;
use node::{kind_of, Node};

/// Lowers a loaded spec. Inline types are left as `TypeRef::Inline` for the
/// hoisting pass; releases are left empty for the caller to fill.
pub fn lower(spec: &LoadedSpec) -> Result<Api, Diagnostics> {
    let (api, problems) = lower_collecting(spec);
    problems.into_result(api)
}

/// Lowers as much as can be lowered and returns it with every problem
/// found, so later stages can look for theirs in the same run.
pub fn lower_collecting(spec: &LoadedSpec) -> (Api, Diagnostics) {
    let mut lowering = Lowering::new(spec);
    let api = lowering.api();
    (api, lowering.problems)
}

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

/// Path items lowered per parallel job.
const PATH_ITEMS_PER_JOB: usize = 16;

/// One operation object, lowered: its operations (one per response format)
/// and the id types its path parameters ask for, in parameter order.
struct LoweredOperation {
    operations: Vec<Operation>,
    ids: Vec<IdRequest>,
}

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

/// Names the endpoint functions use for their own locals; a parameter with
/// one of these names is renamed (`body` → `body_param`).
const RESERVED_ARGUMENTS: &[&str] = &["body", "query", "builder"];

/// The lowering state: the document, the problems found so far, and what
/// schema lowering needs to follow `$ref`s safely.
pub(crate) struct Lowering<'a> {
    spec: &'a LoadedSpec,
    root: Node<'a>,
    problems: Diagnostics,
    /// `#/components/schemas`, by name; shared by the lowerings that run
    /// in parallel.
    schemas: Arc<BTreeMap<&'a str, Node<'a>>>,
    /// The Rust type name of each of `schemas`, worked out once: every
    /// `$ref` to a schema needs it.
    schema_types: Arc<HashMap<&'a str, String>>,
    /// The component schemas whose `allOf` is being merged, innermost last:
    /// a name seen twice is an `allOf` cycle.
    merging: Vec<&'a str>,
    /// The component schema being lowered, if any.
    current_component: Option<&'a str>,
}

impl<'a> Lowering<'a> {
    fn new(spec: &'a LoadedSpec) -> Self {
        Lowering {
            spec,
            root: Node::root(&spec.raw),
            problems: Diagnostics::default(),
            schemas: Arc::default(),
            schema_types: Arc::default(),
            merging: Vec::new(),
            current_component: None,
        }
    }

    /// `lower` applied to every item on every core, in ordered chunks of
    /// `per_job`, each chunk with a lowering of its own; the results come
    /// back in item order and the problems found are this lowering's.
    fn in_parallel<I: Sync, T: Send>(
        &mut self,
        items: &[I],
        per_job: usize,
        lower: impl Fn(&mut Lowering<'a>, &I) -> T + Sync,
    ) -> Vec<T> {
        let chunks: Vec<(Vec<T>, Diagnostics)> = items
            .par_chunks(per_job)
            .map(|chunk| {
                let mut lowering = self.fork();
                let results = chunk.iter().map(|item| lower(&mut lowering, item)).collect();
                (results, lowering.problems)
            })
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for (results, problems) in chunks {
            self.problems.extend(problems);
            all.extend(results);
        }
        all
    }

    /// A lowering of the same document with no problems recorded yet, for
    /// work done on another thread.
    fn fork(&self) -> Self {
        Lowering {
            spec: self.spec,
            root: self.root.clone(),
            problems: Diagnostics::default(),
            schemas: Arc::clone(&self.schemas),
            schema_types: Arc::clone(&self.schema_types),
            merging: Vec::new(),
            current_component: None,
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let location = self.spec.locate(pointer);
        self.problems.push(location, message);
    }

    // ---- reading values with their types checked ----------------------------------------

    /// The member `key` when it is an object; a problem when it is something else.
    fn object_member(&mut self, node: &Node<'a>, key: &str) -> Option<Node<'a>> {
        let member = node.get(key)?;
        if member.value.is_object() {
            Some(member)
        } else {
            self.error(&member.pointer, format!("`{key}` must be an object, found {}", kind_of(member.value)));
            None
        }
    }

    /// The items of the member `key` when it is an array; a problem when it is something else.
    fn array_member(&mut self, node: &Node<'a>, key: &str) -> Vec<Node<'a>> {
        let Some(member) = node.get(key) else { return Vec::new() };
        if member.value.is_array() {
            member.items()
        } else {
            self.error(&member.pointer, format!("`{key}` must be an array, found {}", kind_of(member.value)));
            Vec::new()
        }
    }

    /// The member `key` when it is a string; a problem when it is something else.
    fn string_member(&mut self, node: &Node<'a>, key: &str) -> Option<&'a str> {
        let member = node.get(key)?;
        match member.value.as_str() {
            Some(text) => Some(text),
            None => {
                self.error(&member.pointer, format!("`{key}` must be a string, found {}", kind_of(member.value)));
                None
            }
        }
    }

    /// Whether the member `key` is `true`; a problem when it is not a boolean.
    fn bool_member(&mut self, node: &Node<'a>, key: &str) -> bool {
        let Some(member) = node.get(key) else { return false };
        match member.value.as_bool() {
            Some(flag) => flag,
            None => {
                self.error(
                    &member.pointer,
                    format!("`{key}` must be `true` or `false`, found {}", kind_of(member.value)),
                );
                false
            }
        }
    }

    /// Whether `node` is an object; a problem naming `what` when it is not.
    fn expect_object(&mut self, node: &Node<'a>, what: &str) -> bool {
        if node.value.is_object() {
            return true;
        }
        self.error(&node.pointer, format!("{what} must be an object, found {}", kind_of(node.value)));
        false
    }

    /// Follows a `$ref` into `#/components/{section}/`, through `$ref`s there.
    fn component(&mut self, section: &str, reference: &str, pointer: &str, what: &str) -> Option<Node<'a>> {
        let mut reference = reference.to_owned();
        let mut seen = BTreeSet::new();
        loop {
            let prefix = format!("#/components/{section}/");
            let found = reference.strip_prefix(&prefix).filter(|name| !name.contains('/')).and_then(|name| {
                let name = unescape_token(name);
                self.root.get("components")?.get(section)?.get(&name)
            });
            let Some(found) = found else {
                let message = if reference.starts_with('#') {
                    format!("`$ref: {reference}` does not point to {what} in #/components/{section}/")
                } else {
                    format!("external `$ref: {reference}` is not supported; inline the referenced document")
                };
                self.error(pointer, message);
                return None;
            };
            match found.str("$ref") {
                Some(next) if seen.insert(reference.clone()) => reference = next.to_owned(),
                Some(_) => {
                    self.error(pointer, format!("`$ref: {reference}` is part of a cycle of `$ref`s"));
                    return None;
                }
                None => return Some(found),
            }
        }
    }

    // ---- the document -------------------------------------------------------------------

    fn api(&mut self) -> Api {
        let root = self.root.clone();
        if !root.value.is_object() {
            self.error(
                "",
                format!(
                    "an OpenAPI document must be an object with `openapi`, `info` and `paths`, found {}",
                    kind_of(root.value)
                ),
            );
            return Api::default();
        }
        let mut api = Api::default();
        match self.object_member(&root, "info") {
            Some(info) => {
                match self.string_member(&info, "title") {
                    Some(title) => api.title = title.to_owned(),
                    None if !info.has("title") => self.error(&info.pointer, "`info` has no `title`"),
                    None => {}
                }
                api.description = self.string_member(&info, "description").map(str::to_owned);
            }
            None if !root.has("info") => self.error("", "the document has no `info`"),
            None => {}
        }

        if let Some(components) = self.object_member(&root, "components") {
            for section in ["schemas", "parameters", "responses", "requestBodies"] {
                if let Some(entries) = self.object_member(&components, section) {
                    if section == "schemas" {
                        let schemas: BTreeMap<&str, Node> = entries.entries().into_iter().collect();
                        self.schema_types =
                            Arc::new(schemas.keys().map(|name| (*name, naming::type_name(name))).collect());
                        self.schemas = Arc::new(schemas);
                    }
                }
            }
        }
        self.component_schemas(&mut api);

        match self.object_member(&root, "paths") {
            Some(paths) => self.operations(&mut api, &paths),
            None if !root.has("paths") => self.error("", "the document has no `paths`"),
            None => {}
        }
        api.operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        api
    }

    // ---- operations ---------------------------------------------------------------------

    fn operations(&mut self, api: &mut Api, paths: &Node<'a>) {
        // Path items lower on every core, in ordered chunks. Id types are
        // named first come, first served, so they are named afterwards, in
        // path order, from what each operation asks for.
        let items = paths.entries();
        let types: &Api = api;
        let lowered = self
            .in_parallel(&items, PATH_ITEMS_PER_JOB, |lowering, (path, item)| lowering.path_item(types, path, item));
        for LoweredOperation { mut operations, ids } in lowered.into_iter().flatten() {
            for request in ids {
                let id_type = self.id_type(api, &request);
                let parameters = operations.iter_mut().flat_map(|operation| operation.parameters.iter_mut());
                for parameter in parameters {
                    if parameter.location == ParameterLocation::Path && parameter.wire_name == request.name {
                        parameter.id_type.clone_from(&id_type);
                    }
                }
            }
            api.operations.extend(operations);
        }

        let mut names: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut query_structs: BTreeMap<String, String> = BTreeMap::new();
        let mut problems = Vec::new();
        for operation in &mut api.operations {
            let entry = (operation.pointer.clone(), operation.operation_id.clone());
            if let Some((first, first_id)) = names.insert(operation.rust_name.clone(), entry) {
                let message = if first_id == operation.operation_id {
                    format!(
                        "operationId `{}` is also used by the operation at #{first}; operationIds must be unique",
                        operation.operation_id
                    )
                } else {
                    format!(
                        "operations `{first_id}` (at #{first}) and `{}` both become the Rust function `{}`; rename one of them",
                        operation.operation_id, operation.rust_name
                    )
                };
                problems.push((operation.pointer.clone(), message));
                continue;
            }
            let query = naming::query_struct_name(&operation.rust_name);
            if operation.parameters.iter().any(Parameter::is_optional) {
                operation.query_struct = Some(query.clone());
            }
            if let Some(first) = query_structs.insert(query.clone(), operation.operation_id.clone()) {
                problems.push((
                    operation.pointer.clone(),
                    format!(
                        "operations `{first}` and `{}` both name their query parameters `{query}`; rename one of them",
                        operation.operation_id
                    ),
                ));
            }
        }
        for (pointer, message) in problems {
            self.error(&pointer, message);
        }
    }

    /// The operations of one path item.
    fn path_item(&mut self, api: &Api, path: &str, item: &Node<'a>) -> Vec<LoweredOperation> {
        if path.starts_with("x-") {
            return Vec::new();
        }
        if !path.starts_with('/') {
            self.error(&item.pointer, format!("the path `{path}` must start with `/`"));
            return Vec::new();
        }
        if !self.expect_object(item, "a path item") {
            return Vec::new();
        }
        if let Some(reference) = item.str("$ref") {
            self.error(&item.pointer, format!("path item `$ref: {reference}` is not supported"));
            return Vec::new();
        }
        let path_parameters = self.array_member(item, "parameters");
        let mut lowered = Vec::new();
        for (method_name, method) in METHODS {
            let Some(operation) = item.get(method_name) else { continue };
            if !self.expect_object(&operation, "an operation") {
                continue;
            }
            lowered.push(self.operation(api, path, &path_parameters, method, &operation));
        }
        lowered
    }

    fn operation(
        &mut self,
        api: &Api,
        path: &str,
        path_parameters: &[Node<'a>],
        method: Method,
        node: &Node<'a>,
    ) -> LoweredOperation {
        let operation_id = match self.string_member(node, "operationId") {
            Some(id) if !id.trim().is_empty() => id.to_owned(),
            _ => derived_operation_id(method, path),
        };
        let rust_name = naming::field_name(&operation_id);
        let type_hint = naming::type_name(&operation_id);
        let summary = self.string_member(node, "summary").map(str::to_owned);
        let description = self.string_member(node, "description").map(str::to_owned);
        let deprecated = self.bool_member(node, "deprecated");
        let sunset = self.sunset(node);

        // Everything is lowered even when an earlier part failed, so that
        // one run reports every problem of the operation.
        let (parameters, ids) = self.parameters(api, path, path_parameters, node, &type_hint);
        let responses = self.responses(node, &type_hint);
        let bodies = self.request_bodies(node, &type_hint);
        let (Some(responses), Some(bodies)) = (responses, bodies) else {
            return LoweredOperation { operations: Vec::new(), ids: Vec::new() };
        };

        // JSON is the operation itself; each other format (`+csv`, `+gzip`)
        // is one more endpoint function named after it, e.g. `get_invoice_as_csv`.
        let mut formats: Vec<(Option<String>, Vec<ResourceVersion>)> = Vec::new();
        if !responses.json.is_empty() {
            formats.push((None, responses.json));
        }
        for (suffix, versions) in responses.raw {
            let suffix = if formats.is_empty() { None } else { Some(suffix) };
            formats.push((suffix, versions));
        }
        let operations = formats
            .into_iter()
            .map(|(suffix, versions)| Operation {
                operation_id: operation_id.clone(),
                rust_name: match &suffix {
                    Some(suffix) => naming::field_name(&format!("{operation_id}_as_{suffix}")),
                    None => rust_name.clone(),
                },
                pointer: node.pointer.clone(),
                method,
                path: path.to_owned(),
                summary: summary.clone(),
                description: description.clone(),
                deprecated,
                sunset,
                parameters: parameters.clone(),
                // Named once every operation is lowered, when names are checked.
                query_struct: None,
                versions: self.attach_request_bodies(versions, bodies.clone()),
                error_type: responses.error_type.clone(),
                errors: responses.errors.clone(),
            })
            .collect();
        LoweredOperation { operations, ids }
    }

    fn sunset(&mut self, node: &Node<'a>) -> Option<ApiDate> {
        let value = node.get("x-sunset")?;
        let date = value.value.as_str().and_then(ApiDate::parse);
        if date.is_none() {
            self.error(&value.pointer, format!("`x-sunset` must be a date `YYYY-MM-DD`, found {}", value.value));
        }
        date
    }

    /// The operation's parameters, and the id types its patterned path
    /// parameters need (named later, see [`Lowering::operations`]).
    fn parameters(
        &mut self,
        api: &Api,
        path: &str,
        path_level: &[Node<'a>],
        operation: &Node<'a>,
        operation_hint: &str,
    ) -> (Vec<Parameter>, Vec<IdRequest>) {
        // Operation-level parameters override path-level ones with the same name and place.
        let operation_level = self.array_member(operation, "parameters");
        let mut resolved: Vec<(String, Node<'a>, &'a str, &'a str)> = Vec::new();
        for parameter in path_level.iter().chain(&operation_level) {
            let Some(found) = self.resolve_parameter(parameter) else { continue };
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
            let required = self.bool_member(&node, "required");
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
                TypeRef::Nullable(inner) => *inner,
                other => other,
            };
            if !self.parameter_type_supported(api, location, &ty) {
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
            let resolved_schema = self.resolve_schema(&schema);
            let pattern = resolved_schema
                .as_ref()
                .filter(|s| s.str("type").is_none_or(|t| t == "string") && !s.has("enum"))
                .and_then(|s| s.str("pattern"));
            if let (ParameterLocation::Path, Some(pattern), TypeRef::String) = (location, pattern, &ty) {
                ids.push(IdRequest {
                    name: name.to_owned(),
                    pattern: pattern.to_owned(),
                    description: description.clone(),
                    pointer: pointer.clone(),
                    operation_hint: operation_hint.to_owned(),
                });
            }
            let mut rust_name = naming::field_name(name);
            let is_argument = location == ParameterLocation::Path || required;
            if is_argument && RESERVED_ARGUMENTS.contains(&rust_name.as_str()) {
                rust_name.push_str("_param");
            }
            parameters.push(Parameter {
                wire_name: name.to_owned(),
                rust_name,
                location,
                required: required || location == ParameterLocation::Path,
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
        let mut rust_names: BTreeMap<&str, &str> = BTreeMap::new();
        let mut clashes = Vec::new();
        for parameter in &parameters {
            if let Some(other) = rust_names.insert(&parameter.rust_name, &parameter.wire_name) {
                clashes.push(format!(
                    "parameters `{other}` and `{}` both become `{}`; rename one of them",
                    parameter.wire_name, parameter.rust_name
                ));
            }
        }
        for clash in clashes {
            self.error(&operation.pointer, clash);
        }
        (parameters, ids)
    }

    /// Whether the endpoint functions can put a value of `ty` in a path or a query.
    fn parameter_type_supported(&self, api: &Api, location: ParameterLocation, ty: &TypeRef) -> bool {
        fn scalar(api: &Api, ty: &TypeRef, depth: usize) -> bool {
            match ty {
                TypeRef::String | TypeRef::DateTime | TypeRef::Boolean | TypeRef::Integer(_) | TypeRef::Number => true,
                TypeRef::Inline(inline) => matches!(inline.kind, TypeKind::Enum(_)),
                TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Enum(_)) => true,
                    Some(TypeKind::Alias(target)) if depth < 16 => scalar(api, target, depth + 1),
                    _ => false,
                },
                _ => false,
            }
        }
        match (location, ty) {
            // Arrays repeat the query parameter; paths and headers take one value.
            (ParameterLocation::Query, TypeRef::Array(items)) => scalar(api, items, 0),
            _ => scalar(api, ty, 0),
        }
    }

    fn resolve_parameter(&mut self, parameter: &Node<'a>) -> Option<Node<'a>> {
        if !self.expect_object(parameter, "a parameter") {
            return None;
        }
        match parameter.get("$ref") {
            Some(reference) => {
                let Some(reference) = reference.value.as_str() else {
                    self.error(&reference.pointer, "`$ref` must be a string");
                    return None;
                };
                let found = self.component("parameters", reference, &parameter.pointer, "a parameter")?;
                self.expect_object(&found, "a parameter").then_some(found)
            }
            None => Some(parameter.clone()),
        }
    }

    /// The validated id type of a patterned path parameter. Parameters with
    /// the same name and pattern share one type; the same name with another
    /// pattern is another kind of id (Atlas reuses `endpointId` for several),
    /// named after the first operation that uses it, e.g.
    /// `CreatePrivateEndpointEndpointId`.
    fn id_type(&mut self, api: &mut Api, request: &IdRequest) -> Option<String> {
        let IdRequest { name, pattern, description, pointer, operation_hint } = request;
        let (name, pattern, pointer) = (name.as_str(), pattern.as_str(), pointer.as_str());
        if let Some(shared) = api.ids.values_mut().find(|id| id.wire_name == name && id.pattern == pattern) {
            shared.pointers.push(pointer.to_owned());
            return Some(shared.name.clone());
        }
        let plain = naming::type_name(name);
        let type_name = match api.ids.get(&plain) {
            Some(existing) if existing.wire_name == name => naming::type_name(&format!("{operation_hint}{plain}")),
            _ => plain,
        };
        let check = crate::pattern::compile(pattern);
        if check.is_none() {
            // Checked with the `regex` crate in the generated code: it must parse there.
            if let Err(error) = regex_syntax::Parser::new().parse(pattern) {
                self.error(
                    &format!("{pointer}/schema/pattern"),
                    format!("the pattern `{pattern}` of path parameter `{name}` is not a regular expression Rust's `regex` crate accepts: {error}"),
                );
                return None;
            }
        }
        match api.ids.get(&type_name) {
            Some(existing) => {
                let first = existing.pointers[0].clone();
                let other = existing.wire_name.clone();
                self.error(
                    pointer,
                    format!("path parameters `{other}` (at #{first}) and `{name}` both become the id type `{type_name}`; rename one of them"),
                );
                return None;
            }
            None => {
                api.ids.insert(
                    type_name.clone(),
                    IdType {
                        name: type_name.clone(),
                        wire_name: name.to_owned(),
                        pattern: pattern.to_owned(),
                        check,
                        description: description.clone(),
                        pointers: vec![pointer.to_owned()],
                    },
                );
            }
        }
        Some(type_name)
    }

    // ---- responses ----------------------------------------------------------------------

    /// Versions come from the success response's media types; errors from
    /// the 4xx/5xx/default responses.
    fn responses(&mut self, operation: &Node<'a>, hint: &str) -> Option<Responses> {
        let Some(responses) = self.object_member(operation, "responses") else {
            if !operation.has("responses") {
                self.error(&operation.pointer, "the operation has no `responses`");
            }
            return None;
        };
        let mut entries: Vec<(u16, Node<'a>)> = Vec::new();
        for (key, response) in responses.entries() {
            if key.starts_with("x-") {
                continue;
            }
            let code = match key {
                "default" => 0,
                _ => match key.parse::<u16>() {
                    Ok(code) if (100..600).contains(&code) && key.len() == 3 => code,
                    _ if key.len() == 3 && key.to_ascii_uppercase().ends_with("XX") => {
                        self.error(&response.pointer, format!("status ranges such as `{key}` are not supported"));
                        continue;
                    }
                    _ => {
                        self.error(&response.pointer, format!("`{key}` is not an HTTP status code"));
                        continue;
                    }
                },
            };
            entries.push((code, response));
        }
        entries.sort_by_key(|(code, _)| *code);

        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut error_types = Vec::new();
        for (code, response) in entries {
            let Some(response) = self.resolve_response(&response) else { continue };
            let description = self.string_member(&response, "description").unwrap_or_default().to_owned();
            if (200..300).contains(&code) {
                successes.push((code, response, description));
                continue;
            }
            errors.push((code, description));
            let Some(content) = self.object_member(&response, "content") else { continue };
            for (_, media) in content.entries() {
                if !self.expect_object(&media, "a media type object") {
                    continue;
                }
                if let Some(schema) = media.get("schema") {
                    error_types.push(self.schema(&schema, &format!("{hint}Error"), None));
                }
            }
        }
        let error_type = match error_types.split_first() {
            Some((first, rest)) if rest.iter().all(|t| t == first) => Some(first.clone()),
            Some(_) => Some(TypeRef::Any),
            None => None,
        };

        let responses_pointer = responses.pointer.clone();
        if successes.is_empty() {
            self.error(&responses_pointer, "the operation has no 2xx response");
            return None;
        }

        // Every versioned media type of every 2xx response, by format.
        let mut json: BTreeMap<ApiDate, Vec<VersionedBody>> = BTreeMap::new();
        let mut raw: BTreeMap<String, BTreeMap<ApiDate, VersionedBody>> = BTreeMap::new();
        let mut bodiless = false;
        for (status, success, description) in &successes {
            let mut versioned = false;
            let content = self.object_member(success, "content");
            for (media_type, media) in content.iter().flat_map(Node::entries) {
                if !self.expect_object(&media, "a media type object") {
                    continue;
                }
                let Some((date, suffix)) = self.media_type_version(media_type, &media) else { continue };
                versioned = true;
                let found = VersionedBody {
                    status: *status,
                    media_type: media_type.to_owned(),
                    ty: media.get("schema").map(|schema| self.schema(&schema, &format!("{hint}Response"), None)),
                    sunset: self.sunset(&media),
                    description: description.clone(),
                };
                if suffix == "json" {
                    json.entry(date).or_default().push(found);
                } else {
                    raw.entry(suffix).or_default().entry(date).or_insert(found);
                }
            }
            // A 204 without content is a bodiless success at every version.
            if !versioned {
                if successes.len() == 1 {
                    self.error(
                        &success.pointer,
                        "the success response has no versioned media type (`application/vnd.atlas.YYYY-MM-DD+json`), so no API release can include the operation",
                    );
                    return None;
                }
                bodiless = true;
            }
        }
        if json.is_empty() && raw.is_empty() {
            self.error(
                &responses_pointer,
                "no success response has a versioned media type, so no API release can include the operation",
            );
            return None;
        }

        let mut json_versions = Vec::new();
        for (date, bodies) in json {
            let typed: Vec<&VersionedBody> = bodies.iter().filter(|b| b.ty.is_some()).collect();
            if let Some((first, rest)) = typed.split_first() {
                if let Some(other) = rest.iter().find(|b| b.ty != first.ty) {
                    self.error(
                        &responses_pointer,
                        format!(
                            "the {} and {} responses of version {date} have different bodies; one success type per version is supported",
                            first.status, other.status
                        ),
                    );
                    return None;
                }
            }
            let empty_allowed = !typed.is_empty() && (bodiless || typed.len() < bodies.len());
            let Some(primary) = typed.first().copied().or(bodies.first()) else { continue };
            json_versions.push(primary.version(date, empty_allowed, false));
        }
        let raw = raw
            .into_iter()
            .map(|(suffix, versions)| {
                let versions = versions.into_iter().map(|(date, body)| body.version(date, false, true)).collect();
                (suffix, versions)
            })
            .collect();
        Some(Responses { json: json_versions, raw, errors, error_type })
    }

    fn resolve_response(&mut self, response: &Node<'a>) -> Option<Node<'a>> {
        if !self.expect_object(response, "a response") {
            return None;
        }
        match response.get("$ref") {
            Some(reference) => {
                let Some(reference) = reference.value.as_str() else {
                    self.error(&reference.pointer, "`$ref` must be a string");
                    return None;
                };
                let found = self.component("responses", reference, &response.pointer, "a response")?;
                self.expect_object(&found, "a response").then_some(found)
            }
            None => Some(response.clone()),
        }
    }

    /// The resource version of a versioned media type; `None` (with a
    /// diagnostic) for one that is malformed or not supported.
    fn media_type_version(&mut self, media_type: &str, media: &Node<'a>) -> Option<(ApiDate, String)> {
        let (version, suffix) = match parse_versioned_media_type(media_type) {
            MediaTypeVersion::Dated(date, suffix) => (date, suffix),
            MediaTypeVersion::Unversioned => return None,
            MediaTypeVersion::Malformed(text) => {
                self.error(
                    &media.pointer,
                    format!("`{text}` in the media type `{media_type}` is not a valid date `YYYY-MM-DD`"),
                );
                return None;
            }
            MediaTypeVersion::Unsupported(reason) => {
                self.error(&media.pointer, format!("the media type `{media_type}` is not supported yet: {reason}"));
                return None;
            }
        };
        if let Some(declared) = media.get("x-xgen-version") {
            if declared.value.as_str() != Some(version.to_string().as_str()) {
                self.error(
                    &declared.pointer,
                    format!("`x-xgen-version: {}` does not match the media type `{media_type}`", declared.value),
                );
            }
        }
        Some((version, suffix))
    }

    // ---- request bodies -----------------------------------------------------------------

    /// The request body of each version found, lowered whether or not the
    /// responses are usable; `None` when the body itself is broken.
    #[allow(clippy::type_complexity)]
    fn request_bodies(
        &mut self,
        operation: &Node<'a>,
        hint: &str,
    ) -> Option<Option<(Node<'a>, bool, Option<String>, Vec<(ApiDate, TypeRef)>)>> {
        let Some(body) = operation.get("requestBody") else { return Some(None) };
        if !self.expect_object(&body, "`requestBody`") {
            return None;
        }
        let body_pointer = body.clone();
        let body = match body.get("$ref") {
            Some(reference) => {
                let Some(reference) = reference.value.as_str() else {
                    self.error(&reference.pointer, "`$ref` must be a string");
                    return None;
                };
                let found = self.component("requestBodies", reference, &body.pointer, "a request body")?;
                if !self.expect_object(&found, "a request body") {
                    return None;
                }
                found
            }
            None => body,
        };
        let required = self.bool_member(&body, "required");
        let description = self.string_member(&body, "description").map(str::to_owned);
        let mut bodies = Vec::new();
        let content = self.object_member(&body, "content");
        if content.is_none() && !body.has("content") {
            self.error(&body.pointer, "the request body has no `content`");
        }
        for (media_type, media) in content.iter().flat_map(Node::entries) {
            if !self.expect_object(&media, "a media type object") {
                continue;
            }
            let Some((date, suffix)) = self.media_type_version(media_type, &media) else {
                if !media_type.starts_with("application/vnd.atlas.") {
                    self.error(&media.pointer, format!("request media type `{media_type}` is not versioned; Atlas request bodies use `application/vnd.atlas.YYYY-MM-DD+json`"));
                }
                continue;
            };
            if suffix != "json" {
                self.error(
                    &media.pointer,
                    format!("request media type `{media_type}` is not JSON; only JSON request bodies are generated"),
                );
                continue;
            }
            let ty = match media.get("schema") {
                Some(schema) => self.schema(&schema, &format!("{hint}Request"), None),
                None => TypeRef::Any,
            };
            bodies.push((date, ty));
        }
        Some(Some((body_pointer, required, description, bodies)))
    }

    /// For each resource version, the request body of the same version, or
    /// else the newest older one (as Atlas's own split tool does).
    #[allow(clippy::type_complexity)]
    fn attach_request_bodies(
        &mut self,
        mut versions: Vec<ResourceVersion>,
        bodies: Option<(Node<'a>, bool, Option<String>, Vec<(ApiDate, TypeRef)>)>,
    ) -> Vec<ResourceVersion> {
        let Some((body, required, description, bodies)) = bodies else { return versions };
        for version in &mut versions {
            let matched = bodies.iter().rev().find(|(date, _)| *date <= version.date);
            match matched {
                Some((_, ty)) => {
                    version.request = Some(RequestBody { ty: ty.clone(), required, description: description.clone() })
                }
                None if !bodies.is_empty() => self.error(
                    &body.pointer,
                    format!("resource version {} has no request body of that version or older", version.date),
                ),
                None => {}
            }
        }
        versions
    }
}

/// The success responses of an operation, by body format.
struct Responses {
    /// The JSON resource versions, oldest first.
    json: Vec<ResourceVersion>,
    /// Other formats (`csv`, `gzip`), each with its versions.
    raw: BTreeMap<String, Vec<ResourceVersion>>,
    errors: Vec<(u16, String)>,
    error_type: Option<TypeRef>,
}

/// One versioned media type of one success response.
struct VersionedBody {
    status: u16,
    media_type: String,
    ty: Option<TypeRef>,
    sunset: Option<ApiDate>,
    description: String,
}

impl VersionedBody {
    fn version(&self, date: ApiDate, empty_allowed: bool, raw: bool) -> ResourceVersion {
        ResourceVersion {
            date,
            media_type: self.media_type.clone(),
            request: None,
            response: SuccessResponse {
                status: self.status,
                ty: if raw { None } else { self.ty.clone() },
                description: self.description.clone(),
                empty_allowed,
                raw,
            },
            sunset: self.sunset,
        }
    }
}

/// Decodes one JSON pointer token (RFC 6901).
fn unescape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// What the version part of a media type says.
enum MediaTypeVersion {
    /// A dated version and the format after `+` (`json`, `csv`, `gzip`).
    Dated(ApiDate, String),
    Unversioned,
    Malformed(String),
    Unsupported(&'static str),
}

fn parse_versioned_media_type(media_type: &str) -> MediaTypeVersion {
    let Some(rest) = media_type.strip_prefix("application/vnd.atlas.") else {
        return MediaTypeVersion::Unversioned;
    };
    let Some((version, suffix)) = rest.split_once('+') else {
        return MediaTypeVersion::Malformed(rest.to_owned());
    };
    if version == "preview" {
        return MediaTypeVersion::Unsupported("preview resource versions are not generated");
    }
    if version.ends_with(".upcoming") {
        return MediaTypeVersion::Unsupported("upcoming resource versions are not generated");
    }
    if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return MediaTypeVersion::Malformed(rest.to_owned());
    }
    match ApiDate::parse(version) {
        Some(date) => MediaTypeVersion::Dated(date, suffix.to_owned()),
        None => MediaTypeVersion::Malformed(version.to_owned()),
    }
}

/// `{name}` placeholders of a path template, in order.
fn path_template_names(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned())).collect()
}

/// A stable name for an operation without `operationId`: method and the
/// path's literal segments, e.g. `get_orgs_invites`.
fn derived_operation_id(method: Method, path: &str) -> String {
    let mut name = method.as_str().to_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(parameter) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            name.push_str("_by_");
            name.push_str(parameter);
        } else {
            name.push('_');
            name.push_str(segment);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load, SpecSource};

    /// Path items lower on several threads, in chunks; id types must still
    /// be named first come, first served, in path order.
    #[test]
    fn id_types_are_named_in_path_order_across_parallel_chunks() {
        let paths: serde_json::Map<String, serde_json::Value> = (0..3 * PATH_ITEMS_PER_JOB)
            .map(|index| {
                let pattern = if index % 2 == 0 { "^[a-f0-9]{24}$" } else { "^[0-9]+$" };
                let operation = serde_json::json!({
                    "operationId": format!("getThing{index:02}"),
                    "parameters": [{
                        "name": "thingId", "in": "path", "required": true,
                        "schema": { "type": "string", "pattern": pattern }
                    }],
                    "responses": { "200": { "description": "the thing", "content": {
                        "application/vnd.atlas.2023-01-01+json": { "schema": { "type": "object" } }
                    } } }
                });
                (format!("/things{index:02}/{{thingId}}"), serde_json::json!({ "get": operation }))
            })
            .collect();
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": { "title": "ids", "version": "1" },
            "paths": paths
        });
        let source = SpecSource { name: "ids.json".into(), text: document.to_string() };
        let api = lower(&load(&source).expect("loads")).expect("lowers");

        let ids: BTreeMap<&str, Option<&str>> = api
            .operations
            .iter()
            .map(|operation| (operation.rust_name.as_str(), operation.parameters[0].id_type.as_deref()))
            .collect();
        assert_eq!(ids.len(), 3 * PATH_ITEMS_PER_JOB);
        for (index, (operation, id)) in ids.into_iter().enumerate() {
            // The first path takes the plain name; the first with the other
            // pattern is named after its operation, and the rest share them.
            let expected = if index % 2 == 0 { "ThingId" } else { "GetThing01ThingId" };
            assert_eq!(id, Some(expected), "{operation}");
        }
        let names: Vec<&String> = api.ids.keys().collect();
        assert_eq!(names, ["GetThing01ThingId", "ThingId"]);
        assert_eq!(api.ids["ThingId"].pointers.len(), 3 * PATH_ITEMS_PER_JOB / 2);
    }
}
