//! Stage 3: normalising passes over the IR. Each is a small function with its
//! own tests; emitters rely on what they guarantee (no inline types left,
//! recursive fields boxed, releases known).

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::*;
use crate::load::LoadedSpec;

/// Visits every type reference in the API, nested ones included, children
/// before the reference that holds them.
fn visit_type_refs(api: &mut Api, visit: &mut dyn FnMut(&mut TypeRef)) {
    fn walk(ty: &mut TypeRef, visit: &mut dyn FnMut(&mut TypeRef)) {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => walk(inner, visit),
            TypeRef::Inline(inline) => walk_kind(&mut inline.kind, visit),
            _ => {}
        }
        visit(ty);
    }
    fn walk_kind(kind: &mut TypeKind, visit: &mut dyn FnMut(&mut TypeRef)) {
        match kind {
            TypeKind::Struct(fields) => fields.iter_mut().for_each(|f| walk(&mut f.ty, visit)),
            TypeKind::Alias(ty) => walk(ty, visit),
            TypeKind::Union(union) => union.variants.iter_mut().for_each(|v| walk(&mut v.ty, visit)),
            TypeKind::Enum(_) => {}
        }
    }
    for def in api.types.values_mut() {
        walk_kind(&mut def.kind, visit);
    }
    for operation in &mut api.operations {
        for parameter in &mut operation.parameters {
            walk(&mut parameter.ty, visit);
        }
        for version in &mut operation.versions {
            if let Some(request) = &mut version.request {
                walk(&mut request.ty, visit);
            }
            if let Some(ty) = &mut version.response.ty {
                walk(ty, visit);
            }
        }
        if let Some(ty) = &mut operation.error_type {
            walk(ty, visit);
        }
    }
}

/// Gives every inline schema a name and a place in `Api::types`.
///
/// Enums with the same set of values become one type wherever they appear
/// (the organization roles are one `OrgRole`, not one enum per field). A name
/// comes from `type_names` (keyed by the JSON pointer of any occurrence) or
/// else from the schema's suggested name. A name that is already taken is an
/// error naming both places: types are never merged or suffixed silently.
pub fn hoist_inline_types(
    api: &mut Api,
    type_names: &BTreeMap<String, String>,
    spec: &LoadedSpec,
    config_file: &str,
) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut used_overrides = BTreeSet::new();
    let mut taken: BTreeMap<String, String> =
        api.types.values().map(|def| (def.name.clone(), def.pointers[0].clone())).collect();

    // Enums first: they hold no types, so their identity is their values.
    let mut enum_groups: BTreeMap<BTreeSet<String>, Vec<InlineType>> = BTreeMap::new();
    visit_type_refs(api, &mut |ty| {
        if let TypeRef::Inline(inline) = ty {
            if let TypeKind::Enum(values) = &inline.kind {
                let key = values.iter().map(|v| v.wire.clone()).collect();
                enum_groups.entry(key).or_default().push((**inline).clone());
            }
        }
    });
    let mut enum_names: BTreeMap<BTreeSet<String>, String> = BTreeMap::new();
    for (key, mut members) in enum_groups {
        members.sort();
        members.dedup_by(|a, b| a.pointer == b.pointer);
        let pointers: Vec<String> = members.iter().map(|m| m.pointer.clone()).collect();
        let Some(mut name) = choose_name(&members, type_names, &mut used_overrides, spec, config_file, &mut problems)
        else {
            continue;
        };
        let overridden = members.iter().any(|m| type_names.contains_key(&m.pointer));
        if taken.contains_key(&name) && !overridden {
            // The suggestion is our own invention; where it sits names it too.
            name = members.iter().map(|m| m.structural_name.clone()).min().unwrap_or(name);
        }
        if let Some(other) = taken.get(&name) {
            problems.push(spec.locate(&pointers[0]), collision_message(&name, other));
            continue;
        }
        taken.insert(name.clone(), pointers[0].clone());
        let first = &members[0];
        api.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                spec_name: first.suggested_name.clone(),
                pointers,
                description: members.iter().find_map(|m| m.description.clone()),
                deprecated: false,
                kind: first.kind.clone(),
            },
        );
        enum_names.insert(key, name);
    }

    // Then objects, innermost first, so a parent sees its children already named.
    let mut structs: Vec<(String, InlineType)> = Vec::new();
    visit_type_refs(api, &mut |ty| {
        let TypeRef::Inline(inline) = ty else { return };
        match &inline.kind {
            TypeKind::Enum(values) => {
                let key: BTreeSet<String> = values.iter().map(|v| v.wire.clone()).collect();
                if let Some(name) = enum_names.get(&key) {
                    *ty = TypeRef::Named(name.clone());
                }
            }
            _ => {
                let member = (**inline).clone();
                let name = type_names.get(&member.pointer).cloned().unwrap_or_else(|| member.suggested_name.clone());
                structs.push((name.clone(), member));
                *ty = TypeRef::Named(name);
            }
        }
    });
    for (name, member) in structs {
        if type_names.contains_key(&member.pointer) {
            used_overrides.insert(member.pointer.clone());
        }
        if let Some(other) = taken.get(&name) {
            // The same inline schema reached twice (a parent's property
            // merged into several `allOf` children) is one type.
            let same = *other == member.pointer && api.types.get(&name).is_some_and(|def| def.kind == member.kind);
            if !same {
                problems.push(spec.locate(&member.pointer), collision_message(&name, other));
            }
            continue;
        }
        taken.insert(name.clone(), member.pointer.clone());
        api.types.insert(
            name.clone(),
            TypeDef {
                name,
                spec_name: member.suggested_name,
                pointers: vec![member.pointer],
                description: member.description,
                deprecated: false,
                kind: member.kind,
            },
        );
    }

    for pointer in type_names.keys().filter(|p| !used_overrides.contains(*p)) {
        problems.push(
            Location { file: config_file.to_owned(), pointer: String::new(), line: None },
            format!("`type-names` names the inline schema at #{pointer}, but there is none there"),
        );
    }
    problems.into_result(())
}

