//! Stage 2: lower the `openapiv3` document into the IR. This is the only module
//! that reads `openapiv3` types; problems are collected, not returned early.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use openapiv3::{
    AdditionalProperties, MediaType, ObjectType, OpenAPI, ReferenceOr, Schema, SchemaKind, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diagnostics::{pointer_join, Diagnostics};
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming;

/// Lowers a loaded spec. Inline types are left as `TypeRef::Inline` for the
/// hoisting pass; releases are left empty for the caller to fill.
pub fn lower(spec: &LoadedSpec) -> Result<Api, Diagnostics> {
    let mut lowering = Lowering { spec, openapi: &spec.openapi, problems: Diagnostics::default() };
    let api = lowering.api();
    lowering.problems.into_result(api)
}

struct Lowering<'a> {
    spec: &'a LoadedSpec,
    openapi: &'a OpenAPI,
    problems: Diagnostics,
}

impl<'a> Lowering<'a> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let location = self.spec.locate(pointer);
        self.problems.push(location, message);
    }

    fn api(&mut self) -> Api {
        let mut api = Api {
            title: self.openapi.info.title.clone(),
            description: self.openapi.info.description.clone(),
            ..Api::default()
        };
        self.schemas(&mut api);
        self.operations(&mut api);
        api.operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        api
    }

    // ---- schemas ------------------------------------------------------------------------

    fn schemas(&mut self, api: &mut Api) {
        let Some(components) = &self.openapi.components else { return };
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for (spec_name, schema) in &components.schemas {
            let pointer = pointer_join("/components/schemas", spec_name);
            let rust_name = naming::type_name(spec_name);
            if let Some(other) = names.insert(rust_name.clone(), spec_name.clone()) {
                self.error(
                    &pointer,
                    format!(
                        "schemas `{other}` and `{spec_name}` both become the Rust type `{rust_name}`; rename one of them"
                    ),
                );
                continue;
            }
            let (kind, description, deprecated) = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.schema_ref(reference, &pointer);
                    (TypeKind::Alias(target), None, false)
                }
                ReferenceOr::Item(schema) => {
                    let kind = match self.schema(schema, &pointer, &rust_name, None) {
                        TypeRef::Inline(inline) => inline.kind,
                        other => TypeKind::Alias(other),
                    };
                    (kind, schema.schema_data.description.clone(), schema.schema_data.deprecated)
                }
            };
            api.types.insert(
                rust_name.clone(),
                TypeDef {
                    name: rust_name,
                    spec_name: spec_name.clone(),
                    pointers: vec![pointer],
                    description,
                    deprecated,
                    kind,
                },
            );
        }
    }

    fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match reference.strip_prefix("#/components/schemas/") {
            Some(name) if !name.contains('/') => {
                let exists = self.openapi.components.as_ref().is_some_and(|c| c.schemas.contains_key(name));
                if !exists {
                    self.error(pointer, format!("`$ref: {reference}` points to a schema that does not exist"));
                }
                TypeRef::Named(naming::type_name(name))
            }
            _ if !reference.starts_with('#') => {
                self.error(
                    pointer,
                    format!("external `$ref: {reference}` is not supported; inline the referenced document"),
                );
                TypeRef::Any
            }
            _ => {
                self.error(pointer, format!("`$ref: {reference}` must point into #/components/schemas/"));
                TypeRef::Any
            }
        }
    }

    fn referenced_description(&self, reference: &str) -> Option<String> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.openapi.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn boxed_schema_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
        parent: Option<&str>,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.schema(schema, pointer, hint, parent),
        }
    }

    fn schema_or_ref(&mut self, schema: &ReferenceOr<Schema>, pointer: &str, hint: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.schema(schema, pointer, hint, None),
        }
    }

    /// Lowers one schema. `hint` names it if it has to be hoisted; `property`
    /// is the property it sits under, which names enums.
    fn schema(&mut self, schema: &Schema, pointer: &str, hint: &str, property: Option<&str>) -> TypeRef {
        let description = schema.schema_data.description.clone();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if !string.enumeration.is_empty() {
                    let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                    return self.enumeration(values, pointer, hint, property, description);
                }
                match &string.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => TypeRef::DateTime,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::Integer(IntegerKind::I32),
                _ => TypeRef::Integer(IntegerKind::I64),
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Array(array)) => {
                let items_pointer = format!("{pointer}/items");
                let item_hint = format!("{hint}Item");
                let item_property = property.map(naming::singular);
                let items = match &array.items {
                    Some(items) => self.boxed_schema_ref(items, &items_pointer, &item_hint, item_property.as_deref()),
                    None => TypeRef::Any,
                };
                TypeRef::Array(Box::new(items))
            }
            SchemaKind::Type(Type::Object(object)) => self.object(object, pointer, hint, description),
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let object = ObjectType {
                    properties: any.properties.clone(),
                    required: any.required.clone(),
                    additional_properties: any.additional_properties.clone(),
                    ..ObjectType::default()
                };
                self.object(&object, pointer, hint, description)
            }
            SchemaKind::Any(any) if any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() => {
                TypeRef::Any
            }
            SchemaKind::AllOf { .. } | SchemaKind::Any(_) => {
                self.error(pointer, "`allOf` is not supported yet; flatten the schema into one object");
                TypeRef::Any
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.error(pointer, "`oneOf`/`anyOf` is not supported yet; describe one concrete object instead");
                TypeRef::Any
            }
            SchemaKind::Not { .. } => {
                self.error(pointer, "`not` schemas are not supported");
                TypeRef::Any
            }
        }
    }

    fn enumeration(
        &mut self,
        values: Vec<String>,
        pointer: &str,
        hint: &str,
        property: Option<&str>,
        description: Option<String>,
    ) -> TypeRef {
        let mut seen = BTreeMap::new();
        let mut variants = Vec::with_capacity(values.len());
        for wire in values {
            let rust_name = naming::variant_name(&wire);
            if let Some(previous) = seen.insert(rust_name.clone(), wire.clone()) {
                if previous == wire {
                    self.error(pointer, format!("enum value `{wire}` is listed twice"));
                } else {
                    self.error(
                        pointer,
                        format!("enum values `{previous}` and `{wire}` both become the variant `{rust_name}`"),
                    );
                }
                continue;
            }
            variants.push(EnumValue { wire, rust_name });
        }
        let suggested_name = enum_name(&variants, hint, property);
        TypeRef::Inline(Box::new(InlineType {
            pointer: pointer.to_owned(),
            suggested_name,
            structural_name: hint.to_owned(),
            kind: TypeKind::Enum(variants),
            description,
        }))
    }

    fn object(&mut self, object: &ObjectType, pointer: &str, hint: &str, description: Option<String>) -> TypeRef {
        if object.properties.is_empty() {
            return match &object.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let values_pointer = format!("{pointer}/additionalProperties");
                    let value = self.schema_or_ref(values, &values_pointer, &format!("{hint}Value"));
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::Object,
            };
        }
        if object.additional_properties.is_some() {
            self.error(pointer, "objects with both `properties` and `additionalProperties` are not supported yet");
        }
        let mut fields = Vec::with_capacity(object.properties.len());
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        for (wire_name, property) in &object.properties {
            let property_pointer = pointer_join(&format!("{pointer}/properties"), wire_name);
            let rust_name = naming::field_name(wire_name);
            if let Some(other) = rust_names.insert(rust_name.clone(), wire_name.clone()) {
                self.error(
                    &property_pointer,
                    format!("properties `{other}` and `{wire_name}` both become the Rust field `{rust_name}`"),
                );
                continue;
            }
            let property_hint = format!("{hint}{}", wire_name.to_upper_camel_case());
            let ty = self.boxed_schema_ref(property, &property_pointer, &property_hint, Some(wire_name));
            let data = match property {
                ReferenceOr::Item(schema) => Some(&schema.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let pattern = match property {
                ReferenceOr::Item(schema) => match &schema.schema_kind {
                    SchemaKind::Type(Type::String(string)) => string.pattern.clone(),
                    _ => None,
                },
                ReferenceOr::Reference { .. } => None,
            };
            // A `$ref` property has no description of its own (OpenAPI 3.0
            // ignores siblings of `$ref`): document it with its target's.
            let description = match property {
                ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                ReferenceOr::Reference { reference } => self.referenced_description(reference),
            };
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name,
                ty,
                required: object.required.contains(wire_name),
                nullable: data.is_some_and(|d| d.nullable),
                read_only: data.is_some_and(|d| d.read_only),
                description,
                pattern,
                deprecated: data.is_some_and(|d| d.deprecated),
                boxed: false,
            });
        }
        for required in &object.required {
            if !object.properties.contains_key(required) {
                self.error(&format!("{pointer}/required"), format!("`{required}` is required but is not a property"));
            }
        }
        // Key order in the spec is not meaning: sort so output does not depend on it.
        fields.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        TypeRef::Inline(Box::new(InlineType {
            pointer: pointer.to_owned(),
            suggested_name: hint.to_owned(),
            structural_name: hint.to_owned(),
            kind: TypeKind::Struct(fields),
            description,
        }))
    }

    // ---- operations ---------------------------------------------------------------------

    fn operations(&mut self, api: &mut Api) {
        let openapi: &'a OpenAPI = self.openapi;
        for (path, item) in &openapi.paths.paths {
            let path_pointer = pointer_join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.error(&path_pointer, format!("path item `$ref: {reference}` is not supported"));
                    continue;
                }
            };
            for (method_name, operation) in item.iter() {
                let method = match method_name {
                    "get" => Method::Get,
                    "put" => Method::Put,
                    "post" => Method::Post,
                    "delete" => Method::Delete,
                    "options" => Method::Options,
                    "head" => Method::Head,
                    "patch" => Method::Patch,
                    _ => Method::Trace,
                };
                let pointer = format!("{path_pointer}/{method_name}");
                if let Some(lowered) = self.operation(api, path, &item.parameters, method, operation, &pointer) {
                    api.operations.push(lowered);
                }
            }
        }
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        let mut duplicates = Vec::new();
        for operation in &api.operations {
            if let Some(first) = names.insert(&operation.rust_name, &operation.pointer) {
                duplicates.push((operation.pointer.clone(), operation.operation_id.clone(), first.to_owned()));
            }
        }
        for (pointer, id, first) in duplicates {
            self.error(
                &pointer,
                format!(
                    "operation `{id}` has the same Rust name as the operation at #{first}; operationIds must be unique"
                ),
            );
        }
    }

    fn operation(
        &mut self,
        api: &mut Api,
        path: &str,
        path_parameters: &'a [ReferenceOr<openapiv3::Parameter>],
        method: Method,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Option<Operation> {
        let operation_id = operation.operation_id.clone().unwrap_or_else(|| derived_operation_id(method, path));
        let rust_name = naming::field_name(&operation_id);
        let type_hint = operation_id.to_upper_camel_case();

        let parameters = self.parameters(api, path, path_parameters, &operation.parameters, pointer);
        let (versions, errors, error_type) = self.responses(operation, pointer, &type_hint)?;
        let versions = self.attach_request_bodies(operation, versions, pointer, &type_hint);

        Some(Operation {
            operation_id,
            rust_name,
            pointer: pointer.to_owned(),
            method,
            path: path.to_owned(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            sunset: self.sunset(&operation.extensions, pointer),
            parameters,
            versions,
            error_type,
            errors,
        })
    }

    fn sunset(&mut self, extensions: &indexmap::IndexMap<String, Value>, pointer: &str) -> Option<ApiDate> {
        let value = extensions.get("x-sunset")?;
        let text = value.as_str().unwrap_or_default();
        let date = ApiDate::parse(text);
        if date.is_none() {
            self.error(
                &format!("{pointer}/x-sunset"),
                format!("`x-sunset` must be a date `YYYY-MM-DD`, found {value}"),
            );
        }
        date
    }

    fn parameters(
        &mut self,
        api: &mut Api,
        path: &str,
        path_level: &'a [ReferenceOr<openapiv3::Parameter>],
        operation_level: &'a [ReferenceOr<openapiv3::Parameter>],
        pointer: &str,
    ) -> Vec<Parameter> {
        // Operation-level parameters override path-level ones with the same name and place.
        let mut resolved: Vec<(String, &'a openapiv3::Parameter)> = Vec::new();
        let levels = [(path_level, pointer.rsplit_once('/').map_or(pointer, |(p, _)| p)), (operation_level, pointer)];
        for (list, base) in levels {
            for (index, parameter) in list.iter().enumerate() {
                let parameter_pointer = format!("{base}/parameters/{index}");
                let Some(parameter) = self.resolve_parameter(parameter, &parameter_pointer) else { continue };
                let key = |p: &openapiv3::Parameter| (p.parameter_data_ref().name.clone(), std::mem::discriminant(p));
                resolved.retain(|(_, existing)| key(existing) != key(parameter));
                resolved.push((parameter_pointer, parameter));
            }
        }

        let template_names = path_template_names(path);
        let mut parameters = Vec::new();
        for (parameter_pointer, parameter) in resolved {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                openapiv3::Parameter::Path { .. } => ParameterLocation::Path,
                openapiv3::Parameter::Query { .. } => ParameterLocation::Query,
                openapiv3::Parameter::Header { .. } | openapiv3::Parameter::Cookie { .. } => {
                    self.error(
                        &parameter_pointer,
                        format!("header and cookie parameters are not supported yet (`{}`)", data.name),
                    );
                    continue;
                }
            };
            if location == ParameterLocation::Path && !template_names.contains(&data.name) {
                self.error(
                    &parameter_pointer,
                    format!("path parameter `{}` does not appear in the path `{path}`", data.name),
                );
                continue;
            }
            let schema = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(schema) => schema,
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.error(
                        &parameter_pointer,
                        format!("parameter `{}` uses `content`; only `schema` is supported", data.name),
                    );
                    continue;
                }
            };
            let schema_pointer = format!("{parameter_pointer}/schema");
            let hint = data.name.to_upper_camel_case();
            let ty = self.schema_or_ref(schema, &schema_pointer, &hint);
            let pattern = match schema {
                ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(s)), .. }) => s.pattern.clone(),
                _ => None,
            };
            let id_type = match (location, pattern) {
                (ParameterLocation::Path, Some(pattern)) => {
                    self.id_type(api, &data.name, &pattern, data.description.as_deref(), &parameter_pointer)
                }
                _ => None,
            };
            parameters.push(Parameter {
                wire_name: data.name.clone(),
                rust_name: naming::field_name(&data.name),
                location,
                required: data.required || location == ParameterLocation::Path,
                ty,
                id_type,
                description: data.description.clone(),
            });
        }
        for name in &template_names {
            let declared = parameters.iter().any(|p| p.location == ParameterLocation::Path && &p.wire_name == name);
            if !declared {
                self.error(
                    pointer,
                    format!("the path `{path}` has `{{{name}}}` but the operation declares no path parameter `{name}`"),
                );
            }
        }
        let mut rust_names: BTreeMap<&str, &str> = BTreeMap::new();
        let mut clashes = Vec::new();
        for parameter in &parameters {
            if let Some(other) = rust_names.insert(&parameter.rust_name, &parameter.wire_name) {
                clashes.push(format!(
                    "parameters `{other}` and `{}` both become `{}`",
                    parameter.wire_name, parameter.rust_name
                ));
            }
        }
        for clash in clashes {
            self.error(pointer, clash);
        }
        parameters
    }

    fn resolve_parameter(
        &mut self,
        parameter: &'a ReferenceOr<openapiv3::Parameter>,
        pointer: &str,
    ) -> Option<&'a openapiv3::Parameter> {
        let openapi: &'a OpenAPI = self.openapi;
        match parameter {
            ReferenceOr::Item(parameter) => Some(parameter),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| openapi.components.as_ref()?.parameters.get(name));
                match found {
                    Some(ReferenceOr::Item(parameter)) => Some(parameter),
                    _ => {
                        self.error(
                            pointer,
                            format!("`$ref: {reference}` does not point to a parameter in #/components/parameters/"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn id_type(
        &mut self,
        api: &mut Api,
        name: &str,
        pattern: &str,
        description: Option<&str>,
        pointer: &str,
    ) -> Option<String> {
        let type_name = naming::type_name(name);
        let Some(check) = crate::pattern::compile(pattern) else {
            self.error(
                &format!("{pointer}/schema/pattern"),
                format!("the pattern `{pattern}` of path parameter `{name}` is not supported: only one character class with a length, such as `^([a-f0-9]{{24}})$`"),
            );
            return None;
        };
        match api.ids.get_mut(&type_name) {
            Some(existing) if existing.pattern == pattern => {
                existing.pointers.push(pointer.to_owned());
            }
            Some(existing) => {
                let first = existing.pointers[0].clone();
                self.error(pointer, format!("path parameter `{name}` has the pattern `{pattern}` here but `{}` at #{first}; one id type cannot have both", existing.pattern));
                return None;
            }
            None => {
                api.ids.insert(
                    type_name.clone(),
                    IdType {
                        name: type_name.clone(),
                        pattern: pattern.to_owned(),
                        check,
                        description: description.map(str::to_owned),
                        pointers: vec![pointer.to_owned()],
                    },
                );
            }
        }
        Some(type_name)
    }

    /// Versions come from the success response's media types; errors from
    /// the 4xx/5xx/default responses.
    #[allow(clippy::type_complexity)]
    fn responses(
        &mut self,
        operation: &'a openapiv3::Operation,
        pointer: &str,
        hint: &str,
    ) -> Option<(Vec<ResourceVersion>, Vec<(u16, String)>, Option<TypeRef>)> {
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut error_types = Vec::new();
        let responses_pointer = format!("{pointer}/responses");
        let mut entries: Vec<(u16, String, &ReferenceOr<openapiv3::Response>)> = operation
            .responses
            .responses
            .iter()
            .filter_map(|(code, response)| match code {
                StatusCode::Code(code) => Some((*code, code.to_string(), response)),
                StatusCode::Range(range) => {
                    self.problems.push(
                        self.spec.locate(&responses_pointer),
                        format!("status ranges such as `{range}XX` are not supported"),
                    );
                    None
                }
            })
            .collect();
        if let Some(default) = &operation.responses.default {
            entries.push((0, "default".to_owned(), default));
        }
        entries.sort_by_key(|(code, _, _)| *code);
        for (code, key, response) in entries {
            let response_pointer = pointer_join(&responses_pointer, &key);
            let Some(response) = self.resolve_response(response, &response_pointer) else { continue };
            if (200..300).contains(&code) {
                successes.push((code, response_pointer, response));
            } else {
                errors.push((code, response.description.clone()));
                let mut content: Vec<_> = response.content.iter().collect();
                content.sort_by(|a, b| a.0.cmp(b.0));
                for (media_type, media) in content {
                    if let Some(schema) = &media.schema {
                        let media_pointer = pointer_join(&format!("{response_pointer}/content"), media_type);
                        let ty =
                            self.schema_or_ref(schema, &format!("{media_pointer}/schema"), &format!("{hint}Error"));
                        error_types.push(ty);
                    }
                }
            }
        }
        let error_type = match error_types.split_first() {
            Some((first, rest)) if rest.iter().all(|t| t == first) => Some(first.clone()),
            Some(_) => Some(TypeRef::Any),
            None => None,
        };

        let (status, success_pointer, success) = match successes.len() {
            1 => successes.remove(0),
            0 => {
                self.error(&responses_pointer, "the operation has no 2xx response");
                return None;
            }
            _ => {
                let codes: Vec<String> = successes.iter().map(|(code, _, _)| code.to_string()).collect();
                self.error(
                    &responses_pointer,
                    format!("several success responses ({}) are not supported yet", codes.join(", ")),
                );
                return None;
            }
        };

        let mut versions = Vec::new();
        let mut content: Vec<_> = success.content.iter().collect();
        content.sort_by(|a, b| a.0.cmp(b.0));
        for (media_type, media) in content {
            let media_pointer = pointer_join(&format!("{success_pointer}/content"), media_type);
            let Some(date) = self.media_type_version(media_type, media, &media_pointer) else { continue };
            let ty = media.schema.as_ref().map(|schema| {
                self.schema_or_ref(schema, &format!("{media_pointer}/schema"), &format!("{hint}Response"))
            });
            let sunset = self.sunset(&media.extensions, &media_pointer);
            versions.push(ResourceVersion {
                date,
                media_type: media_type.clone(),
                request: None,
                response: SuccessResponse { status, ty, description: success.description.clone() },
                sunset,
            });
        }
        if versions.is_empty() {
            self.error(
                &success_pointer,
                "the success response has no versioned media type (`application/vnd.atlas.YYYY-MM-DD+json`), so no API release can include the operation",
            );
            return None;
        }
        Some((versions, errors, error_type))
    }

    fn resolve_response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Option<&'a openapiv3::Response> {
        let openapi: &'a OpenAPI = self.openapi;
        match response {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| openapi.components.as_ref()?.responses.get(name));
                match found {
                    Some(ReferenceOr::Item(response)) => Some(response),
                    _ => {
                        self.error(
                            pointer,
                            format!("`$ref: {reference}` does not point to a response in #/components/responses/"),
                        );
                        None
                    }
                }
            }
        }
    }

    /// The resource version of a versioned media type; `None` (with a
    /// diagnostic) for one that is malformed or not supported.
    fn media_type_version(&mut self, media_type: &str, media: &MediaType, pointer: &str) -> Option<ApiDate> {
        let version = match parse_versioned_media_type(media_type) {
            MediaTypeVersion::Dated(date) => date,
            MediaTypeVersion::Unversioned => return None,
            MediaTypeVersion::Malformed(text) => {
                self.error(
                    pointer,
                    format!("`{text}` in the media type `{media_type}` is not a valid date `YYYY-MM-DD`"),
                );
                return None;
            }
            MediaTypeVersion::Unsupported(reason) => {
                self.error(pointer, format!("the media type `{media_type}` is not supported yet: {reason}"));
                return None;
            }
        };
        if let Some(declared) = media.extensions.get("x-xgen-version") {
            if declared.as_str() != Some(version.to_string().as_str()) {
                self.error(
                    pointer,
                    format!("`x-xgen-version: {declared}` does not match the media type `{media_type}`"),
                );
            }
        }
        Some(version)
    }

    /// For each resource version, the request body of the same version, or
    /// else the newest older one (as Atlas's own split tool does).
    fn attach_request_bodies(
        &mut self,
        operation: &'a openapiv3::Operation,
        mut versions: Vec<ResourceVersion>,
        pointer: &str,
        hint: &str,
    ) -> Vec<ResourceVersion> {
        let Some(body) = &operation.request_body else { return versions };
        let body_pointer = format!("{pointer}/requestBody");
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| self.openapi.components.as_ref()?.request_bodies.get(name));
                match found {
                    Some(ReferenceOr::Item(body)) => body,
                    _ => {
                        self.error(
                            &body_pointer,
                            format!(
                                "`$ref: {reference}` does not point to a request body in #/components/requestBodies/"
                            ),
                        );
                        return versions;
                    }
                }
            }
        };
        let mut bodies: Vec<(ApiDate, TypeRef)> = Vec::new();
        let mut content: Vec<_> = body.content.iter().collect();
        content.sort_by(|a, b| a.0.cmp(b.0));
        for (media_type, media) in content {
            let media_pointer = pointer_join(&format!("{body_pointer}/content"), media_type);
            let Some(date) = self.media_type_version(media_type, media, &media_pointer) else {
                if !media_type.starts_with("application/vnd.atlas.") {
                    self.error(&media_pointer, format!("request media type `{media_type}` is not versioned; Atlas request bodies use `application/vnd.atlas.YYYY-MM-DD+json`"));
                }
                continue;
            };
            let ty = match &media.schema {
                Some(schema) => {
                    self.schema_or_ref(schema, &format!("{media_pointer}/schema"), &format!("{hint}Request"))
                }
                None => TypeRef::Any,
            };
            bodies.push((date, ty));
        }
        for version in &mut versions {
            let matched = bodies.iter().rev().find(|(date, _)| *date <= version.date);
            match matched {
                Some((_, ty)) => {
                    version.request = Some(RequestBody {
                        ty: ty.clone(),
                        required: body.required,
                        description: body.description.clone(),
                    })
                }
                None if !bodies.is_empty() => self.error(
                    &body_pointer,
                    format!("resource version {} has no request body of that version or older", version.date),
                ),
                None => {}
            }
        }
        versions
    }
}

