//! The API a generated crate exposes, as data: operations with their
//! parameters and resource versions, types with their properties and values,
//! releases. It is what the change report compares; the generated crate
//! keeps it in `api.json` (see [`crate::record`]), so that the next
//! regeneration knows what changed without git.
//!
//! Descriptions are left out: they change no API. Pointers are kept to say
//! where a change is, and are not compared.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ir::{self, Api, ParameterLocation, SuccessBody, TypeKind};

/// The public API of a generated crate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surface {
    /// The API releases with a module, oldest first.
    pub releases: Vec<String>,
    /// Operations by Rust name.
    pub operations: BTreeMap<String, Operation>,
    /// Types by Rust name.
    pub types: BTreeMap<String, Type>,
    /// Validated ids by Rust name.
    pub ids: BTreeMap<String, Id>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// `operationId`.
    pub operation_id: String,
    /// HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Where it is in the spec.
    pub pointer: String,
    /// `deprecated: true`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Parameters by place and wire name: `query:username`.
    pub parameters: BTreeMap<String, Parameter>,
    /// The parameters endpoint functions take as arguments, in order.
    pub arguments: Vec<String>,
    /// The struct of its optional parameters, if it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Resource versions by date.
    pub versions: BTreeMap<String, Version>,
    /// The type of error bodies.
    pub errors: String,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Whether the caller must give it.
    pub required: bool,
    /// Its type; an id type's name for a patterned path parameter.
    #[serde(rename = "type")]
    pub ty: String,
    /// Where it is in the spec.
    pub pointer: String,
    /// What the spec says of it that no type shows.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

/// One resource version of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// Media type of requests and answers.
    pub media_type: String,
    /// Where its success media type is in the spec.
    pub pointer: String,
    /// The request body's type, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Body>,
    /// The documented success status.
    pub status: u16,
    /// The success body: a type, `type?` when a success may have none,
    /// `none`, or `raw` (not JSON).
    pub response: String,
    /// Set when the API deprecates the operation at this version.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// When the version is removed, if announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Its type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the caller must send one.
    pub required: bool,
}

/// One named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Type {
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: String,
    /// Where it is in the spec.
    pub pointer: String,
    /// `deprecated: true`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// What the spec says of it that no type shows.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// A struct's properties, by wire name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Property>,
    /// The type of a struct's other properties, when it keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub others: Option<String>,
    /// An enum's values on the wire, with their variants.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
    /// A union's discriminator property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// A union's alternatives, by variant name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, Variant>,
    /// What an alias names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// Its type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Listed in `required`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// `nullable: true`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// `deprecated: true`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The Rust field.
    pub field: String,
    /// The Rust field is boxed, to break a cycle.
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
    /// Where it is in the spec.
    pub pointer: String,
    /// What the spec says of it that no type shows.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

impl Property {
    /// Whether the Rust field is an `Option`.
    pub fn is_option(&self) -> bool {
        !self.required || self.nullable
    }
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Its type.
    #[serde(rename = "type")]
    pub ty: String,
    /// The discriminator values that select it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Boxed, to break a cycle.
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
}

/// Schema keywords of a type, property or parameter that the generated
/// types do not show (`maxLength`, `pattern`, a string's `format`, …),
/// by keyword; an array's item keywords as `items.<keyword>`.
pub type Constraints = BTreeMap<String, serde_json::Value>;

/// A validated id type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Id {
    /// The pattern values must match.
    pub pattern: String,
    /// Where its first parameter is in the spec.
    pub pointer: String,
}

fn is_false(flag: &bool) -> bool {
    !flag
}

/// The key of a parameter among an operation's: its place and wire name.
pub fn parameter_key(location: ParameterLocation, name: &str) -> String {
    let place = match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
    };
    format!("{place}:{name}")
}

impl Surface {
    /// The surface of an API generated from `document`, which the
    /// constraints are read from.
    pub fn of(api: &Api, document: &Value) -> Surface {
        let read = Reader { document, type_pointers: api.types.iter().flat_map(|def| &def.pointers).collect() };
        let releases = api.releases.iter().map(|release| release.date.to_string()).collect();
        let operations = api.operations.iter().map(|op| (op.rust_name.clone(), read.operation(op))).collect();
        let types = api.types.iter().map(|def| (def.name.clone(), read.named_type(def))).collect();
        let ids = api
            .ids
            .iter()
            .map(|id| (id.name.clone(), Id { pattern: id.pattern.clone(), pointer: id.pointers[0].clone() }))
            .collect();
        Surface { releases, operations, types, ids }
    }

