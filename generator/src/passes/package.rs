//! The package the generated crate is published as: the settings, with
//! what they leave out made from the spec.

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Api, ExampleCall, Layout, Method, Operation, Package, ParameterLocation, Type};
use crate::naming;
use crate::settings::Settings;

/// The package of `api` under `settings`, generated as `layout`.
pub fn plan(api: &Api, settings: &Settings, layout: Layout) -> Result<Package, Diagnostics> {
    let mut problems = Diagnostics::default();
    let package = &settings.package;
    let name = package.name.clone().unwrap_or_else(|| naming::package_name(&api.title));
    let description = package.description.clone().unwrap_or_else(|| {
        format!("Typed requests, models and an async client for the {}, one module per API release", api.title.trim())
    });
    let example = match &settings.example {
        Some(operation_id) => {
            let at = Location { file: settings.source.clone(), pointer: "/example".to_owned(), line: None };
            match api.operations.iter().position(|op| op.operation_id == *operation_id) {
                None => {
                    problems.push(at, format!("`example: {operation_id}` names no operation of the spec"));
                    None
                }
                Some(index) if !callable(&api.operations[index]) => {
                    problems.push(
                        at,
                        format!(
                            "`{operation_id}` cannot be the example: the example program gives path parameters only, \
                             and it takes a request body or other required parameters"
                        ),
                    );
                    None
                }
                Some(index) => newest_release_with(api, index).map(|release| ExampleCall { operation: index, release }),
            }
        }
        None => chosen_example(api),
    };
    problems.into_result(Package {
        lib_name: name.replace('-', "_"),
        name,
        version: package.version.clone().unwrap_or_else(|| "0.1.0".to_owned()),
        description,
        license: package.license.clone(),
        repository: package.repository.clone(),
        keywords: package.keywords.clone(),
        categories: if package.categories.is_empty() {
            vec!["api-bindings".to_owned()]
        } else {
            package.categories.clone()
        },
        client_accessors: settings.client_accessors,
        example,
        layout,
    })
}

/// Whether the example program can call `operation`: it gives path
/// parameters from its command line and nothing else.
fn callable(operation: &Operation) -> bool {
    operation.arguments().all(|p| p.location == ParameterLocation::Path && p.ty == Type::String)
        && operation.versions.iter().all(|v| v.request.as_ref().is_none_or(|r| !r.required))
}

/// The newest release at which the operation exists.
fn newest_release_with(api: &Api, operation: usize) -> Option<usize> {
    api.releases.iter().rposition(|release| api.operations[operation].version_at(release.date).is_some())
}

/// Without a setting: a `GET` of the newest release that takes the fewest
/// path parameters and nothing else, the first by name among equals; a
/// deprecated one only when there is nothing else.
fn chosen_example(api: &Api) -> Option<ExampleCall> {
    let release = api.releases.len().checked_sub(1)?;
    let date = api.releases[release].date;
    api.operations
        .iter()
        .enumerate()
        .filter(|(_, op)| op.method == Method::Get && callable(op))
        .filter_map(|(index, op)| op.version_at(date).map(|version| (index, op, version.deprecation.is_some())))
        .min_by_key(|(_, op, deprecated)| (*deprecated, op.arguments().count(), op.rust_name.clone()))
        .map(|(operation, _, _)| ExampleCall { operation, release })
}