fn collision_message(name: &str, other: &str) -> String {
    format!(
        "the inline schema here would be named `{name}`, which is already the type from #{other}; \
         give it another name under `type-names` in the generator config"
    )
}

fn choose_name(
    members: &[InlineType],
    type_names: &BTreeMap<String, String>,
    used: &mut BTreeSet<String>,
    spec: &LoadedSpec,
    config_file: &str,
    problems: &mut Diagnostics,
) -> Option<String> {
    let overrides: BTreeSet<&String> = members.iter().filter_map(|m| type_names.get(&m.pointer)).collect();
    for member in members {
        if type_names.contains_key(&member.pointer) {
            used.insert(member.pointer.clone());
        }
    }
    match overrides.len() {
        0 => Some(most_common_suggestion(members)),
        1 => overrides.into_iter().next().cloned(),
        _ => {
            let names: Vec<&str> = overrides.iter().map(|s| s.as_str()).collect();
            problems.push(
                Location { file: config_file.to_owned(), ..spec.locate(&members[0].pointer) },
                format!("one enum (same values) is given several names: {}", names.join(", ")),
            );
            None
        }
    }
}

/// The name most occurrences suggest (`roles` fields outvote one `leadRole`);
/// ties go to the alphabetically first, so the choice is stable.
fn most_common_suggestion(members: &[InlineType]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for member in members {
        *counts.entry(&member.suggested_name).or_default() += 1;
    }
    let best = counts.values().copied().max().unwrap_or_default();
    counts.into_iter().find(|(_, count)| *count == best).map(|(name, _)| name.to_owned()).unwrap_or_default()
}

