//! Schemas → type references.
//!
//! Supported: the primitive types with their formats (`int32` → `i32`,
//! `int64` or none → `i64`, `date-time` → a timestamp; `minimum` never
//! changes a type), string enums, arrays (of arrays too), objects, maps
//! (`additionalProperties`, alone or beside `properties`), free-form objects,
//! `nullable`, `$ref`s into `#/components/schemas`, `allOf` (merged into one
//! object), and `oneOf`/`anyOf`: a union of string enums is one enum, a
//! `discriminator` gives a tagged union (as does a `discriminator` base that
//! its subtypes `allOf` back to), and otherwise an untagged union.
//!
//! Refused with a diagnostic: `not`, `allOf` members that cannot be merged
//! (objects with a primitive, properties whose types disagree, `allOf`
//! cycles), and `properties` beside a `oneOf` that some member lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::node::{kind_of, Node};
use super::{unescape_token, Lowering};
use crate::ir::*;
use crate::naming;

/// Keywords that only annotate or constrain a value without saying what type
/// it is: a schema of these alone refines another (in `allOf`) rather than
/// defining one.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
    "nullable",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

const SCHEMAS: &str = "#/components/schemas/";

/// Component schemas lowered per parallel job: enough to outweigh the
/// job's set-up, few enough for a full spec to spread over the cores.
const COMPONENTS_PER_JOB: usize = 32;

/// The properties, `required` names and `additionalProperties` of one
/// object, or of several merged by `allOf`.
#[derive(Default)]
struct ObjectParts<'a> {
    /// Wire name → the property's schema and the name its inline types start with.
    properties: BTreeMap<&'a str, (Node<'a>, String)>,
    /// Properties inherited from the parent of a polymorphic family, which a
    /// subtype may redefine with its own, more specific type.
    inherited: BTreeSet<&'a str>,
    /// Every name listed in `required`.
    required: BTreeSet<&'a str>,
    /// Each `required` name with the pointer of its list, to report names that are no property.
    required_at: Vec<(String, &'a str)>,
    /// `additionalProperties`.
    additional: Additional<'a>,
}

#[derive(Default)]
enum Additional<'a> {
    /// Not said: other properties may appear, and are not kept.
    #[default]
    Unspecified,
    /// `false`.
    Forbidden,
    /// `true` or `{}`: other properties of any type, kept.
    Any,
    /// A schema for the values of the other properties, kept.
    Schema(Node<'a>),
}

impl<'a> Lowering<'a> {
    // ---- components ---------------------------------------------------------------------

    /// Every schema of `#/components/schemas` as a named type.
    pub(super) fn component_schemas(&mut self, api: &mut Api) {
        let (schemas, schema_types) = (Arc::clone(&self.schemas), Arc::clone(&self.schema_types));
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        let mut components = Vec::new();
        for (spec_name, node) in schemas.iter() {
            let rust_name = schema_types[spec_name].as_str();
            if let Some(other) = names.insert(rust_name, spec_name) {
                self.error(
                    &node.pointer,
                    format!(
                        "schemas `{other}` and `{spec_name}` both become the Rust type `{rust_name}`; rename one of them"
                    ),
                );
                continue;
            }
            components.push((*spec_name, node, rust_name));
        }
        // Each schema lowers on its own (`$ref`s are read, not lowered).
        let defs = self.in_parallel(&components, COMPONENTS_PER_JOB, |lowering, (spec_name, node, rust_name)| {
            lowering.current_component = Some(spec_name);
            let kind = lowering.component_kind(spec_name, node, rust_name);
            lowering.current_component = None;
            TypeDef {
                name: (*rust_name).to_owned(),
                spec_name: (*spec_name).to_owned(),
                pointers: vec![node.pointer.clone()],
                description: node.str("description").map(str::to_owned),
                deprecated: node.flag("deprecated"),
                kind,
            }
        });
        api.types.extend(defs.into_iter().map(|def| (def.name.clone(), def)));
    }

    fn component_kind(&mut self, spec_name: &'a str, node: &Node<'a>, rust_name: &str) -> TypeKind {
        if !self.expect_object(node, "a schema") {
            return TypeKind::Alias(TypeRef::Any);
        }
        if node.has("$ref") {
            // A component that is only a `$ref` is another name for its target.
            return TypeKind::Alias(self.schema(node, rust_name, None));
        }
        if node.has("discriminator") && !node.has("oneOf") && !node.has("anyOf") {
            if let Some(union) = self.discriminator_base(spec_name, node, rust_name) {
                return union;
            }
        }
        match self.schema_inner(node, rust_name, None) {
            TypeRef::Inline(inline) if inline.pointer == node.pointer => inline.kind,
            other => TypeKind::Alias(other),
        }
    }

