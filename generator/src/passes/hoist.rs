//! Names every inline schema and gives it a place among the named types.
//!
//! Enums with the same set of values become one type wherever they appear
//! (the organization roles are one `OrgRole`, not one enum per field). A name
//! comes from `type_names` (keyed by the JSON pointer of any occurrence) or
//! else from the schema's suggested name. Types are never merged or suffixed
//! silently: a name that is already taken is reported by the name check.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::*;
use crate::load::LoadedSpec;

/// The set of values that identifies an inline enum.
type EnumKey = BTreeSet<String>;

/// Names the inline schemas of a lowered API: the result refers to named
/// types only. Problems are returned beside it, so later passes still run.
pub fn hoist_inline_types(
    mut api: Api<Target>,
    type_names: &BTreeMap<String, String>,
    spec: &LoadedSpec,
    settings_file: &str,
) -> (Api, Diagnostics) {
    // Components are visited in name order, so a first-come choice does not
    // depend on the spec's key order.
    api.types.sort_by(|a, b| a.name.cmp(&b.name));
    let mut hoisting = Hoisting {
        type_names,
        spec,
        settings_file,
        problems: Diagnostics::default(),
        used_overrides: BTreeSet::new(),
        taken: api.types.iter().map(|def| (def.name.clone(), def.pointers[0].clone())).collect(),
        enum_names: BTreeMap::new(),
        hoisted: Vec::new(),
    };
    hoisting.name_enums(&api);

    let types: Vec<TypeDef> = api.types.into_iter().map(|def| def.map_refs(&mut |t| hoisting.name(t))).collect();
    let operations = api.operations.into_iter().map(|op| op.map_refs(&mut |t| hoisting.name(t))).collect();
    for pointer in type_names.keys().filter(|p| !hoisting.used_overrides.contains(*p)) {
        hoisting.problems.push(
            Location { file: settings_file.to_owned(), pointer: String::new(), line: None },
            format!("`type-names` names the inline schema at #{pointer}, but there is none there"),
        );
    }
    let mut all_types = types;
    all_types.append(&mut hoisting.hoisted);
    let hoisted = Api {
        title: api.title,
        description: api.description,
        releases: api.releases,
        operations,
        types: all_types,
        ids: api.ids,
        pages: api.pages,
    };
    (hoisted, hoisting.problems)
}

struct Hoisting<'a> {
    type_names: &'a BTreeMap<String, String>,
    spec: &'a LoadedSpec,
    settings_file: &'a str,
    problems: Diagnostics,
    /// The pointers of `type_names` that named something.
    used_overrides: BTreeSet<String>,
    /// Every type name given so far, with the pointer of its first schema.
    taken: BTreeMap<String, String>,
    /// The name of each group of inline enums.
    enum_names: BTreeMap<EnumKey, String>,
    /// The types named here.
    hoisted: Vec<TypeDef>,
}

