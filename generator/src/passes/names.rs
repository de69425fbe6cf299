//! The one check that no two things sharing a Rust namespace got one name:
//! types in `models`, ids in `ids`, operations and their query structs,
//! each struct's fields, each enum's and union's variants, each operation's
//! parameters. Names are chosen by the naming module when the spec is
//! lowered and by the hoisting pass; a collision is an error naming both
//! spec locations, never a silent merge or suffix.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::ir::*;
use crate::load::LoadedSpec;

/// Reports every collision, then orders types and ids by name (keeping the
/// first of a colliding pair, so later passes can look names up).
pub fn check_names(api: &mut Api, spec: &LoadedSpec) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut report = |pointer: &str, message: String| problems.push(spec.locate(pointer), message);

    // Stable: of two types of one name, the spec's own comes first.
    api.types.sort_by(|a, b| (a.name.as_str(), a.inline).cmp(&(b.name.as_str(), b.inline)));
    for pair in api.types.windows(2) {
        let [first, other] = pair else { continue };
        if first.name != other.name {
            continue;
        }
        let message = if other.inline {
            format!(
                "the inline schema here would be named `{}`, which is already the type from #{}; give it another \
                 name under `type-names` in the generator config",
                other.name, first.pointers[0]
            )
        } else {
            format!(
                "schemas `{}` and `{}` both become the Rust type `{}`; rename one of them",
                first.spec_name, other.spec_name, other.name
            )
        };
        report(&other.pointers[0], message);
    }
    api.types.dedup_by(|later, first| later.name == first.name);
    for def in &api.types {
        check_members(def, &mut report);
    }

    api.ids.sort_by(|a, b| a.name.cmp(&b.name));
    for pair in api.ids.windows(2) {
        if pair[0].name == pair[1].name {
            report(
                &pair[1].pointers[0],
                format!(
                    "path parameters `{}` (at #{}) and `{}` both become the id type `{}`; rename one of them",
                    pair[0].wire_name, pair[0].pointers[0], pair[1].wire_name, pair[1].name
                ),
            );
        }
    }
    api.ids.dedup_by(|later, first| later.name == first.name);

    let mut functions: BTreeMap<&str, &Operation> = BTreeMap::new();
    let mut query_structs: BTreeMap<&str, &Operation> = BTreeMap::new();
    for operation in &api.operations {
        if let Some(first) = functions.insert(&operation.rust_name, operation) {
            let message = if first.operation_id == operation.operation_id {
                format!(
                    "operationId `{}` is also used by the operation at #{}; operationIds must be unique",
                    operation.operation_id, first.pointer
                )
            } else {
                format!(
                    "operations `{}` (at #{}) and `{}` both become the Rust function `{}`; rename one of them",
                    first.operation_id, first.pointer, operation.operation_id, operation.rust_name
                )
            };
            report(&operation.pointer, message);
            continue;
        }
        if let Some(query) = &operation.query_struct {
            if let Some(first) = query_structs.insert(query, operation) {
                report(
                    &operation.pointer,
                    format!(
                        "operations `{}` and `{}` both name their query parameters `{query}`; rename one of them",
                        first.operation_id, operation.operation_id
                    ),
                );
            }
        }
        let mut parameters: BTreeMap<&str, &str> = BTreeMap::new();
        for parameter in &operation.parameters {
            if let Some(other) = parameters.insert(&parameter.rust_name, &parameter.wire_name) {
                report(
                    &operation.pointer,
                    format!(
                        "parameters `{other}` and `{}` both become `{}`; rename one of them",
                        parameter.wire_name, parameter.rust_name
                    ),
                );
            }
        }
    }
    problems.into_result(())
}

/// Fields of a struct, variants of an enum or union.
fn check_members(def: &TypeDef, report: &mut impl FnMut(&str, String)) {
    match &def.kind {
        TypeKind::Struct(object) => {
            let mut names: BTreeMap<&str, &str> = BTreeMap::new();
            for field in &object.fields {
                if let Some(other) = names.insert(&field.rust_name, &field.wire_name) {
                    report(
                        &field.pointer,
                        format!(
                            "properties `{other}` and `{}` both become the Rust field `{}`; rename one of them",
                            field.wire_name, field.rust_name
                        ),
                    );
                }
            }
        }
        TypeKind::Enum(values) => {
            let mut names: BTreeMap<&str, &str> = BTreeMap::new();
            for value in &values.values {
                match names.insert(&value.rust_name, &value.wire) {
                    Some(previous) if previous == value.wire => {
                        report(&def.pointers[0], format!("enum value `{}` is listed twice", value.wire))
                    }
                    Some(previous) => report(
                        &def.pointers[0],
                        format!(
                            "enum values `{previous}` and `{}` both become the variant `{}`",
                            value.wire, value.rust_name
                        ),
                    ),
                    None => {}
                }
            }
        }
        TypeKind::Union(union) => {
            let mut names: BTreeMap<&str, &Type> = BTreeMap::new();
            for variant in &union.variants {
                if names.insert(&variant.rust_name, &variant.ty).is_some() {
                    report(
                        &def.pointers[0],
                        format!("two alternatives both become the variant `{}`; rename one of them", variant.rust_name),
                    );
                }
            }
        }
        TypeKind::Alias(_) => {}
    }
}
