//! Types that contain themselves: some are fine once boxed (a tree node's
//! optional parent), some describe no value at all and are refused.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostics;
use crate::ir::*;
use crate::load::LoadedSpec;

/// Finds types that would be defined by themselves with nothing in between:
/// `$ref` chains that come back (`A` is `B`, `B` is `A`), an alias that is
/// an array or map of itself (Rust type aliases cannot recurse), and a union
/// that is one of its own alternatives. Recursion through a struct field is
/// fine (the field is boxed); these are errors naming the cycle.
pub fn check_cycles(api: &Api, spec: &LoadedSpec) -> Result<(), Diagnostics> {
    fn named_inside(ty: &Type, direct: bool, out: &mut Vec<(String, bool)>) {
        match ty {
            Type::Named(name) => out.push((name.clone(), direct)),
            Type::Nullable(inner) => named_inside(inner, direct, out),
            Type::Array(inner) | Type::Map(inner) => named_inside(inner, false, out),
            _ => {}
        }
    }
    // Edges that are not a struct or an enum: each with whether it is direct.
    let edges: BTreeMap<&str, Vec<(String, bool)>> = api
        .types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            match &def.kind {
                TypeKind::Alias(ty) => named_inside(ty, true, &mut out),
                TypeKind::Union(union) => {
                    for variant in &union.variants {
                        if let Some(target) = variant.ty.direct_target() {
                            out.push((target.clone(), true));
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
    for (start, path) in cycles(&edges) {
        let mut members: Vec<&str> = path.iter().map(|(n, _)| n.as_str()).collect();
        members.sort();
        members.dedup();
        if !reported.insert(members.join(",")) {
            continue;
        }
        let names: Vec<&str> = std::iter::once(start)
            .chain(path.iter().map(|(n, _)| n.as_str()))
            .map(|name| spec_name(api, name))
            .collect();
        let message = if path.iter().all(|(_, direct)| *direct) {
            format!("`$ref` cycle with nothing in between: {}; a type cannot be defined as itself", names.join(" → "))
        } else {
            format!(
                "`{}` is an array or map of itself ({}); wrap the array in an object schema",
                spec_name(api, start),
                names.join(" → ")
            )
        };
        problems.push(spec.locate(&first_pointer(api, start)), message);
    }
    problems.into_result(())
}

/// Finds structs whose required properties come back to themselves (`A`
/// requires a `B`, which requires an `A`): no finite JSON value has such a
/// type, and decoding one could not even start.
pub fn check_required_cycles(api: &Api, spec: &LoadedSpec) -> Result<(), Diagnostics> {
    // An edge for each required, non-null field that holds a type in place,
    // and for each alias of one.
    let edges: BTreeMap<&str, Vec<(String, bool)>> = api
        .types
        .iter()
        .map(|def| {
            let targets = match &def.kind {
                TypeKind::Struct(object) => object
                    .fields
                    .iter()
                    .filter(|field| !field.is_option())
                    .filter_map(|field| match &field.ty {
                        Type::Named(name) => Some((name.clone(), true)),
                        _ => None,
                    })
                    .collect(),
                TypeKind::Alias(Type::Named(name)) => vec![(name.clone(), true)],
                _ => Vec::new(),
            };
            (def.name.as_str(), targets)
        })
        .collect();
    let mut problems = Diagnostics::default();
    let mut reported = BTreeSet::new();
    for (start, path) in cycles(&edges) {
        let mut members: Vec<&str> = path.iter().map(|(n, _)| n.as_str()).collect();
        members.sort();
        members.dedup();
        // A cycle of aliases alone is a `$ref` cycle, reported as one.
        let through_a_struct =
            members.iter().any(|name| matches!(api.type_named(name).map(|def| &def.kind), Some(TypeKind::Struct(_))));
        if !through_a_struct || !reported.insert(members.join(",")) {
            continue;
        }
        let names: Vec<&str> = std::iter::once(start)
            .chain(path.iter().map(|(n, _)| n.as_str()))
            .map(|name| spec_name(api, name))
            .collect();
        problems.push(
            spec.locate(&first_pointer(api, start)),
            format!(
                "required properties form a cycle ({}), so no finite value has this type; make one of them optional or nullable",
                names.join(" → ")
            ),
        );
    }
    problems.into_result(())
}

/// Every path from a type back to itself along `edges`: the start and the
/// types after it, each with whether its edge is direct.
fn cycles<'e>(edges: &'e BTreeMap<&str, Vec<(String, bool)>>) -> Vec<(&'e str, Vec<(String, bool)>)> {
    let mut found = Vec::new();
    for start in edges.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack: Vec<(String, Vec<(String, bool)>)> = vec![(start.to_string(), Vec::new())];
        let mut seen = BTreeSet::new();
        while let Some((name, path)) = stack.pop() {
            for (next, direct) in edges.get(name.as_str()).into_iter().flatten() {
                let mut path = path.clone();
                path.push((next.clone(), *direct));
                if next == start {
                    found.push((*start, path));
                } else if seen.insert(next.clone()) {
                    stack.push((next.clone(), path));
                }
            }
        }
    }
    found
}

/// A type as the spec names it, which is what the reader will look for.
fn spec_name<'n>(api: &'n Api, name: &'n str) -> &'n str {
    api.type_named(name).map_or(name, |def| def.spec_name.as_str())
}

fn first_pointer(api: &Api, name: &str) -> String {
    api.type_named(name).map(|def| def.pointers[0].clone()).unwrap_or_default()
}

/// Boxes struct fields and union variants that would otherwise make a type
/// contain itself. Arrays and maps already allocate, so only direct (or
/// optional) references count.
pub fn box_recursive_fields(api: &mut Api) {
    let direct_edges: BTreeMap<String, Vec<String>> = api
        .types
        .iter()
        .map(|def| {
            let targets = match &def.kind {
                TypeKind::Struct(object) => {
                    object.fields.iter().filter_map(|f| f.ty.direct_target().cloned()).collect()
                }
                TypeKind::Alias(ty) => ty.direct_target().cloned().into_iter().collect(),
                TypeKind::Union(union) => union.variants.iter().filter_map(|v| v.ty.direct_target().cloned()).collect(),
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
    let recursive = |owner: &str, ty: &Type| ty.direct_target().is_some_and(|target| reaches(target, owner));
    for def in &mut api.types {
        let owner = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct(object) => {
                for field in &mut object.fields {
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
            inline: false,
            kind,
        }
    }

    fn object(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct { fields, others: None })
    }

    fn field(name: &str, ty: Type) -> Field {
        Field {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            pointer: format!("/p/{name}"),
            ty,
            required: false,
            nullable: false,
            read_only: false,
            description: None,
            pattern: None,
            deprecated: false,
            boxed: false,
        }
    }

    fn required(name: &str, ty: Type) -> Field {
        Field { required: true, ..field(name, ty) }
    }

    fn named(name: &str) -> Type {
        Type::Named(name.to_owned())
    }

    fn api(mut defs: Vec<TypeDef>) -> Api {
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        Api { types: defs, ..Api::default() }
    }

    fn boxed(api: &Api, name: &str) -> Vec<(String, bool)> {
        match &api.type_named(name).expect("defined").kind {
            TypeKind::Struct(object) => object.fields.iter().map(|f| (f.wire_name.clone(), f.boxed)).collect(),
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
                object(vec![
                    field("parent", named("Node")),
                    field("children", Type::Array(Box::new(named("Node")))),
                    field("byName", Type::Map(Box::new(named("Node")))),
                    field("maybe", Type::Nullable(Box::new(named("Node")))),
                    field("leaf", named("Leaf")),
                ]),
            ),
            def("Leaf", object(vec![field("name", Type::String)])),
            // Ping → Pong → (alias) → Ping: both ends boxed, the alias needs nothing.
            def("Ping", object(vec![field("pong", named("Pong"))])),
            def("Pong", object(vec![field("ping", named("PingAlias"))])),
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
                    fallback: "Unknown".into(),
                }),
            ),
            def("Group", object(vec![field("inner", named("Shape"))])),
        ]);
        box_recursive_fields(&mut api);
        let node = boxed(&api, "Node");
        assert_eq!(
            node,
            [("parent", true), ("children", false), ("byName", false), ("maybe", true), ("leaf", false)]
                .map(|(n, b)| (n.to_owned(), b))
        );
        assert_eq!(boxed(&api, "Ping"), [("pong".to_owned(), true)]);
        assert_eq!(boxed(&api, "Pong"), [("ping".to_owned(), true)]);
        assert_eq!(boxed(&api, "Shape"), [("Group".to_owned(), true), ("Leaf".to_owned(), false)]);
        assert_eq!(boxed(&api, "Group"), [("inner".to_owned(), true)]);
        assert_eq!(boxed(&api, "Leaf"), [("name".to_owned(), false)]);
    }

    #[test]
    fn cycles_without_structure_are_errors() {
        let api = api(vec![
            def("A", TypeKind::Alias(named("B"))),
            def("B", TypeKind::Alias(Type::Nullable(Box::new(named("A"))))),
            def("List", TypeKind::Alias(Type::Array(Box::new(named("List"))))),
            def("Fine", object(vec![field("next", named("Fine"))])),
        ]);
        let problems = check_cycles(&api, &spec()).expect_err("cycles");
        let messages: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("A → B → A"), "{messages:?}");
        assert!(messages[1].contains("`List` is an array or map of itself"), "{messages:?}");
    }

    #[test]
    fn required_cycles_are_errors_and_optional_ones_are_not() {
        let api = api(vec![
            def("Egg", object(vec![required("chicken", named("ChickenAlias"))])),
            def("ChickenAlias", TypeKind::Alias(named("Chicken"))),
            def("Chicken", object(vec![required("egg", named("Egg"))])),
            def(
                "Tree",
                object(vec![field("parent", named("Tree")), required("kids", Type::Array(Box::new(named("Tree"))))]),
            ),
            def("Nullable", object(vec![Field { nullable: true, ..required("next", named("Nullable")) }])),
        ]);
        let problems = check_required_cycles(&api, &spec()).expect_err("a cycle");
        let messages: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("Chicken → Egg → ChickenAlias → Chicken"), "{messages:?}");
    }
}
