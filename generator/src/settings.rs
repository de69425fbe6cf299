//! The generator's inputs besides the spec: the list of API releases and the
//! settings file with choices the spec does not make (names of inline types,
//! whether the client has per-release accessors).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::ApiDate;
use crate::load::SpecSource;

/// Choices the spec leaves open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Rust names for inline schemas, keyed by the JSON pointer (without `#`)
    /// of any place the schema appears.
    pub type_names: BTreeMap<String, String>,
    /// Whether the async client gets an accessor per API release with a
    /// method per operation (`client.v2025_03_12().list_org_invites(..)`).
    /// That is a method per operation and release: a dozen releases of a
    /// full API would double the generated code, and `Client::send` sends
    /// every endpoint function's request without them. Off by default.
    pub client_accessors: bool,
    /// The settings file as named in messages; empty when there is none.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SettingsFile {
    #[serde(default)]
    type_names: BTreeMap<String, String>,
    #[serde(default)]
    client_accessors: bool,
}

/// Parses a settings file (YAML).
pub fn parse_settings(source: &SpecSource) -> Result<Settings, Diagnostics> {
    let mut problems = Diagnostics::default();
    let at = |pointer: &str| Location { file: source.name.clone(), pointer: pointer.to_owned(), line: None };
    let file: SettingsFile = match serde_yaml_ng::from_str(&source.text) {
        Ok(file) => file,
        Err(error) => {
            let line = error.location().map(|l| l.line());
            problems.push(Location { line, ..at("") }, format!("invalid settings: {error}"));
            return Err(problems);
        }
    };
    for (pointer, name) in &file.type_names {
        let token = crate::diagnostics::pointer_join("/type-names", pointer);
        if !pointer.starts_with('/') {
            problems.push(at(&token), format!("`{pointer}` is not a JSON pointer (it must start with `/`)"));
        }
        if crate::naming::type_name(name) != *name {
            problems.push(at(&token), format!("`{name}` is not an UpperCamelCase Rust type name"));
        }
    }
    problems.into_result(Settings {
        type_names: file.type_names,
        client_accessors: file.client_accessors,
        source: source.name.clone(),
    })
}

/// Parses a JSON array of API release dates, as Atlas publishes it. Only
/// stable dated releases are generated; `preview` and `*.upcoming` entries
/// are reported rather than skipped silently.
pub fn parse_releases(source: &SpecSource) -> Result<Vec<ApiDate>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let at = |pointer: String, line: Option<usize>| Location { file: source.name.clone(), pointer, line };
    let entries: Vec<String> = match serde_json::from_str(&source.text) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(
                at(String::new(), Some(error.line())),
                format!("expected a JSON array of dates `YYYY-MM-DD`: {error}"),
            );
            return Err(problems);
        }
    };
    let mut releases = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        match ApiDate::parse(entry) {
            Some(date) => releases.push(date),
            None if entry == "preview" || entry.ends_with(".upcoming") => problems.push(
                at(format!("/{index}"), None),
                format!("`{entry}` is not a stable release; this generator emits dated releases only, so remove it"),
            ),
            None => problems.push(at(format!("/{index}"), None), format!("`{entry}` is not a date `YYYY-MM-DD`")),
        }
    }
    problems.into_result(releases)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, Diagnostics> {
        parse_settings(&SpecSource { name: "codegen.yaml".into(), text: text.into() })
    }

    #[test]
    fn client_accessors_are_off_unless_asked_for() {
        assert!(!parse("type-names: {}\n").expect("valid").client_accessors);
        assert!(parse("client-accessors: true\n").expect("valid").client_accessors);
        let problems = parse("client-accessors: maybe\n").expect_err("not a boolean");
        assert!(problems.to_string().contains("client-accessors"), "{problems}");
        let problems = parse("client_accessors: true\n").expect_err("unknown key");
        assert!(problems.to_string().contains("client_accessors"), "{problems}");
    }
}