    /// A schema with a `discriminator` and no `oneOf`, which its subtypes
    /// extend with `allOf`: a value of it is one of the subtypes, so it is a
    /// tagged union of them. `None` when it names no subtype.
    fn discriminator_base(&mut self, spec_name: &'a str, node: &Node<'a>, rust_name: &str) -> Option<TypeKind> {
        let discriminator = self.object_member(node, "discriminator")?;
        let property = self.string_member(&discriminator, "propertyName")?;
        let mut targets: Vec<(&'a str, Vec<String>, String)> = Vec::new();
        match self.object_member(&discriminator, "mapping") {
            Some(mapping) => {
                for (tag, target) in mapping.entries() {
                    let Some(name) = self.mapping_target(&target) else { continue };
                    if name == spec_name {
                        self.error(
                            &target.pointer,
                            format!("the discriminator value `{tag}` maps `{spec_name}` to itself"),
                        );
                        continue;
                    }
                    match targets.iter_mut().find(|(n, _, _)| *n == name) {
                        Some((_, tags, _)) => tags.push(tag.to_owned()),
                        None => targets.push((name, vec![tag.to_owned()], target.pointer.clone())),
                    }
                }
            }
            None => {
                // Implicit mapping: every schema that extends this one, by its own name.
                let reference = format!("{SCHEMAS}{}", crate::diagnostics::pointer_token(spec_name));
                for (name, schema) in self.schemas.iter() {
                    let extends = schema
                        .get("allOf")
                        .map(|all| all.items().iter().any(|member| member.str("$ref") == Some(reference.as_str())))
                        .unwrap_or(false);
                    if extends {
                        targets.push((name, vec![(*name).to_owned()], schema.pointer.clone()));
                    }
                }
            }
        }
        if targets.is_empty() {
            return None;
        }
        match self.tagged_union(property, targets, &node.pointer, rust_name, None) {
            TypeRef::Inline(inline) => Some(inline.kind),
            _ => None,
        }
    }

    /// The schema a discriminator mapping value names: `#/components/schemas/X` or `X`.
    fn mapping_target(&mut self, target: &Node<'a>) -> Option<&'a str> {
        let Some(text) = target.value.as_str() else {
            self.error(
                &target.pointer,
                format!("a discriminator mapping value must be a string, found {}", kind_of(target.value)),
            );
            return None;
        };
        let name = text.strip_prefix(SCHEMAS).unwrap_or(text);
        let found = self.schemas.get_key_value(&*unescape_token(name)).map(|(key, _)| *key);
        if found.is_none() {
            self.error(
                &target.pointer,
                format!("the discriminator maps to `{text}`, which is not a schema in {SCHEMAS}"),
            );
        }
        found
    }

    // ---- one schema ---------------------------------------------------------------------

    /// Lowers the schema at `node`. `hint` names it if it has to be hoisted;
    /// `property` is the property it sits under, which names enums.
    pub(super) fn schema(&mut self, node: &Node<'a>, hint: &str, property: Option<&str>) -> TypeRef {
        if !self.expect_object(node, "a schema") {
            return TypeRef::Any;
        }
        let nullable = self.bool_member(node, "nullable");
        if let Some(reference) = node.get("$ref") {
            let Some(text) = reference.value.as_str() else {
                self.error(&reference.pointer, format!("`$ref` must be a string, found {}", kind_of(reference.value)));
                return TypeRef::Any;
            };
            let target = self.schema_ref(text, &node.pointer);
            // OpenAPI 3.0 ignores a `$ref`'s siblings; `nullable` is honoured
            // anyway, since accepting `null` too cannot reject a valid value.
            let target_nullable = self.resolve_schema(node).is_some_and(|s| s.flag("nullable"));
            return if nullable || target_nullable { make_nullable(target) } else { target };
        }
        let inner = self.schema_inner(node, hint, property);
        if nullable {
            make_nullable(inner)
        } else {
            inner
        }
    }

    /// The schema without its `nullable`.
    fn schema_inner(&mut self, node: &Node<'a>, hint: &str, property: Option<&str>) -> TypeRef {
        let hint = naming::composed_type_name(hint);
        let hint = hint.as_str();
        if node.has("not") {
            self.error(&node.pointer_to("not"), "`not` schemas are not supported; describe the allowed values instead");
            return TypeRef::Any;
        }
        if node.has("allOf") {
            if let Some(keyword) = ["oneOf", "anyOf"].into_iter().find(|k| node.has(k)) {
                self.error(&node.pointer, format!("`allOf` together with `{keyword}` in one schema is not supported; move one of them into an `allOf` member's own schema"));
                return TypeRef::Any;
            }
            return self.all_of(node, hint, property);
        }
        if let Some(keyword) = ["oneOf", "anyOf"].into_iter().find(|k| node.has(k)) {
            return self.union(node, keyword, hint, property);
        }
        let description = self.string_member(node, "description").map(str::to_owned);
        let declared = match node.get("type") {
            None => None,
            Some(ty) => match ty.value.as_str() {
                Some(name @ ("string" | "integer" | "number" | "boolean" | "array" | "object")) => Some(name),
                Some(other) => {
                    self.error(&ty.pointer, format!("`type: {other}` is not an OpenAPI 3.0 type (string, integer, number, boolean, array or object)"));
                    return TypeRef::Any;
                }
                None => {
                    self.error(
                        &ty.pointer,
                        format!("`type` must be one type name, found {} (a list of types is OpenAPI 3.1; use `nullable: true` in 3.0)", kind_of(ty.value)),
                    );
                    return TypeRef::Any;
                }
            },
        };
        let format = self.string_member(node, "format");
        let ty = declared.or_else(|| {
            if node.has("properties") || node.has("additionalProperties") {
                Some("object")
            } else if node.has("items") {
                Some("array")
            } else if node
                .get("enum")
                .is_some_and(|e| e.value.as_array().is_some_and(|v| v.iter().all(|v| v.is_string() || v.is_null())))
            {
                Some("string")
            } else {
                None
            }
        });
        match ty {
            Some("string") => {
                if let Some(values) = node.get("enum") {
                    return match self.string_enum_values(&values) {
                        Some(values) => self.enumeration(values, &node.pointer, hint, property, description),
                        None => TypeRef::String,
                    };
                }
                match format {
                    Some("date-time") => TypeRef::DateTime,
                    _ => TypeRef::String,
                }
            }
            Some("integer") => match format {
                Some("int32") => TypeRef::Integer(IntegerKind::I32),
                _ => TypeRef::Integer(IntegerKind::I64),
            },
            Some("number") => TypeRef::Number,
            Some("boolean") => TypeRef::Boolean,
            Some("array") => {
                let items = match self.object_member(node, "items") {
                    Some(items) => {
                        let item_property = property.map(naming::singular);
                        self.schema(&items, &format!("{hint}Item"), item_property.as_deref())
                    }
                    None => TypeRef::Any,
                };
                TypeRef::Array(Box::new(items))
            }
            Some(_) => {
                let parts = self.object_parts(node, hint);
                self.build_object(parts, &node.pointer, hint, description)
            }
            None => TypeRef::Any,
        }
    }

    /// A `$ref` to a schema, as a named type.
    fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match reference.strip_prefix(SCHEMAS) {
            Some(name) if !name.contains('/') => {
                let name = unescape_token(name);
                match self.schema_types.get(&*name) {
                    Some(rust_name) => TypeRef::Named(rust_name.clone()),
                    None => {
                        self.error(pointer, format!("`$ref: {reference}` points to a schema that does not exist"));
                        TypeRef::Any
                    }
                }
            }
            _ if !reference.starts_with('#') => {
                self.error(
                    pointer,
                    format!("external `$ref: {reference}` is not supported; inline the referenced document"),
                );
                TypeRef::Any
            }
            _ => {
                self.error(pointer, format!("`$ref: {reference}` must point into {SCHEMAS}"));
                TypeRef::Any
            }
        }
    }

    /// The component schema a `$ref` chain starting at `node` ends in (or
    /// `node` itself); `None` when the chain is broken or a cycle.
    pub(super) fn resolve_schema(&self, node: &Node<'a>) -> Option<Node<'a>> {
        let mut current = node.clone();
        let mut seen = BTreeSet::new();
        while let Some(reference) = current.str("$ref") {
            let name = unescape_token(reference.strip_prefix(SCHEMAS)?);
            if !seen.insert(name.clone()) {
                return None;
            }
            current = self.schemas.get(&*name)?.clone();
        }
        Some(current)
    }

    /// The component name a `$ref` names, when it is a schema that exists.
    fn component_name(&self, reference: &str) -> Option<&'a str> {
        let name = unescape_token(reference.strip_prefix(SCHEMAS)?);
        self.schemas.keys().find(|key| **key == name).copied()
    }

    // ---- enums --------------------------------------------------------------------------

    /// The values of a string `enum`; `None` (with problems) when it is not one.
    fn string_enum_values(&mut self, values: &Node<'a>) -> Option<Vec<String>> {
        let Some(items) = values.value.as_array() else {
            self.error(&values.pointer, format!("`enum` must be an array, found {}", kind_of(values.value)));
            return None;
        };
        if items.is_empty() {
            self.error(&values.pointer, "`enum` must list at least one value");
            return None;
        }
        let mut strings = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(text) => strings.push(text.clone()),
                // `null` among the values goes with `nullable: true`.
                Value::Null => {}
                other => self.error(
                    &format!("{}/{index}", values.pointer),
                    format!("the enum value {other} of a string schema is not a string"),
                ),
            }
        }
        Some(strings)
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
        let suggested_name = naming::composed_type_name(&enum_name(&variants, hint, property));
        TypeRef::Inline(Box::new(InlineType {
            pointer: pointer.to_owned(),
            suggested_name,
            structural_name: naming::composed_type_name(hint),
            kind: TypeKind::Enum(variants),
            description,
        }))
    }

    // ---- objects ------------------------------------------------------------------------

    /// The properties, `required` and `additionalProperties` of one schema.
    fn object_parts(&mut self, node: &Node<'a>, hint: &str) -> ObjectParts<'a> {
        let mut parts = ObjectParts::default();
        if let Some(properties) = self.object_member(node, "properties") {
            for (name, property) in properties.entries() {
                parts.properties.insert(name, (property, hint.to_owned()));
            }
        }
        let required_pointer = node.pointer_to("required");
        for (index, item) in self.array_member(node, "required").into_iter().enumerate() {
            match item.value.as_str() {
                Some(name) => {
                    parts.required.insert(name);
                    parts.required_at.push((required_pointer.clone(), name));
                }
                None => self.error(
                    &format!("{required_pointer}/{index}"),
                    format!("`required` must list property names, found {}", kind_of(item.value)),
                ),
            }
        }
        parts.additional = match node.get("additionalProperties") {
            None => Additional::Unspecified,
            Some(additional) => match additional.value {
                Value::Bool(true) => Additional::Any,
                Value::Bool(false) => Additional::Forbidden,
                Value::Object(object)
                    if object.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")) =>
                {
                    Additional::Any
                }
                Value::Object(_) => Additional::Schema(additional),
                other => {
                    self.error(
                        &additional.pointer,
                        format!("`additionalProperties` must be a boolean or a schema, found {}", kind_of(other)),
                    );
                    Additional::Unspecified
                }
            },
        };
        parts
    }

    /// An object type from its parts: a map or free-form object without
    /// properties, else a struct (with the other properties flattened in
    /// when `additionalProperties` keeps them).
    fn build_object(
        &mut self,
        parts: ObjectParts<'a>,
        pointer: &str,
        hint: &str,
        description: Option<String>,
    ) -> TypeRef {
        if parts.properties.is_empty() {
            return match parts.additional {
                Additional::Schema(values) => {
                    TypeRef::Map(Box::new(self.schema(&values, &format!("{hint}Value"), None)))
                }
                _ => TypeRef::Object,
            };
        }
        let mut fields = Vec::with_capacity(parts.properties.len() + 1);
        let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
        for (wire_name, (property, prefix)) in &parts.properties {
            let rust_name = naming::field_name(wire_name);
            if let Some(other) = rust_names.insert(rust_name.clone(), wire_name) {
                self.error(
                    &property.pointer,
                    format!("properties `{other}` and `{wire_name}` both become the Rust field `{rust_name}`; rename one of them"),
                );
                continue;
            }
            // Only a schema that may become a type of its own needs a name.
            let property_hint = if may_become_a_type(property) {
                naming::composed_type_name(&format!("{prefix}{}", wire_name.to_upper_camel_case()))
            } else {
                String::new()
            };
            let ty = self.schema(property, &property_hint, Some(wire_name));
            let (ty, nullable) = match ty {
                TypeRef::Nullable(inner) => (*inner, true),
                other => (other, false),
            };
            let resolved = self.resolve_schema(property);
            let pattern = resolved
                .as_ref()
                .filter(|_| ty == TypeRef::String)
                .and_then(|schema| schema.str("pattern"))
                .map(str::to_owned);
            // A `$ref` property has no description of its own (OpenAPI 3.0
            // ignores siblings of `$ref`): document it with its target's.
            let description = property
                .str("description")
                .or_else(|| resolved.as_ref().and_then(|schema| schema.str("description")))
                .map(str::to_owned);
            fields.push(Field {
                wire_name: (*wire_name).to_owned(),
                rust_name,
                ty,
                required: parts.required.contains(wire_name),
                nullable,
                read_only: property.flag("readOnly"),
                description,
                pattern,
                deprecated: property.flag("deprecated"),
                boxed: false,
                flatten: false,
            });
        }
        let keeps_others = matches!(parts.additional, Additional::Any | Additional::Schema(_));
        for (list, name) in &parts.required_at {
            if !parts.properties.contains_key(name) && !keeps_others {
                self.error(list, format!("`{name}` is listed in `required` but is not among the `properties`; add the property or remove it from `required`"));
            }
        }
        let others = match parts.additional {
            Additional::Any => Some(TypeRef::Object),
            Additional::Schema(values) => {
                Some(TypeRef::Map(Box::new(self.schema(&values, &format!("{hint}Value"), None))))
            }
            Additional::Unspecified | Additional::Forbidden => None,
        };
        // Key order in the spec is not meaning: sort so output does not depend on it.
        fields.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        if let Some(ty) = others {
            let rust_name = ["additional_properties", "other_properties", "extra_properties"]
                .into_iter()
                .find(|name| !rust_names.contains_key(*name))
                .unwrap_or("additional_properties_map")
                .to_owned();
            fields.push(Field {
                wire_name: String::new(),
                rust_name,
                ty,
                required: true,
                nullable: false,
                read_only: false,
                description: Some("Properties beyond the ones above (`additionalProperties`).".to_owned()),
                pattern: None,
                deprecated: false,
                boxed: false,
                flatten: true,
            });
        }
        TypeRef::Inline(Box::new(InlineType {
            pointer: pointer.to_owned(),
            suggested_name: naming::composed_type_name(hint),
            structural_name: naming::composed_type_name(hint),
            kind: TypeKind::Struct(fields),
            description,
        }))
    }

    // ---- allOf --------------------------------------------------------------------------

    /// `allOf`: one `$ref` (with annotations beside it) is that type; objects
    /// are merged into one struct.
    fn all_of(&mut self, node: &Node<'a>, hint: &str, property: Option<&str>) -> TypeRef {
        let members = self.array_member(node, "allOf");
        let members: Vec<Node<'a>> =
            members.into_iter().filter(|m| self.expect_object(m, "an `allOf` member")).collect();
        let typed: Vec<&Node<'a>> = members.iter().filter(|m| !annotation_only(m.value)).collect();
        let own_structure = node.has("properties") || node.has("additionalProperties");
        if let [only] = typed.as_slice() {
            let extends_parent = self.resolve_schema(only).is_some_and(|target| self.is_parent_of_current(&target));
            if !own_structure && !extends_parent && (only.has("$ref") || !self.object_like(only)) {
                let ty = self.schema(only, hint, property);
                return ty;
            }
        }
        for member in &typed {
            if !self.object_like(member) {
                self.error(
                    &member.pointer,
                    "`allOf` can merge objects only, and this member is not one; describe the value with one schema instead",
                );
                return TypeRef::Any;
            }
        }
        let description = self.string_member(node, "description").map(str::to_owned);
        let mut parts = self.object_parts(node, hint);
        for member in &members {
            self.merge_member(&mut parts, member, hint);
        }
        self.build_object(parts, &node.pointer, hint, description)
    }

    /// Whether a schema (through `$ref`s) describes an object.
    fn object_like(&self, node: &Node<'a>) -> bool {
        let Some(schema) = self.resolve_schema(node) else { return true };
        match schema.str("type") {
            Some(ty) => ty == "object",
            None => {
                schema.has("properties")
                    || schema.has("additionalProperties")
                    || schema.has("required")
                    || schema.has("allOf")
                    || schema.has("discriminator")
                    || annotation_only(schema.value)
            }
        }
    }

    fn merge_member(&mut self, parts: &mut ObjectParts<'a>, member: &Node<'a>, hint: &str) {
        let Some(reference) = member.str("$ref") else {
            self.merge_schema(parts, member, hint);
            return;
        };
        let Some(name) = self.component_name(reference) else {
            // Reports the dangling or external reference.
            self.schema_ref(reference, &member.pointer);
            return;
        };
        if let Some(start) = self.merging.iter().position(|n| *n == name) {
            let mut cycle: Vec<&str> = self.merging[start..].to_vec();
            cycle.push(name);
            self.error(&member.pointer, format!("`allOf` cycle: {}", cycle.join(" → ")));
            return;
        }
        let Some(target) = self.schemas.get(name).cloned() else { return };
        if !self.expect_object(&target, "a schema") {
            return;
        }
        self.merging.push(name);
        self.merge_schema(parts, &target, &naming::type_name(name));
        self.merging.pop();
    }

    fn merge_schema(&mut self, parts: &mut ObjectParts<'a>, schema: &Node<'a>, hint: &str) {
        if let Some(reference) = schema.get("$ref") {
            if reference.value.is_string() {
                self.merge_member(parts, schema, hint);
            } else {
                self.error(&reference.pointer, format!("`$ref` must be a string, found {}", kind_of(reference.value)));
            }
            return;
        }
        if schema.has("not") {
            self.error(
                &schema.pointer_to("not"),
                "`not` schemas are not supported; describe the allowed values instead",
            );
        }
        let is_parent = self.is_parent_of_current(schema);
        if let Some(keyword) = ["oneOf", "anyOf"].into_iter().find(|k| schema.has(k)) {
            // The parent of a polymorphic family: its subtypes `allOf` it for
            // its properties, not for its `oneOf` (which lists them).
            if !is_parent {
                self.error(
                    &schema.pointer_to(keyword),
                    format!("an `allOf` member with `{keyword}` is not supported; merge the alternatives into the schemas that use them"),
                );
            }
        }
        for member in self.array_member(schema, "allOf") {
            if self.expect_object(&member, "an `allOf` member") {
                self.merge_member(parts, &member, hint);
            }
        }
        let own = self.object_parts(schema, hint);
        for (name, (property, prefix)) in own.properties {
            match parts.properties.get(name) {
                None => {
                    parts.properties.insert(name, (property, prefix));
                    if is_parent {
                        parts.inherited.insert(name);
                    }
                }
                Some((existing, _)) => {
                    if shape(existing.value) == shape(property.value) || annotation_only(property.value) || is_parent {
                        continue;
                    }
                    if annotation_only(existing.value) || parts.inherited.remove(name) {
                        // A subtype's own definition is the more specific one.
                        parts.properties.insert(name, (property, prefix));
                        continue;
                    }
                    let first = existing.pointer.clone();
                    self.error(
                        &property.pointer,
                        format!("`allOf` members give the property `{name}` different types, here and at #{first}; make them agree"),
                    );
                }
            }
        }
        parts.required.extend(own.required);
        parts.required_at.extend(own.required_at);
        match (&parts.additional, own.additional) {
            (_, Additional::Unspecified) => {}
            (Additional::Schema(existing), Additional::Schema(other))
                if shape(existing.value) != shape(other.value) =>
            {
                self.error(
                    &other.pointer,
                    "`allOf` members give `additionalProperties` different types; make them agree",
                );
            }
            (Additional::Schema(_), _) => {}
            (_, other) => parts.additional = other,
        }
    }

    /// Whether `schema` is the parent of a polymorphic family that the
    /// component being lowered belongs to: it lists the component in its
    /// `oneOf`/`anyOf` or discriminator mapping.
    fn is_parent_of_current(&self, schema: &Node<'a>) -> bool {
        let Some(current) = self.current_component else { return false };
        let reference = format!("{SCHEMAS}{}", crate::diagnostics::pointer_token(current));
        let listed = ["oneOf", "anyOf"].into_iter().any(|keyword| {
            schema
                .get(keyword)
                .is_some_and(|members| members.items().iter().any(|m| m.str("$ref") == Some(reference.as_str())))
        });
        let mapped = schema.get("discriminator").and_then(|d| d.get("mapping")).is_some_and(|mapping| {
            mapping
                .entries()
                .iter()
                .any(|(_, target)| target.value.as_str().is_some_and(|t| t == reference || t == current))
        });
        listed || mapped
    }

    /// The names of the properties a schema has, through `$ref`s and `allOf`.
    fn property_names(&self, node: &Node<'a>, seen: &mut BTreeSet<String>) -> BTreeSet<&'a str> {
        let mut names = BTreeSet::new();
        let mut current = node.clone();
        if let Some(reference) = node.str("$ref") {
            let Some(name) = self.component_name(reference) else { return names };
            if !seen.insert(name.to_owned()) {
                return names;
            }
            let Some(target) = self.schemas.get(name) else { return names };
            current = target.clone();
        }
        if let Some(properties) = current.get("properties") {
            names.extend(properties.entries().into_iter().map(|(name, _)| name));
        }
        if let Some(members) = current.get("allOf") {
            for member in members.items() {
                names.extend(self.property_names(&member, seen));
            }
        }
        names
    }

    // ---- oneOf / anyOf ------------------------------------------------------------------

    fn union(&mut self, node: &Node<'a>, keyword: &str, hint: &str, property: Option<&str>) -> TypeRef {
        let members = self.array_member(node, keyword);
        let members: Vec<Node<'a>> =
            members.into_iter().filter(|m| self.expect_object(m, &format!("a `{keyword}` member"))).collect();
        if members.is_empty() {
            self.error(&node.pointer_to(keyword), format!("`{keyword}` must list at least one schema"));
            return TypeRef::Any;
        }
        let description = self.string_member(node, "description").map(str::to_owned);
        if let Some(properties) = self.object_member(node, "properties") {
            // Allowed when every member has them anyway (a family whose
            // members extend the parent): the members are the whole story.
            let own: Vec<&str> = properties.entries().into_iter().map(|(name, _)| name).collect();
            for member in &members {
                let has = self.property_names(member, &mut BTreeSet::new());
                let missing: Vec<&str> = own.iter().copied().filter(|name| !has.contains(name)).collect();
                if !missing.is_empty() {
                    self.error(
                        &member.pointer,
                        format!(
                            "`properties` beside `{keyword}` are supported only when every member has them, and this member lacks `{}`; move them into the members",
                            missing.join("`, `")
                        ),
                    );
                    return TypeRef::Any;
                }
            }
        }
        if let [only] = members.as_slice() {
            return self.schema(only, hint, property);
        }

        // Alternatives that are all string enums are one enum with every value.
        let enum_values: Option<Vec<Vec<String>>> = members
            .iter()
            .map(|member| {
                let schema = self.resolve_schema(member)?;
                let is_string = schema.str("type").is_none_or(|t| t == "string");
                let values = schema.get("enum")?.value.as_array()?;
                let strings: Option<Vec<String>> =
                    values.iter().filter(|v| !v.is_null()).map(|v| v.as_str().map(str::to_owned)).collect();
                strings.filter(|s| is_string && !s.is_empty())
            })
            .collect();
        if let Some(groups) = enum_values {
            let mut values: Vec<String> = Vec::new();
            for value in groups.into_iter().flatten() {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
            return self.enumeration(values, &node.pointer, hint, property, description);
        }

        if let Some(discriminator) = self.object_member(node, "discriminator") {
            let Some(property_name) = self.string_member(&discriminator, "propertyName") else {
                self.error(&discriminator.pointer, "a `discriminator` needs a `propertyName`");
                return TypeRef::Any;
            };
            let mut targets: Vec<(&'a str, Vec<String>, String)> = Vec::new();
            for member in &members {
                let Some(reference) = member.str("$ref") else {
                    self.error(
                        &member.pointer,
                        format!("with a `discriminator`, every `{keyword}` member must be a `$ref` to a schema"),
                    );
                    return TypeRef::Any;
                };
                let Some(name) = self.component_name(reference) else {
                    return self.schema_ref(reference, &member.pointer);
                };
                if !targets.iter().any(|(n, _, _)| *n == name) {
                    targets.push((name, Vec::new(), member.pointer.clone()));
                }
            }
            if let Some(mapping) = self.object_member(&discriminator, "mapping") {
                for (tag, target) in mapping.entries() {
                    let Some(name) = self.mapping_target(&target) else { continue };
                    match targets.iter_mut().find(|(n, _, _)| *n == name) {
                        Some((_, tags, _)) => tags.push(tag.to_owned()),
                        None => targets.push((name, vec![tag.to_owned()], target.pointer.clone())),
                    }
                }
            }
            for (name, tags, _) in &mut targets {
                if tags.is_empty() {
                    tags.push((*name).to_owned());
                }
            }
            return self.tagged_union(property_name, targets, &node.pointer, hint, description);
        }

        let mut variants: Vec<Variant> = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let ty = self.schema(member, &format!("{hint}Variant{}", index + 1), None);
            variants.push(Variant { rust_name: variant_name_of(&ty), ty, tags: Vec::new(), boxed: false });
        }
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for variant in &variants {
            *counts.entry(variant.rust_name.clone()).or_default() += 1;
        }
        for (index, variant) in variants.iter_mut().enumerate() {
            if counts[&variant.rust_name] > 1 {
                variant.rust_name = format!("{}{}", variant.rust_name, index + 1);
            }
        }
        TypeRef::Inline(Box::new(InlineType {
            pointer: node.pointer.clone(),
            suggested_name: naming::composed_type_name(hint),
            structural_name: naming::composed_type_name(hint),
            kind: TypeKind::Union(Union { discriminator: None, variants }),
            description,
        }))
    }

    /// A union told apart by the value of `property`: each target schema
    /// with the values that select it.
    fn tagged_union(
        &mut self,
        property: &str,
        targets: Vec<(&'a str, Vec<String>, String)>,
        pointer: &str,
        hint: &str,
        description: Option<String>,
    ) -> TypeRef {
        for (name, _, target_pointer) in &targets {
            let Some(schema) = self.schemas.get(name).cloned() else { continue };
            let has = self.property_names(&schema, &mut BTreeSet::from([(*name).to_owned()]));
            if !has.contains(property) {
                self.error(
                    target_pointer,
                    format!("`{name}` is an alternative told apart by `{property}`, but has no property `{property}`"),
                );
            }
        }
        let by_tag = targets.iter().all(|(_, tags, _)| tags.len() == 1);
        let mut names: Vec<String> = targets
            .iter()
            .map(|(name, tags, _)| if by_tag { naming::variant_name(&tags[0]) } else { naming::type_name(name) })
            .collect();
        let distinct: BTreeSet<&String> = names.iter().collect();
        if distinct.len() < names.len() {
            names = targets.iter().map(|(name, _, _)| naming::type_name(name)).collect();
        }
        let variants = targets
            .into_iter()
            .zip(names)
            .map(|((name, tags, _), rust_name)| Variant {
                rust_name,
                ty: TypeRef::Named(naming::type_name(name)),
                tags,
                boxed: false,
            })
            .collect();
        TypeRef::Inline(Box::new(InlineType {
            pointer: pointer.to_owned(),
            suggested_name: naming::composed_type_name(hint),
            structural_name: naming::composed_type_name(hint),
            kind: TypeKind::Union(Union { discriminator: Some(property.to_owned()), variants }),
            description,
        }))
    }
}

/// `ty` that may also be `null`.
fn make_nullable(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Any | TypeRef::Nullable(_) => ty,
        other => TypeRef::Nullable(Box::new(other)),
    }
}

/// Whether a schema only annotates (no type, no structure).
fn annotation_only(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|object| object.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")))
}

/// What decides a schema's Rust type, for comparing two schemas of one
/// property: everything but annotations.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
                .map(|(k, v)| (k.clone(), if k == "enum" { v.clone() } else { shape(v) }))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        other => other.clone(),
    }
}

/// The variant name of an untagged alternative: its type's name.
fn variant_name_of(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Inline(inline) => inline.suggested_name.clone(),
        TypeRef::String => "String".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Boolean => "Boolean".to_owned(),
        TypeRef::Integer(_) => "Integer".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Array(_) => "Array".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Object => "Object".to_owned(),
        TypeRef::Any => "Value".to_owned(),
        TypeRef::Nullable(inner) => variant_name_of(inner),
    }
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

/// Whether lowering `node` may hoist a type that needs a name: anything but
/// a `$ref` (its target has one) or a plain scalar.
fn may_become_a_type(node: &Node<'_>) -> bool {
    let scalar = matches!(node.str("type"), Some("string" | "integer" | "number" | "boolean"))
        && !["enum", "oneOf", "anyOf", "allOf", "not", "properties", "items", "additionalProperties"]
            .iter()
            .any(|key| node.has(key));
    !node.has("$ref") && !scalar
}
