//! Stage 3: the passes that turn what lowering found into the IR the
//! emitters read. Each is a small function with its own tests, run in this
//! order:
//!
//! 1. [`hoist`]: name every inline schema (deduplicating enums with the same
//!    values), which makes the model one of named types only;
//! 2. [`names`]: check that no two things that share a Rust namespace got
//!    one name, and order types and ids by name;
//! 3. [`cycles`]: refuse types defined as themselves, box recursive fields;
//! 4. [`releases`]: decide the API releases and their names;
//! 5. [`pages`]: find the operations that answer a page of results, and
//!    the structs that are pages.
//!
//! Every pass runs even when an earlier one found problems, so that one run
//! reports them all; the IR is returned only when there are none.

pub mod cycles;
pub mod hoist;
pub mod names;
pub mod package;
pub mod pages;
pub mod releases;

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, ApiDate, Target};
use crate::load::LoadedSpec;

/// What the passes need besides the lowered API.
pub struct Inputs<'a> {
    /// The spec, for locating problems.
    pub spec: &'a LoadedSpec,
    /// Names for inline schemas, by JSON pointer.
    pub type_names: &'a BTreeMap<String, String>,
    /// The settings file, as named in messages.
    pub settings_file: &'a str,
    /// The API releases to generate; `None` takes every resource version.
    pub releases: Option<Vec<ApiDate>>,
}

/// Runs every pass over a lowered API.
pub fn run(lowered: Api<Target>, mut problems: Diagnostics, inputs: Inputs<'_>) -> Result<Api, Diagnostics> {
    let (mut api, found) = hoist::hoist_inline_types(lowered, inputs.type_names, inputs.spec, inputs.settings_file);
    problems.extend(found);
    for result in [
        names::check_names(&mut api, inputs.spec),
        cycles::check_cycles(&api, inputs.spec),
        cycles::check_required_cycles(&api, inputs.spec),
    ] {
        if let Err(found) = result {
            problems.extend(found);
        }
    }
    cycles::box_recursive_fields(&mut api);
    if let Err(found) = releases::resolve_releases(&mut api, inputs.releases, inputs.spec) {
        problems.extend(found);
    }
    pages::find_pages(&mut api);
    problems.into_result(api)
}
