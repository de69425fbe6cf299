//! Schemas → types.
//!
//! Supported: the primitive types with their formats (`int32` → `i32`,
//! `int64` or none → `i64`, `date-time` → a timestamp; `minimum` never
//! changes a type), string enums, arrays (of arrays too), objects, maps
//! (`additionalProperties`, alone or beside `properties`), free-form objects,
//! `nullable`, and `$ref`s into `#/components/schemas`. Composition
//! (`allOf`, `oneOf`, `anyOf`, discriminators) is in the `compose` module.
//!
//! Refused with a diagnostic: `not`, and keywords of the wrong type.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::node::{kind_of, Node};
use super::refs::Section;
use super::Lowering;
use crate::ir::*;
use crate::naming;

/// A type as lowering has it: inline schemas are not named yet.
pub(super) type Ty = Type<Target>;

/// Keywords that only annotate or constrain a value without saying what type
/// it is: a schema of these alone refines another (in `allOf`) rather than
/// defining one.
pub(super) const ANNOTATIONS: &[&str] = &[
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

/// The properties, `required` names and `additionalProperties` of one
/// object, or of several merged by `allOf`.
#[derive(Default)]
pub(super) struct ObjectParts<'a> {
    /// Wire name → the property's schema and the name its inline types start with.
    pub(super) properties: BTreeMap<&'a str, (Node<'a>, String)>,
    /// Properties inherited from the parent of a polymorphic family, which a
    /// subtype may redefine with its own, more specific type.
    pub(super) inherited: BTreeSet<&'a str>,
    /// Every name listed in `required`.
    pub(super) required: BTreeSet<&'a str>,
    /// Each `required` name with the pointer of its list, to report names that are no property.
    pub(super) required_at: Vec<(String, &'a str)>,
    /// `additionalProperties`.
    pub(super) additional: Additional<'a>,
}

#[derive(Default)]
pub(super) enum Additional<'a> {
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

/// An inline schema as a type that the hoisting pass will name.
pub(super) fn inline(
    pointer: &str,
    suggested_name: String,
    hint: &str,
    kind: TypeKind<Target>,
    description: Option<String>,
) -> Ty {
    Type::Named(Target::Inline(Box::new(InlineType {
        pointer: pointer.to_owned(),
        suggested_name,
        structural_name: naming::composed_type_name(hint),
        kind,
        description,
    })))
}

impl<'a> Lowering<'a> {
    // ---- components ---------------------------------------------------------------------

    /// Every schema of `#/components/schemas` as a named type, in name order.
    pub(super) fn component_schemas(&mut self) -> Vec<TypeDef<Target>> {
        let schemas: Vec<(&'a str, Node<'a>)> =
            self.components.schemas.iter().map(|(name, node)| (*name, node.clone())).collect();
        let mut defs = Vec::with_capacity(schemas.len());
        for (spec_name, node) in schemas {
            let rust_name = self.schema_types[spec_name].clone();
            self.current_component = Some(spec_name);
            let kind = self.component_kind(spec_name, &node, &rust_name);
            self.current_component = None;
            defs.push(TypeDef {
                name: rust_name,
                spec_name: spec_name.to_owned(),
                pointers: vec![node.pointer.clone()],
                description: node.str("description").map(str::to_owned),
                deprecated: node.flag("deprecated"),
                inline: false,
                kind,
            });
        }
        defs
    }

    fn component_kind(&mut self, spec_name: &'a str, node: &Node<'a>, rust_name: &str) -> TypeKind<Target> {
        if !self.expect_object(node, "a schema") {
            return TypeKind::Alias(Type::Any);
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
            Type::Named(Target::Inline(inline)) if inline.pointer == node.pointer => inline.kind,
            other => TypeKind::Alias(other),
        }
    }

    // ---- one schema ---------------------------------------------------------------------

    /// Lowers the schema at `node`. `hint` names it if it has to be hoisted;
    /// `property` is the property it sits under, which names enums.
    pub(super) fn schema(&mut self, node: &Node<'a>, hint: &str, property: Option<&str>) -> Ty {
        if !self.expect_object(node, "a schema") {
            return Type::Any;
        }
        let nullable = self.bool_member(node, "nullable");
        if let Some(reference) = self.reference(node) {
            let Ok(reference) = reference else { return Type::Any };
            let target = self.schema_ref(reference, &node.pointer);
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
    pub(super) fn schema_inner(&mut self, node: &Node<'a>, hint: &str, property: Option<&str>) -> Ty {
        let hint = naming::composed_type_name(hint);
        let hint = hint.as_str();
        if node.has("not") {
            self.error(&node.pointer_to("not"), "`not` schemas are not supported; describe the allowed values instead");
            return Type::Any;
        }
        if node.has("allOf") {
            if let Some(keyword) = ["oneOf", "anyOf"].into_iter().find(|k| node.has(k)) {
                self.error(&node.pointer, format!("`allOf` together with `{keyword}` in one schema is not supported; move one of them into an `allOf` member's own schema"));
                return Type::Any;
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
                    return Type::Any;
                }
                None => {
                    self.error(
                        &ty.pointer,
                        format!("`type` must be one type name, found {} (a list of types is OpenAPI 3.1; use `nullable: true` in 3.0)", kind_of(ty.value)),
                    );
                    return Type::Any;
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
                        Some(values) => enumeration(values, &node.pointer, hint, property, description),
                        None => Type::String,
                    };
                }
                match format {
                    Some("date-time") => Type::DateTime,
                    _ => Type::String,
                }
            }
            Some("integer") => match format {
                Some("int32") => Type::Integer(IntegerKind::I32),
                _ => Type::Integer(IntegerKind::I64),
            },
            Some("number") => Type::Number,
            Some("boolean") => Type::Boolean,
            Some("array") => {
                let items = match self.object_member(node, "items") {
                    Some(items) => {
                        let item_property = property.map(naming::singular);
                        self.schema(&items, &format!("{hint}Item"), item_property.as_deref())
                    }
                    None => Type::Any,
                };
                Type::Array(Box::new(items))
            }
            Some(_) => {
                let parts = self.object_parts(node, hint);
                self.build_object(parts, &node.pointer, hint, description)
            }
            None => Type::Any,
        }
    }

