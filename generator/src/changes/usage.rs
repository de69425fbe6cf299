//! Where an API uses each named type: in requests, in answers, by which
//! operations and at which releases. A change to a type breaks the wire
//! only in the direction it is used in.

use std::collections::{BTreeMap, BTreeSet};

use crate::surface::{named_types, Surface};

/// The uses of every named type of one surface.
#[derive(Debug, Default)]
pub(super) struct Usage {
    types: BTreeMap<String, Use>,
}

/// How one type is used.
#[derive(Debug, Default, Clone)]
pub(super) struct Use {
    /// Sent in a request body or parameter.
    pub request: bool,
    /// Read from a success or error body.
    pub response: bool,
    /// The `operationId`s that use it.
    pub operations: BTreeSet<String>,
    /// The releases at which an operation sends a resource version that uses it.
    pub releases: BTreeSet<String>,
}

impl Usage {
    /// Where `surface` uses its types. Every resource version counts, also
    /// one no release sends: its endpoint function is public.
    pub fn of(surface: &Surface) -> Usage {
        let mut usage = Usage::default();
        for operation in surface.operations.values() {
            for (date, version) in &operation.versions {
                let releases = surface.releases_sending(operation, date);
                let sent = version
                    .request
                    .iter()
                    .map(|body| body.ty.as_str())
                    .chain(operation.parameters.values().map(|parameter| parameter.ty.as_str()));
                let read = [version.response.as_str(), operation.errors.as_str()];
                for (roots, request) in [(sent.collect::<Vec<_>>(), true), (read.to_vec(), false)] {
                    for name in reachable(surface, roots) {
                        let used = usage.types.entry(name.to_owned()).or_default();
                        if request {
                            used.request = true;
                        } else {
                            used.response = true;
                        }
                        used.operations.insert(operation.operation_id.clone());
                        used.releases.extend(releases.iter().cloned());
                    }
                }
            }
        }
        usage
    }

    /// How `name` is used; unused when it is not.
    pub fn of_type(&self, name: &str) -> Use {
        self.types.get(name).cloned().unwrap_or_default()
    }
}

impl Use {
    /// The operations and releases, as a change lists them.
    pub fn touched(&self) -> (Vec<String>, Vec<String>) {
        (self.operations.iter().cloned().collect(), self.releases.iter().cloned().collect())
    }

    /// What a change to a type used as `self` before and as `now` touches:
    /// the operations by their names now (renamed ones once), the releases
    /// of both.
    pub fn touched_with(&self, now: &Use) -> (Vec<String>, Vec<String>) {
        let operations = if now.operations.is_empty() { &self.operations } else { &now.operations };
        let releases: BTreeSet<&String> = self.releases.iter().chain(&now.releases).collect();
        (operations.iter().cloned().collect(), releases.into_iter().cloned().collect())
    }
}

/// The named types the types in `roots` refer to, directly or through
/// properties, alternatives and aliases.
fn reachable<'a>(surface: &'a Surface, roots: Vec<&'a str>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&str> = roots.into_iter().flat_map(named_types).collect();
    while let Some(name) = pending.pop() {
        let Some(ty) = surface.types.get(name) else { continue };
        if !seen.insert(name) {
            continue;
        }
        let inner = ty
            .properties
            .values()
            .map(|property| property.ty.as_str())
            .chain(ty.others.as_deref())
            .chain(ty.variants.values().map(|variant| variant.ty.as_str()))
            .chain(ty.alias.as_deref());
        pending.extend(inner.flat_map(named_types));
    }
    seen
}
