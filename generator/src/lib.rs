//! Generates a typed Rust crate for the MongoDB Atlas Admin API from its
//! OpenAPI description, with one module per API release.
//!
//! The stages, each its own module:
//!
//! 1. [`load`]: YAML or JSON → a JSON document, checked to be OpenAPI 3.0;
//! 2. [`lower`]: the document → our IR ([`ir`]), collecting every problem;
//! 3. [`passes`]: name and deduplicate inline types, check names, reject
//!    type cycles, box recursive fields, resolve the API releases, and plan
//!    the package from the settings;
//! 4. [`emit`]: IR → Rust items written as `quote!` templates, printed by
//!    prettyplease; the manifest and README rendered from the package;
//! 5. [`output`]: write the files atomically, or check them.
//!
//! [`generate`] runs 1–4 and is pure: same input, byte-identical files.
//! Beside the code it records the API as data ([`surface`]) in the crate's
//! `api.json` ([`record`]); given the record of the previous generation it
//! reports what changed ([`changes`]) and checks the crate's version against
//! that. [`compare_specs`] reports on two specs without generating.
//!
//! [`build`] generates from a crate's `build.rs` instead: modules under
//! `OUT_DIR`, included into that crate, on the runtime crate.
//!
//! ```no_run
//! use atlas_codegen::{generate, Config, SpecSource};
//!
//! let text = std::fs::read_to_string("spec/atlas-invitations.yaml")?;
//! let spec = SpecSource { name: "spec/atlas-invitations.yaml".into(), text };
//! let generated = generate(&Config::default(), &spec)?;
//! atlas_codegen::output::write(std::path::Path::new("generated"), &generated.files)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod changes;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod output;
pub mod passes;
mod pattern;
pub mod record;
pub mod select;
mod settings;
pub mod surface;

use sha2::{Digest, Sha256};

pub use changes::Report;
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use emit::Files;
pub use load::{ReadError, SpecSource};
pub use record::Record;
pub use settings::{parse_releases, parse_settings, Settings};

/// What to generate besides the spec itself.
#[derive(Debug, Clone)]
pub struct Config {
    /// The API releases to emit modules for; `None` takes every resource
    /// version found in the spec.
    pub releases: Option<Vec<ir::ApiDate>>,
    /// Naming and other choices the spec does not make.
    pub settings: Settings,
    /// The command that regenerates the output, named in file headers.
    pub command: String,
    /// Operations to keep (`--include`); all of them when empty.
    pub includes: Vec<select::Include>,
    /// The record (`api.json`) of the crate being regenerated: what the
    /// report compares with, and the changelog it extends.
    pub previous: Option<Record>,
    /// A crate of its own, or modules for a build script to write.
    pub layout: ir::Layout,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            releases: None,
            settings: Settings::default(),
            command: "cargo codegen".to_owned(),
            includes: Vec::new(),
            previous: None,
            layout: ir::Layout::Crate,
        }
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has problems; every one found is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The generator produced Rust that does not parse: a bug in the generator.
    #[error("internal error: the generated code for `{file}` does not parse ({source}); please report this with the spec that caused it")]
    Internal {
        /// The file being emitted.
        file: String,
        /// What `syn` said.
        source: syn::Error,
    },
}

impl From<Diagnostics> for Error {
    fn from(diagnostics: Diagnostics) -> Self {
        Error::Invalid(diagnostics)
    }
}

/// What [`generate`] makes.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The crate's files, by path relative to its root.
    pub files: Files,
    /// What changed in the API since [`Config::previous`], when given.
    pub report: Option<Report>,
}

/// `config` with the releases and settings read from their files, when
/// given. Problems of those files come back together with the spec's own,
/// so that one run lists them all.
///
/// # Errors
///
/// Every problem of the releases, the settings and, when there are any, the spec.
pub fn configure(
    mut config: Config,
    spec: &SpecSource,
    releases: Option<&SpecSource>,
    settings: Option<&SpecSource>,
) -> Result<Config, Diagnostics> {
    let mut problems = Diagnostics::default();
    if let Some(releases) = releases {
        match parse_releases(releases) {
            Ok(releases) => config.releases = Some(releases),
            Err(found) => problems.extend(found),
        }
    }
    if let Some(settings) = settings {
        match parse_settings(settings) {
            Ok(settings) => config.settings = settings,
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        return Ok(config);
    }
    if let Err(found) = build_ir(&config, spec) {
        problems.extend(found);
    }
    Err(problems)
}

/// Loads, validates, lowers and normalises a spec into the IR.
pub fn build_ir(config: &Config, source: &SpecSource) -> Result<ir::Api, Diagnostics> {
    lower_and_normalise(config, &load::load_selected(source, &config.includes)?, Names::Checked)
}

/// Whether a type name the settings give for a place the spec lacks is a
/// stale setting, or expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    Checked,
    /// An older spec compared with, or a selection, may lack some places.
    Lenient,
}

