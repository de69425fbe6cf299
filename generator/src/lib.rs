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
//!
//! ```no_run
//! use atlas_codegen::{generate, Config, SpecSource};
//!
//! let text = std::fs::read_to_string("spec/atlas-invitations.yaml")?;
//! let spec = SpecSource { name: "spec/atlas-invitations.yaml".into(), text };
//! let files = generate(&Config::default(), &spec)?;
//! atlas_codegen::output::write(std::path::Path::new("generated"), &files)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod output;
pub mod passes;
mod pattern;
pub mod select;
mod settings;

use sha2::{Digest, Sha256};

pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use emit::Files;
pub use load::SpecSource;
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            releases: None,
            settings: Settings::default(),
            command: "cargo codegen".to_owned(),
            includes: Vec::new(),
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

/// Loads, validates, lowers and normalises a spec into the IR.
pub fn build_ir(config: &Config, source: &SpecSource) -> Result<ir::Api, Diagnostics> {
    lower_and_normalise(config, &load::load_selected(source, &config.includes)?)
}

fn lower_and_normalise(config: &Config, spec: &load::LoadedSpec) -> Result<ir::Api, Diagnostics> {
    let (lowered, problems) = lower::lower(spec);
    // A selection may drop the schemas a name is for; only then is an unused
    // name expected rather than a stale setting.
    let mut type_names = config.settings.type_names.clone();
    if !config.includes.is_empty() {
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

/// Generates the crate's files from a spec.
pub fn generate(config: &Config, source: &SpecSource) -> Result<Files, Error> {
    let spec = load::load_selected(source, &config.includes)?;
    // The header hash needs only the document: it is worked out beside lowering.
    let (api, spec_sha256) = rayon::join(|| lower_and_normalise(config, &spec), || spec_hash(&spec.raw));
    let api = api?;
    let package = passes::package::plan(&api, &config.settings)?;
    let context = emit::EmitContext { spec_name: source.name.clone(), spec_sha256, command: config.command.clone() };
    // Emission needs only the IR: the document, a full spec's largest
    // allocation, is freed beside it.
    let (files, ()) = rayon::join(|| emit::emit(&api, &package, &context), move || drop(spec));
    files.map_err(|(file, source)| Error::Internal { file, source })
}

/// A plain-text summary of what a spec generates: releases, and per
/// operation its resource versions, body types and the version each
/// release sends. Reviewers read its snapshot diff.
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
            let request = version.request.as_ref().map_or_else(|| "-".to_owned(), |r| describe(&r.ty));
            let response = match &version.response.body {
                ir::SuccessBody::Empty => "()".to_owned(),
                ir::SuccessBody::Json(ty) => describe(ty),
                ir::SuccessBody::JsonOrEmpty(ty) => format!("{}?", describe(ty)),
                ir::SuccessBody::Raw => "raw".to_owned(),
            };
            let sunset =
                version.deprecation.and_then(|d| d.sunset).map(|d| format!(", sunset {d}")).unwrap_or_default();
            let _ =
                writeln!(out, "  {}: request {request}, {} {response}{sunset}", version.date, version.response.status);
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
                format!("struct, {} fields", object.fields.len() + usize::from(object.others.is_some()))
            }
            ir::TypeKind::Enum(values) => format!("enum, {} values", values.values.len()),
            ir::TypeKind::Alias(target) => format!("alias of {}", describe(target)),
            ir::TypeKind::Union(union) => {
                let variants: Vec<String> = union.variants.iter().map(|v| describe(&v.ty)).collect();
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

fn describe(ty: &ir::Type) -> String {
    match ty {
        ir::Type::Named(name) => name.clone(),
        ir::Type::Array(items) => format!("[{}]", describe(items)),
        ir::Type::Map(values) => format!("{{string: {}}}", describe(values)),
        ir::Type::Nullable(inner) => format!("{}?", describe(inner)),
        other => format!("{other:?}").to_lowercase(),
    }
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