/// What the version part of a media type says.
enum MediaTypeVersion {
    Dated(ApiDate),
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
    if suffix != "json" {
        return MediaTypeVersion::Unsupported("only `+json` bodies are generated");
    }
    match ApiDate::parse(version) {
        Some(date) => MediaTypeVersion::Dated(date),
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

/// Names an enum: the common prefix of its values (`ORG_` → `Org`) and the
/// singular of the property it sits under (`roles` → `Role`) give `OrgRole`;
/// without a property, the hint.
fn enum_name(variants: &[EnumValue], hint: &str, property: Option<&str>) -> String {
    let Some(property) = property else { return hint.to_owned() };
    let property = naming::type_name(property);
    let prefix = common_word_prefix(variants.iter().map(|v| v.wire.as_str()));
    let prefix = naming::type_name(&prefix);
    if prefix == "Type" || property.starts_with(&prefix) {
        property
    } else {
        format!("{prefix}{property}")
    }
}

/// The words (split on `_`) every value starts with, e.g. `ORG` for
/// `ORG_OWNER` and `ORG_MEMBER`; empty when there is none or one value.
fn common_word_prefix<'v>(mut values: impl Iterator<Item = &'v str>) -> String {
    let Some(first) = values.next() else { return String::new() };
    let mut prefix: Vec<&str> = first.split('_').collect();
    prefix.pop();
    let mut count = 1;
    for value in values {
        count += 1;
        let words: Vec<&str> = value.split('_').collect();
        let shared = prefix.iter().zip(&words).take_while(|(a, b)| a == b).count();
        prefix.truncate(shared.min(words.len().saturating_sub(1)));
    }
    if count < 2 {
        return String::new();
    }
    prefix.join("_")
}