fn lower_and_normalise(config: &Config, spec: &load::LoadedSpec, names: Names) -> Result<ir::Api, Diagnostics> {
    let (lowered, problems) = lower::lower(spec);
    let mut type_names = config.settings.type_names.clone();
    if names == Names::Lenient || !config.includes.is_empty() {
        type_names.retain(|pointer, _| spec.raw.pointer(pointer).is_some());
    }
    let inputs = passes::Inputs {
        spec,
        type_names: &type_names,
        settings_file: &config.settings.source,
        releases: config.releases.clone(),
    };
    passes::run(lowered, problems, inputs)
}

/// Generates the crate's files from a spec, and reports what changed since
/// [`Config::previous`].
///
/// # Errors
///
/// [`Error::Invalid`] for every problem of the spec and the settings, and
/// when the API changed more than the version in the settings grew.
pub fn generate(config: &Config, source: &SpecSource) -> Result<Generated, Error> {
    let spec = load::load_selected(source, &config.includes)?;
    // The header hash needs only the document: it is worked out beside lowering.
    let (api, spec_sha256) =
        rayon::join(|| lower_and_normalise(config, &spec, Names::Checked), || spec_hash(&spec.raw));
    let api = api?;
    let package = passes::package::plan(&api, &config.settings, config.layout)?;
    let context = emit::EmitContext { spec_name: source.name.clone(), spec_sha256, command: config.command.clone() };
    if config.layout != ir::Layout::Crate {
        // Included code has no record: it is regenerated on every build.
        let files = emit::emit(&api, &package, &context).map_err(|(file, source)| Error::Internal { file, source })?;
        return Ok(Generated { files, report: None });
    }
    // The record of the API, the report and the version check need only
    // the IR and the document, and emission only the IR: they run side by
    // side, and the document, a full spec's largest allocation, is freed as
    // soon as the record has what it needs.
    let (api, version, marker) = (&api, &package.version, context.marker());
    let recording = move || {
        let surface = surface::Surface::of(api, &spec.raw);
        drop(spec);
        let report = config.previous.as_ref().map(|previous| changes::compare(&previous.api, &surface));
        let record = Record::next(config.previous.as_ref(), surface, report.as_ref(), version, marker);
        (record, report)
    };
    let (files, (record, report)) = rayon::join(|| emit::emit(api, &package, &context), recording);
    let record = record.map_err(|message| version_problem(config, message, report.as_ref()))?;
    let mut files = files.map_err(|(file, source)| Error::Internal { file, source })?;
    files.extend(emit::record_files(&package, &record));
    Ok(Generated { files, report })
}

/// The version in the settings is too small for the changes, listed after.
fn version_problem(config: &Config, message: String, report: Option<&Report>) -> Error {
    let mut problems = Diagnostics::default();
    let file = match config.settings.source.as_str() {
        "" => "the settings (none given; pass --settings with a `package.version`)".to_owned(),
        named => named.to_owned(),
    };
    let at = Location { file, pointer: "/package/version".to_owned(), line: None };
    let changes = report.map(changes::text).unwrap_or_default();
    let listed: Vec<String> = changes.lines().map(|line| format!("    {line}")).collect();
    problems.push(at, format!("{message}. The changes:\n{}", listed.join("\n")));
    Error::Invalid(problems)
}

/// The API a spec generates, as data.
pub fn api_surface(config: &Config, source: &SpecSource) -> Result<surface::Surface, Diagnostics> {
    let spec = load::load_selected(source, &config.includes)?;
    let api = lower_and_normalise(config, &spec, Names::Lenient)?;
    Ok(surface::Surface::of(&api, &spec.raw))
}

/// What changes from the API of `old` to that of `new`, both read with
/// `config`. Invalid specs get their diagnostics, each naming its file.
pub fn compare_specs(config: &Config, old: &SpecSource, new: &SpecSource) -> Result<Report, Error> {
    match rayon::join(|| api_surface(config, old), || api_surface(config, new)) {
        (Ok(old), Ok(new)) => Ok(changes::compare(&old, &new)),
        (Err(mut problems), Err(more)) => {
            problems.extend(more);
            Err(Error::Invalid(problems))
        }
        (Err(problems), Ok(_)) | (Ok(_), Err(problems)) => Err(Error::Invalid(problems)),
    }
}