    /// A `$ref` to a schema, as a named type.
    pub(super) fn schema_ref(&mut self, reference: &str, pointer: &str) -> Ty {
        match self.target(Section::Schemas, reference, pointer) {
            Some((name, _)) => Type::Named(Target::Schema(self.schema_types[name].clone())),
            None => Type::Any,
        }
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

    // ---- objects ------------------------------------------------------------------------

    /// The properties, `required` and `additionalProperties` of one schema.
    pub(super) fn object_parts(&mut self, node: &Node<'a>, hint: &str) -> ObjectParts<'a> {
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
                Value::Object(_) if annotation_only(additional.value) => Additional::Any,
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
    /// properties, else a struct (with a map of the other properties when
    /// `additionalProperties` keeps them).
    pub(super) fn build_object(
        &mut self,
        parts: ObjectParts<'a>,
        pointer: &str,
        hint: &str,
        description: Option<String>,
    ) -> Ty {
        if parts.properties.is_empty() {
            return match parts.additional {
                Additional::Schema(values) => Type::Map(Box::new(self.schema(&values, &format!("{hint}Value"), None))),
                _ => Type::Object,
            };
        }
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, (property, prefix)) in &parts.properties {
            // Only a schema that may become a type of its own needs a name.
            let property_hint = if may_become_a_type(property) {
                naming::composed_type_name(&format!("{prefix}{}", wire_name.to_upper_camel_case()))
            } else {
                String::new()
            };
            let (ty, nullable) = match self.schema(property, &property_hint, Some(wire_name)) {
                Type::Nullable(inner) => (*inner, true),
                other => (other, false),
            };
            let resolved = self.resolve_schema(property);
            let pattern = resolved
                .as_ref()
                .filter(|_| ty == Type::String)
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
                rust_name: naming::field_name(wire_name),
                pointer: property.pointer.clone(),
                ty,
                required: parts.required.contains(wire_name),
                nullable,
                read_only: property.flag("readOnly"),
                description,
                pattern,
                deprecated: property.flag("deprecated"),
                boxed: false,
            });
        }
        let keeps_others = matches!(parts.additional, Additional::Any | Additional::Schema(_));
        for (list, name) in &parts.required_at {
            if !parts.properties.contains_key(name) && !keeps_others {
                self.error(list, format!("`{name}` is listed in `required` but is not among the `properties`; add the property or remove it from `required`"));
            }
        }
        let values = match parts.additional {
            Additional::Any => Some(Type::Any),
            Additional::Schema(values) => Some(self.schema(&values, &format!("{hint}Value"), None)),
            Additional::Unspecified | Additional::Forbidden => None,
        };
        let others = values.map(|values| OtherProperties {
            rust_name: naming::others_field(fields.iter().map(|field| field.rust_name.as_str())),
            values,
        });
        inline(
            pointer,
            naming::composed_type_name(hint),
            hint,
            TypeKind::Struct(Struct { fields, others }),
            description,
        )
    }
}

/// A string enum of `values`, named after the property it sits under.
fn enumeration(
    values: Vec<String>,
    pointer: &str,
    hint: &str,
    property: Option<&str>,
    description: Option<String>,
) -> Ty {
    let values: Vec<EnumValue> =
        values.into_iter().map(|wire| EnumValue { rust_name: naming::variant_name(&wire), wire }).collect();
    let suggested_name = naming::enum_name(values.iter().map(|v| v.wire.as_str()), hint, property);
    let fallback = naming::fallback_variant(values.iter().map(|v| v.rust_name.as_str()));
    inline(pointer, suggested_name, hint, TypeKind::Enum(Enum { values, fallback }), description)
}

/// `ty` that may also be `null`.
pub(super) fn make_nullable(ty: Ty) -> Ty {
    match ty {
        Type::Any | Type::Nullable(_) => ty,
        other => Type::Nullable(Box::new(other)),
    }
}

/// Whether a schema only annotates (no type, no structure).
pub(super) fn annotation_only(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|object| object.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")))
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
