//! The generator's inputs besides the spec: the list of API releases, and the
//! settings file with the choices the spec does not make (the package the
//! crate is published as, names of inline types, what the client offers).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::ApiDate;
use crate::load::SpecSource;

/// Choices the spec leaves open. Every one has a default, so a spec
/// generates without a settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// How the generated crate is published.
    pub package: PackageSettings,
    /// Rust names for inline schemas, keyed by the JSON pointer (without `#`)
    /// of any place the schema appears.
    pub type_names: BTreeMap<String, String>,
    /// Whether the async client gets an accessor per API release with a
    /// method per operation (`client.v2025_03_12().list_org_invites(..)`).
    /// That is a method per operation and release: a dozen releases of a
    /// full API would double the generated code, and `Client::send` sends
    /// every endpoint function's request without them. Off by default.
    pub client_accessors: bool,
    /// The `operationId` the README and the example program call; without
    /// it the generator picks a `GET` of the newest release.
    pub example: Option<String>,
    /// The settings file as named in messages; empty when there is none.
    pub source: String,
}

/// The `[package]` of the generated crate. What is not set is made from the
/// spec: the name and description from its title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackageSettings {
    /// The package name, e.g. `atlas-admin-invitations`.
    pub name: Option<String>,
    /// The package version; `0.1.0` unless set.
    pub version: Option<String>,
    /// One sentence on what the crate is.
    pub description: Option<String>,
    /// The licence of the generated crate, an SPDX expression.
    pub license: Option<String>,
    /// Where its source lives.
    pub repository: Option<String>,
    /// crates.io keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// crates.io categories.
    #[serde(default)]
    pub categories: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SettingsFile {
    #[serde(default)]
    package: PackageSettings,
    #[serde(default)]
    type_names: BTreeMap<String, String>,
    #[serde(default)]
    client_accessors: bool,
    example: Option<String>,
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
    if let Some(name) = &file.package.name {
        if !is_package_name(name) {
            problems.push(
                at("/package/name"),
                format!("`{name}` is not a package name: ASCII letters, digits, `-` and `_`, starting with a letter"),
            );
        }
    }
    if let Some(version) = &file.package.version {
        if !is_version(version) {
            problems.push(at("/package/version"), format!("`{version}` is not a version `MAJOR.MINOR.PATCH`"));
        }
    }
    problems.into_result(Settings {
        package: file.package,
        type_names: file.type_names,
        client_accessors: file.client_accessors,
        example: file.example,
        source: source.name.clone(),
    })
}

/// Whether cargo accepts `name` as a package name.
fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64
}

/// `MAJOR.MINOR.PATCH`, optionally with a pre-release part (`-alpha.1`).
fn is_version(version: &str) -> bool {
    let core = version.split_once('-').map_or(version, |(core, pre)| if pre.is_empty() { "" } else { core });
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part.len() == 1 || !part.starts_with('0'))
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

    #[test]
    fn package_names_and_versions_are_checked() {
        let settings = parse("package:\n  name: my-atlas\n  version: 1.2.3\n").expect("valid");
        assert_eq!(settings.package.name.as_deref(), Some("my-atlas"));
        let problems = parse("package:\n  name: 1st crate\n  version: 1.02\n").expect_err("both wrong");
        let text = problems.to_string();
        assert!(text.contains("`1st crate` is not a package name"), "{text}");
        assert!(text.contains("`1.02` is not a version"), "{text}");
        assert!(is_version("0.1.0") && is_version("1.0.0-alpha.1") && !is_version("1.0") && !is_version("1.0.0-"));
        let problems = parse("package:\n  nmae: x\n").expect_err("unknown key");
        assert!(problems.to_string().contains("nmae"), "{problems}");
    }
}