/// A plain-text summary of what a spec generates: releases, and per
/// operation its resource versions, body types (and whether the answer is a
/// page of results) and the version each release sends. Reviewers read its
/// snapshot diff.
pub fn plan(api: &ir::Api) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let releases: Vec<String> = api.releases.iter().map(|release| release.date.to_string()).collect();
    let _ = writeln!(out, "releases: {}", releases.join(", "));
    for operation in &api.operations {
        let _ = writeln!(
            out,
            "\n{} ({} {}){}",
            operation.rust_name,
            operation.method.as_str(),
            operation.path,
            if operation.deprecated { " deprecated" } else { "" }
        );
        for version in &operation.versions {
            let request = version.request.as_ref().map_or_else(|| "-".to_owned(), |r| r.ty.to_string());
            let response = match &version.response.body {
                ir::SuccessBody::Empty => "()".to_owned(),
                ir::SuccessBody::Json(ty) => ty.to_string(),
                ir::SuccessBody::JsonOrEmpty(ty) => format!("{ty}?"),
                ir::SuccessBody::Raw => "raw".to_owned(),
            };
            let sunset =
                version.deprecation.and_then(|d| d.sunset).map(|d| format!(", sunset {d}")).unwrap_or_default();
            let paged = if version.paged { ", paged" } else { "" };
            let _ = writeln!(
                out,
                "  {}: request {request}, {} {response}{sunset}{paged}",
                version.date, version.response.status
            );
        }
        // Consecutive releases that send the same resource version, as one range.
        let mut ranges: Vec<(ir::ApiDate, ir::ApiDate, Option<ir::ApiDate>)> = Vec::new();
        for release in &api.releases {
            let sent = operation.version_at(release.date).map(|v| v.date);
            match ranges.last_mut() {
                Some((_, last, same)) if *same == sent => *last = release.date,
                _ => ranges.push((release.date, release.date, sent)),
            }
        }
        for (first, last, sent) in ranges {
            let span = if first == last { first.to_string() } else { format!("{first} … {last}") };
            let sent = sent.map_or_else(|| "absent".to_owned(), |d| format!("sends {d}"));
            let _ = writeln!(out, "  releases {span}: {sent}");
        }
    }
    let _ = writeln!(out, "\ntypes:");
    for def in &api.types {
        let kind = match &def.kind {
            ir::TypeKind::Struct(object) => {
                let fields = object.fields.len() + usize::from(object.others.is_some());
                match api.page_type(&def.name) {
                    Some(page) => format!("struct, {fields} fields, a page of {}", page.item),
                    None => format!("struct, {fields} fields"),
                }
            }
            ir::TypeKind::Enum(values) => format!("enum, {} values", values.values.len()),
            ir::TypeKind::Alias(target) => format!("alias of {target}"),
            ir::TypeKind::Union(union) => {
                let variants: Vec<String> = union.variants.iter().map(|v| v.ty.to_string()).collect();
                match &union.discriminator {
                    Some(property) => format!("union by `{property}` of {}", variants.join(" | ")),
                    None => format!("untagged union of {}", variants.join(" | ")),
                }
            }
        };
        let _ = writeln!(out, "  {} ({kind}) from {}", def.name, def.pointers.join(", "));
    }
    out
}

/// SHA-256, in hex, of the document as compact JSON with object keys
/// sorted: the same for every formatting and key order of one spec, so the
/// header hash changes only when the spec's content does. The JSON is
/// streamed into the hasher rather than built.
fn spec_hash(document: &serde_json::Value) -> String {
    let mut hasher = Sha256::new();
    serde_json::to_writer(&mut hasher, &SortedKeys(document)).expect("hashing cannot fail to write");
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Serializes a JSON value with every object's keys in sorted order.
struct SortedKeys<'a>(&'a serde_json::Value);

impl serde::Serialize for SortedKeys<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0 {
            // serde_json keeps keys sorted unless a crate in the build turns
            // on its `preserve_order`; only then do they need sorting here.
            serde_json::Value::Object(object) if object.keys().is_sorted() => {
                serializer.collect_map(object.iter().map(|(key, value)| (key, SortedKeys(value))))
            }
            serde_json::Value::Object(object) => {
                let mut entries: Vec<_> = object.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, &SortedKeys(value))?;
                }
                map.end()
            }
            serde_json::Value::Array(items) => serializer.collect_seq(items.iter().map(SortedKeys)),
            other => other.serialize(serializer),
        }
    }
}