impl Hoisting<'_> {
    /// Names each group of inline enums with the same values. Enums go
    /// first: they hold no types, so their identity is their values.
    fn name_enums(&mut self, api: &Api<Target>) {
        let mut groups: BTreeMap<EnumKey, Vec<&InlineType>> = BTreeMap::new();
        each_inline(api, &mut |inline| {
            if let TypeKind::Enum(values) = &inline.kind {
                groups.entry(enum_key(values)).or_default().push(inline);
            }
        });
        for (key, mut members) in groups {
            members.sort();
            members.dedup_by(|a, b| a.pointer == b.pointer);
            let pointers: Vec<String> = members.iter().map(|m| m.pointer.clone()).collect();
            let Some(mut name) = self.choose_enum_name(&members) else { continue };
            let overridden = members.iter().any(|m| self.type_names.contains_key(&m.pointer));
            if self.taken.contains_key(&name) && !overridden {
                // The suggestion is our own invention; where it sits names it too.
                name = members.iter().map(|m| m.structural_name.clone()).min().unwrap_or(name);
            }
            // A name still taken is reported by the name check, which sees both types.
            self.taken.entry(name.clone()).or_insert_with(|| pointers[0].clone());
            let first = members[0];
            let TypeKind::Enum(values) = &first.kind else { continue };
            self.hoisted.push(TypeDef {
                name: name.clone(),
                spec_name: first.suggested_name.clone(),
                pointers,
                description: members.iter().find_map(|m| m.description.clone()),
                deprecated: false,
                inline: true,
                kind: TypeKind::Enum(values.clone()),
            });
            self.enum_names.insert(key, name);
        }
    }

    /// A group's name: the one `type_names` gives it, else the name most of
    /// its members suggest; `None` when `type_names` gives it several.
    fn choose_enum_name(&mut self, members: &[&InlineType]) -> Option<String> {
        let overrides: BTreeSet<&String> = members.iter().filter_map(|m| self.type_names.get(&m.pointer)).collect();
        for member in members {
            if self.type_names.contains_key(&member.pointer) {
                self.used_overrides.insert(member.pointer.clone());
            }
        }
        match overrides.len() {
            0 => Some(most_common_suggestion(members)),
            1 => overrides.into_iter().next().cloned(),
            _ => {
                let names: Vec<&str> = overrides.iter().map(|s| s.as_str()).collect();
                self.problems.push(
                    Location { file: self.settings_file.to_owned(), ..self.spec.locate(&members[0].pointer) },
                    format!("one enum (same values) is given several names: {}", names.join(", ")),
                );
                None
            }
        }
    }

    /// The name a reference refers to; an inline schema is named, innermost
    /// first, and added to the types.
    fn name(&mut self, target: Target) -> String {
        let inline = match target {
            Target::Schema(name) => return name,
            Target::Inline(inline) => *inline,
        };
        if let TypeKind::Enum(values) = &inline.kind {
            // Named already, unless its group could not be named (reported).
            return self.enum_names.get(&enum_key(values)).cloned().unwrap_or(inline.suggested_name);
        }
        let InlineType { pointer, suggested_name, structural_name: _, kind, description } = inline;
        let kind = kind.map_refs(&mut |t| self.name(t));
        let name = match self.type_names.get(&pointer) {
            Some(name) => {
                self.used_overrides.insert(pointer.clone());
                name.clone()
            }
            None => suggested_name.clone(),
        };
        // The same inline schema reached twice (a parent's property merged
        // into several `allOf` children) is one type. Any other type of the
        // same name is a collision, reported by the name check.
        let same = self.taken.get(&name) == Some(&pointer)
            && self.hoisted.iter().any(|def| def.name == name && def.kind == kind);
        if !same {
            self.taken.entry(name.clone()).or_insert_with(|| pointer.clone());
            self.hoisted.push(TypeDef {
                name: name.clone(),
                spec_name: suggested_name,
                pointers: vec![pointer],
                description,
                deprecated: false,
                inline: true,
                kind,
            });
        }
        name
    }
}

fn enum_key(values: &Enum) -> EnumKey {
    values.values.iter().map(|v| v.wire.clone()).collect()
}

/// The name most occurrences suggest (`roles` fields outvote one `leadRole`);
/// ties go to the alphabetically first, so the choice is stable.
fn most_common_suggestion(members: &[&InlineType]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for member in members {
        *counts.entry(&member.suggested_name).or_default() += 1;
    }
    let best = counts.values().copied().max().unwrap_or_default();
    counts.into_iter().find(|(_, count)| *count == best).map(|(name, _)| name.to_owned()).unwrap_or_default()
}

/// Calls `f` on every inline schema of the API, nested ones included.
fn each_inline<'t>(api: &'t Api<Target>, f: &mut impl FnMut(&'t InlineType)) {
    fn in_type<'t>(ty: &'t Type<Target>, f: &mut impl FnMut(&'t InlineType)) {
        match ty {
            Type::Named(Target::Inline(inline)) => {
                in_kind(&inline.kind, f);
                f(inline);
            }
            Type::Array(inner) | Type::Map(inner) | Type::Nullable(inner) => in_type(inner, f),
            _ => {}
        }
    }
    fn in_kind<'t>(kind: &'t TypeKind<Target>, f: &mut impl FnMut(&'t InlineType)) {
        match kind {
            TypeKind::Struct(object) => {
                object.fields.iter().for_each(|field| in_type(&field.ty, f));
                if let Some(others) = &object.others {
                    in_type(&others.values, f);
                }
            }
            TypeKind::Alias(ty) => in_type(ty, f),
            TypeKind::Union(union) => union.variants.iter().for_each(|v| in_type(&v.ty, f)),
            TypeKind::Enum(_) => {}
        }
    }
    for def in &api.types {
        in_kind(&def.kind, f);
    }
    for operation in &api.operations {
        operation.parameters.iter().for_each(|p| in_type(&p.ty, f));
        for version in &operation.versions {
            if let Some(request) = &version.request {
                in_type(&request.ty, f);
            }
            if let SuccessBody::Json(ty) | SuccessBody::JsonOrEmpty(ty) = &version.response.body {
                in_type(ty, f);
            }
        }
        in_type(&operation.error_type, f);
    }
}