    /// The releases at which `operation` sends resource version `date`.
    pub fn releases_sending(&self, operation: &Operation, date: &str) -> Vec<String> {
        self.releases
            .iter()
            .filter(|release| operation.version_at(release).is_some_and(|(sent, _)| sent == date))
            .cloned()
            .collect()
    }

    /// The releases at which `operation` exists.
    pub fn releases_with(&self, operation: &Operation) -> Vec<String> {
        self.releases.iter().filter(|release| operation.version_at(release).is_some()).cloned().collect()
    }
}

impl Operation {
    /// The resource version sent at `release`: the newest not after it.
    pub fn version_at(&self, release: &str) -> Option<(&str, &Version)> {
        self.versions
            .range::<str, _>((Bound::Unbounded, Bound::Included(release)))
            .next_back()
            .map(|(date, version)| (date.as_str(), version))
    }
}

/// Reads what the IR leaves out from the spec.
struct Reader<'a> {
    document: &'a Value,
    /// Where named types come from: a property that is one carries no
    /// constraints of its own (the type does).
    type_pointers: BTreeSet<&'a String>,
}

/// Keywords the generated types show, or that only document.
const SHOWN: &[&str] = &[
    "$ref",
    "additionalProperties",
    "allOf",
    "anyOf",
    "deprecated",
    "description",
    "discriminator",
    "enum",
    "example",
    "examples",
    "externalDocs",
    "items",
    "nullable",
    "oneOf",
    "properties",
    "required",
    "title",
    "type",
];

/// Keywords of a parameter object the generated code shows, or that only
/// document; the rest of the object and of its schema are constraints.
const PARAMETER_SHOWN: &[&str] = &["description", "example", "examples", "in", "name", "required", "schema"];

