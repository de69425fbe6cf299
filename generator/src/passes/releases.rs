//! The API releases the crate has a module for, and their names.

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, ApiDate, Release};
use crate::load::LoadedSpec;
use crate::naming;

/// Sets the API releases: the given list, or else every resource version in
/// the spec. An operation whose first version is newer than the newest
/// release would be missing from every module, so that is an error.
pub fn resolve_releases(api: &mut Api, releases: Option<Vec<ApiDate>>, spec: &LoadedSpec) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut dates =
        releases.unwrap_or_else(|| api.operations.iter().flat_map(|op| op.versions.iter().map(|v| v.date)).collect());
    dates.sort();
    dates.dedup();
    for operation in &api.operations {
        let first = operation.versions.first().map(|v| v.date);
        let present = dates.iter().any(|release| operation.version_at(*release).is_some());
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
    if dates.is_empty() {
        problems.push(spec.locate(""), "there are no API releases to generate");
    }
    api.releases = dates
        .into_iter()
        .map(|date| Release { date, module: naming::release_module(date), accessor: naming::release_accessor(date) })
        .collect();
    problems.into_result(())
}
