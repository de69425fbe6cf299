//! Composed schemas: `allOf` (merged into one object), `oneOf`/`anyOf` (a
//! union of string enums is one enum, a `discriminator` gives a tagged union,
//! as does a `discriminator` base that its subtypes `allOf` back to, and
//! otherwise an untagged union tried in order).
//!
//! Refused with a diagnostic: `allOf` members that cannot be merged (objects
//! with a primitive, properties whose types disagree, `allOf` cycles), and
//! `properties` beside a `oneOf` that some member lacks.

use std::collections::BTreeSet;

use serde_json::Value;

use super::node::{kind_of, Node};
use super::schema::{annotation_only, inline, Additional, ObjectParts, Ty, ANNOTATIONS};
use super::{unescape_token, Lowering};
use crate::ir::*;
use crate::naming;

const SCHEMAS: &str = "#/components/schemas/";

/// A schema a union may hold: its component name, the discriminator values
/// that select it, and where the spec names it.
type Alternative<'a> = (&'a str, Vec<String>, String);

impl<'a> Lowering<'a> {
    // ---- allOf --------------------------------------------------------------------------

    /// `allOf`: one `$ref` (with annotations beside it) is that type; objects
    /// are merged into one struct.
    pub(super) fn all_of(&mut self, node: &Node<'a>, hint: &str, property: Option<&str>) -> Ty {
        let members = self.array_member(node, "allOf");
        let members: Vec<Node<'a>> =
            members.into_iter().filter(|m| self.expect_object(m, "an `allOf` member")).collect();
        let typed: Vec<&Node<'a>> = members.iter().filter(|m| !annotation_only(m.value)).collect();
        let own_structure = node.has("properties") || node.has("additionalProperties");
        if let [only] = typed.as_slice() {
            let extends_parent = self.resolve_schema(only).is_some_and(|target| self.is_parent_of_current(&target));
            if !own_structure && !extends_parent && (only.has("$ref") || !self.object_like(only)) {
                return self.schema(only, hint, property);
            }
        }
        for member in &typed {
            if !self.object_like(member) {
                self.error(
                    &member.pointer,
                    "`allOf` can merge objects only, and this member is not one; describe the value with one schema instead",
                );
                return Type::Any;
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
        let reference = match self.reference(member) {
            None => return self.merge_schema(parts, member, hint),
            Some(Err(())) => return,
            Some(Ok(reference)) => reference,
        };
        // Reports a dangling or external reference.
        let Some((name, target)) = self.target(super::refs::Section::Schemas, reference, &member.pointer) else {
            return;
        };
        if let Some(start) = self.merging.iter().position(|n| *n == name) {
            let mut cycle: Vec<&str> = self.merging[start..].to_vec();
            cycle.push(name);
            self.error(&member.pointer, format!("`allOf` cycle: {}", cycle.join(" → ")));
            return;
        }
        if !self.expect_object(&target, "a schema") {
            return;
        }
        self.merging.push(name);
        self.merge_schema(parts, &target, &naming::type_name(name));
        self.merging.pop();
    }

    fn merge_schema(&mut self, parts: &mut ObjectParts<'a>, schema: &Node<'a>, hint: &str) {
        if schema.has("$ref") {
            return self.merge_member(parts, schema, hint);
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
        let names_current = |reference: &str| self.schema_name(reference) == Some(current);
        let listed = ["oneOf", "anyOf"].into_iter().any(|keyword| {
            schema
                .get(keyword)
                .is_some_and(|members| members.items().iter().any(|m| m.str("$ref").is_some_and(names_current)))
        });
        let mapped = schema.get("discriminator").and_then(|d| d.get("mapping")).is_some_and(|mapping| {
            mapping
                .entries()
                .iter()
                .any(|(_, target)| target.value.as_str().is_some_and(|t| t == current || names_current(t)))
        });
        listed || mapped
    }

    /// The names of the properties a schema has, through `$ref`s and `allOf`.
    fn property_names(&self, node: &Node<'a>, seen: &mut BTreeSet<&'a str>) -> BTreeSet<&'a str> {
        let mut names = BTreeSet::new();
        let mut current = node.clone();
        if let Some(reference) = node.str("$ref") {
            let Some(name) = self.schema_name(reference) else { return names };
            if !seen.insert(name) {
                return names;
            }
            let Some(target) = self.schema_named(name) else { return names };
            current = target;
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

    pub(super) fn union(&mut self, node: &Node<'a>, keyword: &str, hint: &str, property: Option<&str>) -> Ty {
        let members = self.array_member(node, keyword);
        let members: Vec<Node<'a>> =
            members.into_iter().filter(|m| self.expect_object(m, &format!("a `{keyword}` member"))).collect();
        if members.is_empty() {
            self.error(&node.pointer_to(keyword), format!("`{keyword}` must list at least one schema"));
            return Type::Any;
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
                    return Type::Any;
                }
            }
        }
        if let [only] = members.as_slice() {
            return self.schema(only, hint, property);
        }

        // Alternatives that are all string enums are one enum with every value.
        if let Some(values) = self.enum_values_of_all(&members) {
            let values: Vec<EnumValue> =
                values.into_iter().map(|wire| EnumValue { rust_name: naming::variant_name(&wire), wire }).collect();
            let name = naming::enum_name(values.iter().map(|v| v.wire.as_str()), hint, property);
            let fallback = naming::fallback_variant(values.iter().map(|v| v.rust_name.as_str()));
            return inline(&node.pointer, name, hint, TypeKind::Enum(Enum { values, fallback }), description);
        }

        if let Some(discriminator) = self.object_member(node, "discriminator") {
            let Some(property_name) = self.string_member(&discriminator, "propertyName") else {
                self.error(&discriminator.pointer, "a `discriminator` needs a `propertyName`");
                return Type::Any;
            };
            let mut targets: Vec<Alternative<'a>> = Vec::new();
            for member in &members {
                let Some(reference) = member.str("$ref") else {
                    self.error(
                        &member.pointer,
                        format!("with a `discriminator`, every `{keyword}` member must be a `$ref` to a schema"),
                    );
                    return Type::Any;
                };
                let Some(name) = self.schema_name(reference) else {
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

        let types: Vec<Ty> = members
            .iter()
            .enumerate()
            .map(|(index, member)| self.schema(member, &format!("{hint}Variant{}", index + 1), None))
            .collect();
        let kinds: Vec<String> = types.iter().map(variant_name_of).collect();
        let variants: Vec<Variant<Target>> = naming::untagged_variants(&kinds)
            .into_iter()
            .zip(types)
            .map(|(rust_name, ty)| Variant { rust_name, ty, tags: Vec::new(), boxed: false })
            .collect();
        let fallback = naming::fallback_variant(variants.iter().map(|v| v.rust_name.as_str()));
        let union = Union { discriminator: None, variants, fallback };
        inline(&node.pointer, naming::composed_type_name(hint), hint, TypeKind::Union(union), description)
    }

    /// Every value of alternatives that are all string enums, in order and
    /// without repeats; `None` when one of them is something else.
    fn enum_values_of_all(&self, members: &[Node<'a>]) -> Option<Vec<String>> {
        let mut values: Vec<String> = Vec::new();
        for member in members {
            let schema = self.resolve_schema(member)?;
            if schema.str("type").is_some_and(|t| t != "string") {
                return None;
            }
            let listed = schema.get("enum")?.value.as_array()?;
            let strings: Vec<&str> =
                listed.iter().filter(|v| !v.is_null()).map(Value::as_str).collect::<Option<_>>()?;
            if strings.is_empty() {
                return None;
            }
            for value in strings {
                if !values.iter().any(|v| v == value) {
                    values.push(value.to_owned());
                }
            }
        }
        Some(values)
    }

    /// A schema with a `discriminator` and no `oneOf`, which its subtypes
    /// extend with `allOf`: a value of it is one of the subtypes, so it is a
    /// tagged union of them. `None` when it names no subtype.
    pub(super) fn discriminator_base(
        &mut self,
        spec_name: &'a str,
        node: &Node<'a>,
        rust_name: &str,
    ) -> Option<TypeKind<Target>> {
        let discriminator = self.object_member(node, "discriminator")?;
        let property = self.string_member(&discriminator, "propertyName")?;
        let mut targets: Vec<Alternative<'a>> = Vec::new();
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
                for (name, schema) in &self.components.schemas {
                    let extends = schema.get("allOf").is_some_and(|all| {
                        all.items()
                            .iter()
                            .any(|member| member.str("$ref").and_then(|r| self.schema_name(r)) == Some(spec_name))
                    });
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
            Type::Named(Target::Inline(inline)) => Some(inline.kind),
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
        let name = unescape_token(text.strip_prefix(SCHEMAS).unwrap_or(text));
        let found = self.components.schemas.get_key_value(&*name).map(|(key, _)| *key);
        if found.is_none() {
            self.error(
                &target.pointer,
                format!("the discriminator maps to `{text}`, which is not a schema in {SCHEMAS}"),
            );
        }
        found
    }

    /// A union told apart by the value of `property`: each target schema
    /// with the values that select it.
    fn tagged_union(
        &mut self,
        property: &str,
        targets: Vec<Alternative<'a>>,
        pointer: &str,
        hint: &str,
        description: Option<String>,
    ) -> Ty {
        for (name, _, target_pointer) in &targets {
            let Some(schema) = self.schema_named(name) else { continue };
            let has = self.property_names(&schema, &mut BTreeSet::from([*name]));
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
        let variants: Vec<Variant<Target>> = targets
            .into_iter()
            .zip(names)
            .map(|((name, tags, _), rust_name)| Variant {
                rust_name,
                ty: Type::Named(Target::Schema(self.schema_types[name].clone())),
                tags,
                boxed: false,
            })
            .collect();
        let fallback = naming::fallback_variant(variants.iter().map(|v| v.rust_name.as_str()));
        let union = Union { discriminator: Some(property.to_owned()), variants, fallback };
        inline(pointer, naming::composed_type_name(hint), hint, TypeKind::Union(union), description)
    }
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
fn variant_name_of(ty: &Ty) -> String {
    match ty {
        Type::Named(Target::Schema(name)) => name.clone(),
        Type::Named(Target::Inline(inline)) => inline.suggested_name.clone(),
        Type::String => "String".to_owned(),
        Type::DateTime => "DateTime".to_owned(),
        Type::Boolean => "Boolean".to_owned(),
        Type::Integer(_) => "Integer".to_owned(),
        Type::Number => "Number".to_owned(),
        Type::Array(_) => "Array".to_owned(),
        Type::Map(_) => "Map".to_owned(),
        Type::Object => "Object".to_owned(),
        Type::Any => "Value".to_owned(),
        Type::Nullable(inner) => variant_name_of(inner),
    }
}