/// Boxes struct fields and union variants that would otherwise make a type
/// contain itself. Arrays and maps already allocate, so only direct (or
/// optional) references count.
pub fn box_recursive_fields(api: &mut Api) {
    let direct_edges: BTreeMap<String, Vec<String>> = api
        .types
        .values()
        .map(|def| {
            let targets = match &def.kind {
                TypeKind::Struct(fields) => fields.iter().filter_map(|f| direct_target(&f.ty)).collect(),
                TypeKind::Alias(ty) => direct_target(ty).into_iter().collect(),
                TypeKind::Union(union) => union.variants.iter().filter_map(|v| direct_target(&v.ty)).collect(),
                TypeKind::Enum(_) => Vec::new(),
            };
            (def.name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(direct_edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    let recursive = |owner: &str, ty: &TypeRef| direct_target(ty).is_some_and(|target| reaches(&target, owner));
    for def in api.types.values_mut() {
        let owner = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    field.boxed = recursive(&owner, &field.ty);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = recursive(&owner, &variant.ty);
                }
            }
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
}

/// The type a reference holds in place (not behind a `Vec` or map).
fn direct_target(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Named(name) => Some(name.clone()),
        TypeRef::Nullable(inner) => direct_target(inner),
        _ => None,
    }
}

/// Finds types that would be defined by themselves with nothing in between:
/// `$ref` chains that come back (`A` is `B`, `B` is `A`), an alias that is
/// an array or map of itself (Rust type aliases cannot recurse), and a union
/// that is one of its own alternatives. Recursion through a struct field is
/// fine (the field is boxed); these are errors naming the cycle.
pub fn check_cycles(api: &Api, spec: &LoadedSpec) -> Result<(), Diagnostics> {
    fn named_inside(ty: &TypeRef, direct: bool, out: &mut Vec<(String, bool)>) {
        match ty {
            TypeRef::Named(name) => out.push((name.clone(), direct)),
            TypeRef::Nullable(inner) => named_inside(inner, direct, out),
            TypeRef::Array(inner) | TypeRef::Map(inner) => named_inside(inner, false, out),
            _ => {}
        }
    }
    // Edges that are not a struct or an enum: each with whether it is direct.
    let edges: BTreeMap<&str, Vec<(String, bool)>> = api
        .types
        .values()
        .map(|def| {
            let mut out = Vec::new();
            match &def.kind {
                TypeKind::Alias(ty) => named_inside(ty, true, &mut out),
                TypeKind::Union(union) => {
                    for variant in &union.variants {
                        if let Some(target) = direct_target(&variant.ty) {
                            out.push((target, true));
                        }
                    }
                }
                TypeKind::Struct(_) | TypeKind::Enum(_) => {}
            }
            (def.name.as_str(), out)
        })
        .collect();

    let mut problems = Diagnostics::default();
    let mut reported = BTreeSet::new();
    for start in edges.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack: Vec<(String, Vec<(String, bool)>)> = vec![(start.to_string(), Vec::new())];
        let mut seen = BTreeSet::new();
        while let Some((name, path)) = stack.pop() {
            for (next, direct) in edges.get(name.as_str()).into_iter().flatten() {
                let mut path = path.clone();
                path.push((next.clone(), *direct));
                if next == start {
                    let mut members: Vec<&str> = path.iter().map(|(n, _)| n.as_str()).collect();
                    members.sort();
                    members.dedup();
                    if reported.insert(members.join(",")) {
                        // Named as in the spec, which is what the reader will look for.
                        fn spec_name<'n>(api: &'n Api, name: &'n str) -> &'n str {
                            api.types.get(name).map_or(name, |def| def.spec_name.as_str())
                        }
                        let names: Vec<&str> = std::iter::once(*start)
                            .chain(path.iter().map(|(n, _)| n.as_str()))
                            .map(|name| spec_name(api, name))
                            .collect();
                        let all_direct = path.iter().all(|(_, direct)| *direct);
                        let message = if all_direct {
                            format!(
                                "`$ref` cycle with nothing in between: {}; a type cannot be defined as itself",
                                names.join(" → ")
                            )
                        } else {
                            format!(
                                "`{}` is an array or map of itself ({}); wrap the array in an object schema",
                                spec_name(api, start),
                                names.join(" → ")
                            )
                        };
                        let pointer = api.types.get(*start).map(|def| def.pointers[0].clone()).unwrap_or_default();
                        problems.push(spec.locate(&pointer), message);
                    }
                } else if seen.insert(next.clone()) {
                    stack.push((next.clone(), path));
                }
            }
        }
    }
    problems.into_result(())
}

/// Sets the API releases: the given list, or else every resource version in
/// the spec. An operation whose first version is newer than the newest
/// release would be missing from every module, so that is an error.
pub fn resolve_releases(api: &mut Api, releases: Option<Vec<ApiDate>>, spec: &LoadedSpec) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut releases =
        releases.unwrap_or_else(|| api.operations.iter().flat_map(|op| op.versions.iter().map(|v| v.date)).collect());
    releases.sort();
    releases.dedup();
    for operation in &api.operations {
        let first = operation.versions.first().map(|v| v.date);
        let present = releases.iter().any(|release| operation.version_at(*release).is_some());
        if let (false, Some(first)) = (present, first) {
            problems.push(
                spec.locate(&operation.pointer),
                format!(
                    "operation `{}` starts at resource version {first}, after every API release; add a release on or after {first} to the versions list",
                    operation.operation_id
                ),
            );
        }
    }
    if releases.is_empty() {
        problems.push(spec.locate(""), "there are no API releases to generate");
    }
    api.releases = releases;
    problems.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            spec_name: name.to_owned(),
            pointers: vec![format!("/components/schemas/{name}")],
            description: None,
            deprecated: false,
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            required: false,
            nullable: false,
            read_only: false,
            description: None,
            pattern: None,
            deprecated: false,
            boxed: false,
            flatten: false,
        }
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    fn api(defs: Vec<TypeDef>) -> Api {
        Api { types: defs.into_iter().map(|d| (d.name.clone(), d)).collect(), ..Api::default() }
    }

    fn fields(api: &Api, name: &str) -> Vec<(String, bool)> {
        match &api.types[name].kind {
            TypeKind::Struct(fields) => fields.iter().map(|f| (f.wire_name.clone(), f.boxed)).collect(),
            TypeKind::Union(union) => union.variants.iter().map(|v| (v.rust_name.clone(), v.boxed)).collect(),
            _ => Vec::new(),
        }
    }

    fn spec() -> LoadedSpec {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";
        crate::load::load(&crate::load::SpecSource { name: "t.yaml".into(), text: text.into() }).expect("loads")
    }

    #[test]
    fn recursive_fields_are_boxed_and_others_are_not() {
        let mut api = api(vec![
            def(
                "Node",
                TypeKind::Struct(vec![
                    field("parent", named("Node")),
                    field("children", TypeRef::Array(Box::new(named("Node")))),
                    field("byName", TypeRef::Map(Box::new(named("Node")))),
                    field("maybe", TypeRef::Nullable(Box::new(named("Node")))),
                    field("leaf", named("Leaf")),
                ]),
            ),
            def("Leaf", TypeKind::Struct(vec![field("name", TypeRef::String)])),
            // Ping → Pong → (alias) → Ping: both ends boxed, the alias needs nothing.
            def("Ping", TypeKind::Struct(vec![field("pong", named("Pong"))])),
            def("Pong", TypeKind::Struct(vec![field("ping", named("PingAlias"))])),
            def("PingAlias", TypeKind::Alias(named("Ping"))),
            // A union whose alternative holds the union.
            def(
                "Shape",
                TypeKind::Union(Union {
                    discriminator: Some("kind".into()),
                    variants: vec![
                        Variant { rust_name: "Group".into(), ty: named("Group"), tags: vec!["g".into()], boxed: false },
                        Variant { rust_name: "Leaf".into(), ty: named("Leaf"), tags: vec!["l".into()], boxed: false },
                    ],
                }),
            ),
            def("Group", TypeKind::Struct(vec![field("inner", named("Shape"))])),
        ]);
        box_recursive_fields(&mut api);
        let node = fields(&api, "Node");
        assert_eq!(
            node,
            [("parent", true), ("children", false), ("byName", false), ("maybe", true), ("leaf", false)]
                .map(|(n, b)| (n.to_owned(), b))
        );
        assert_eq!(fields(&api, "Ping"), [("pong".to_owned(), true)]);
        assert_eq!(fields(&api, "Pong"), [("ping".to_owned(), true)]);
        assert_eq!(fields(&api, "Shape"), [("Group".to_owned(), true), ("Leaf".to_owned(), false)]);
        assert_eq!(fields(&api, "Group"), [("inner".to_owned(), true)]);
        assert_eq!(fields(&api, "Leaf"), [("name".to_owned(), false)]);
    }

    #[test]
    fn cycles_without_structure_are_errors() {
        let api = api(vec![
            def("A", TypeKind::Alias(named("B"))),
            def("B", TypeKind::Alias(TypeRef::Nullable(Box::new(named("A"))))),
            def("List", TypeKind::Alias(TypeRef::Array(Box::new(named("List"))))),
            def("Fine", TypeKind::Struct(vec![field("next", named("Fine"))])),
        ]);
        let problems = check_cycles(&api, &spec()).expect_err("cycles");
        let messages: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("A → B → A"), "{messages:?}");
        assert!(messages[1].contains("`List` is an array or map of itself"), "{messages:?}");
    }
}