impl Reader<'_> {
    /// A parameter object: the one at `pointer`, or the shared one it refers to.
    fn parameter(&self, pointer: &str) -> Option<&Value> {
        let node = self.document.pointer(pointer)?;
        match node.get("$ref").and_then(Value::as_str).and_then(|target| target.strip_prefix('#')) {
            Some(target) => self.document.pointer(target),
            None => Some(node),
        }
    }

    /// The constraints of a schema, and of its items.
    fn schema_constraints(&self, pointer: &str) -> Constraints {
        self.constraints(self.document.pointer(pointer), SHOWN, "items")
    }

    /// The constraints of a parameter, and of its schema.
    fn parameter_constraints(&self, pointer: &str) -> Constraints {
        self.constraints(self.parameter(pointer), PARAMETER_SHOWN, "schema")
    }

    /// The keywords of `node` not in `shown`, and those of its schema under
    /// `inner` (unless a reference), as `inner.keyword`.
    fn constraints(&self, node: Option<&Value>, shown: &[&str], inner: &str) -> Constraints {
        let mut constraints = Constraints::new();
        if let Some(node) = node {
            collect(node, "", shown, &mut constraints);
            if let Some(schema) = node.get(inner).filter(|schema| schema.get("$ref").is_none()) {
                collect(schema, &format!("{inner}."), SHOWN, &mut constraints);
            }
        }
        constraints
    }

    fn operation(&self, op: &ir::Operation) -> Operation {
        let parameters = op
            .parameters
            .iter()
            .map(|p| {
                let mut constraints = self.parameter_constraints(&p.pointer);
                if p.id_type.is_some() {
                    // The id type's pattern, compared with the id types.
                    constraints.remove("schema.pattern");
                }
                let parameter = Parameter {
                    required: p.required,
                    ty: p.id_type.clone().unwrap_or_else(|| p.ty.to_string()),
                    pointer: p.pointer.clone(),
                    constraints,
                };
                (parameter_key(p.location, &p.wire_name), parameter)
            })
            .collect();
        let versions = op
            .versions
            .iter()
            .map(|v| {
                let response = match &v.response.body {
                    SuccessBody::Empty => "none".to_owned(),
                    SuccessBody::Json(ty) => ty.to_string(),
                    SuccessBody::JsonOrEmpty(ty) => format!("{ty}?"),
                    SuccessBody::Raw => "raw".to_owned(),
                };
                let version = Version {
                    media_type: v.media_type.clone(),
                    pointer: v.pointer.clone(),
                    request: v.request.as_ref().map(|r| Body { ty: r.ty.to_string(), required: r.required }),
                    status: v.response.status,
                    response,
                    deprecated: v.deprecation.is_some(),
                    sunset: v.deprecation.and_then(|d| d.sunset).map(|date| date.to_string()),
                };
                (v.date.to_string(), version)
            })
            .collect();
        Operation {
            operation_id: op.operation_id.clone(),
            method: op.method.as_str().to_owned(),
            path: op.path.clone(),
            pointer: op.pointer.clone(),
            deprecated: op.deprecated,
            parameters,
            arguments: op.arguments().map(|p| parameter_key(p.location, &p.wire_name)).collect(),
            query: op.query_struct.clone(),
            versions,
            errors: op.error_type.to_string(),
        }
    }

    fn named_type(&self, def: &ir::TypeDef) -> Type {
        let pointer = def.pointers[0].clone();
        let mut ty = Type {
            kind: String::new(),
            constraints: self.schema_constraints(&pointer),
            pointer,
            deprecated: def.deprecated,
            properties: BTreeMap::new(),
            others: None,
            values: BTreeMap::new(),
            discriminator: None,
            variants: BTreeMap::new(),
            alias: None,
        };
        match &def.kind {
            TypeKind::Struct(object) => {
                ty.kind = "struct".to_owned();
                ty.properties =
                    object.fields.iter().map(|field| (field.wire_name.clone(), self.property(field))).collect();
                ty.others = object.others.as_ref().map(|others| others.values.to_string());
            }
            TypeKind::Enum(values) => {
                ty.kind = "enum".to_owned();
                ty.values = values.values.iter().map(|value| (value.wire.clone(), value.rust_name.clone())).collect();
            }
            TypeKind::Union(union) => {
                ty.kind = "union".to_owned();
                ty.discriminator = union.discriminator.clone();
                ty.variants = union
                    .variants
                    .iter()
                    .map(|v| {
                        let variant = Variant { ty: v.ty.to_string(), tags: v.tags.clone(), boxed: v.boxed };
                        (v.rust_name.clone(), variant)
                    })
                    .collect();
            }
            TypeKind::Alias(target) => {
                ty.kind = "alias".to_owned();
                ty.alias = Some(target.to_string());
            }
        }
        ty
    }

    fn property(&self, field: &ir::Field) -> Property {
        let constraints = if self.type_pointers.contains(&field.pointer) {
            Constraints::new()
        } else {
            self.schema_constraints(&field.pointer)
        };
        Property {
            ty: field.ty.to_string(),
            required: field.required,
            nullable: field.nullable,
            deprecated: field.deprecated,
            field: field.rust_name.clone(),
            boxed: field.boxed,
            pointer: field.pointer.clone(),
            constraints,
        }
    }
}

/// Adds the keywords of `node` not in `shown` to `constraints`, prefixed.
/// Vendor extensions (`x-…`) are left out: they are not part of the
/// contract OpenAPI describes. So is a `format` the type already shows.
fn collect(node: &Value, prefix: &str, shown: &[&str], constraints: &mut Constraints) {
    let Some(object) = node.as_object() else { return };
    let format_shown = object.get("type").and_then(Value::as_str) == Some("integer")
        || object.get("format").and_then(Value::as_str) == Some("date-time");
    for (keyword, value) in object {
        if shown.contains(&keyword.as_str()) || keyword.starts_with("x-") || (keyword == "format" && format_shown) {
            continue;
        }
        constraints.insert(format!("{prefix}{keyword}"), value.clone());
    }
}

/// The named types a type of the notation refers to: its words that start
/// with a capital (`[OrgRole]` → `OrgRole`).
pub fn named_types(ty: &str) -> impl Iterator<Item = &str> {
    ty.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
}
