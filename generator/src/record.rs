//! `api.json` of the generated crate: its API, its version and its
//! changelog. A regeneration reads the one before, reports what changed,
//! checks that the version grew enough, and writes the next.

use serde::{Deserialize, Serialize};

use crate::changes::{Report, Semver};
use crate::surface::Surface;

/// The layout of `api.json` this generator writes and reads.
pub const RECORD_FORMAT: u32 = 1;

/// What `api.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The version of this file's layout.
    pub format: u32,
    /// Says that the file is generated, and how to regenerate it.
    #[serde(rename = "@generated")]
    pub generated: String,
    /// The crate's version when it was generated.
    pub version: String,
    /// The API it was generated for.
    pub api: Surface,
    /// The regenerations that changed the API, newest first, down to the first generation.
    pub changelog: Vec<Entry>,
}

/// One version of the crate in the changelog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The crate's version.
    pub version: String,
    /// What changed in the API since the version before; `None` for the
    /// first generation.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub report: Option<Report>,
}

impl Record {
    /// Reads `api.json`.
    pub fn parse(text: &str) -> Result<Record, String> {
        let format = serde_json::from_str::<serde_json::Value>(text)
            .map_err(|error| format!("not JSON ({error})"))?
            .get("format")
            .and_then(serde_json::Value::as_u64);
        match format {
            Some(found) if found > u64::from(RECORD_FORMAT) => {
                Err(format!("written by a newer generator (format {found}; this one reads format {RECORD_FORMAT})"))
            }
            _ => serde_json::from_str(text).map_err(|error| format!("not an API record ({error})")),
        }
    }

    /// The record after a regeneration at `version`: the report, if the API
    /// changed, is the changelog's newest entry.
    ///
    /// # Errors
    ///
    /// When the API changed and `version` is not at least the version
    /// [`required_version`] gives: the message says which to set.
    pub fn next(
        previous: Option<&Record>,
        api: Surface,
        report: Option<&Report>,
        version: &str,
        generated: String,
    ) -> Result<Record, String> {
        let changelog = match (previous, report) {
            (Some(previous), Some(report)) if !report.is_empty() => {
                check_version(&previous.version, version, report)?;
                let entry = Entry { version: version.to_owned(), report: Some(report.clone()) };
                std::iter::once(entry).chain(previous.changelog.iter().cloned()).collect()
            }
            (Some(previous), _) => previous.changelog.clone(),
            (None, _) => vec![Entry { version: version.to_owned(), report: None }],
        };
        Ok(Record { format: RECORD_FORMAT, generated, version: version.to_owned(), api, changelog })
    }
}

/// Whether `version` is enough for `report`'s changes since `previous`.
fn check_version(previous: &str, version: &str, report: &Report) -> Result<(), String> {
    let parse = |text: &str, what: &str| {
        semver::Version::parse(text).map_err(|error| format!("{what} `{text}` is not a semver version ({error})"))
    };
    let (previous, version) = (parse(previous, "the recorded version")?, parse(version, "`package.version`")?);
    let required = required_version(&previous, report.verdict.semver);
    if version >= required {
        return Ok(());
    }
    Err(format!(
        "the API changed since version {previous} in a {} way ({} change{}), so the crate needs version {required} or \
         later: set `package.version` to it (it is {version})",
        report.verdict.semver,
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
    ))
}

/// The smallest version after `previous` that Cargo reads as a change of
/// `level`: the leftmost non-zero number is the major one, so in `0.y.z` a
/// major change raises `y`, and a minor or patch change raises `z`.
pub fn required_version(previous: &semver::Version, level: Semver) -> semver::Version {
    let (major, minor, patch) = (previous.major, previous.minor, previous.patch);
    let (major, minor, patch) = match (major, minor, level) {
        (0, 0, _) => (0, 0, patch + 1),
        (0, _, Semver::Major) => (0, minor + 1, 0),
        (0, _, _) => (0, minor, patch + 1),
        (_, _, Semver::Major) => (major + 1, 0, 0),
        (_, _, Semver::Minor) => (major, minor + 1, 0),
        (_, _, Semver::Patch) => (major, minor, patch + 1),
    };
    semver::Version::new(major, minor, patch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required(previous: &str, level: Semver) -> String {
        required_version(&semver::Version::parse(previous).expect("a version"), level).to_string()
    }

    #[test]
    fn versions_grow_by_cargo_rules() {
        assert_eq!(required("1.4.2", Semver::Major), "2.0.0");
        assert_eq!(required("1.4.2", Semver::Minor), "1.5.0");
        assert_eq!(required("1.4.2", Semver::Patch), "1.4.3");
        assert_eq!(required("0.4.2", Semver::Major), "0.5.0");
        assert_eq!(required("0.4.2", Semver::Minor), "0.4.3");
        assert_eq!(required("0.0.3", Semver::Minor), "0.0.4");
    }

    fn report(semver: Semver) -> Report {
        Report::new(vec![crate::changes::Change {
            rule: crate::changes::Rule::OperationRemoved,
            wire: crate::changes::Wire::Breaking,
            semver,
            operations: vec!["getOrgInvite".to_owned()],
            releases: Vec::new(),
            pointer: "/paths/~1orgs/get".to_owned(),
            spec: crate::changes::Side::Old,
            message: "operation `getOrgInvite` is gone".to_owned(),
        }])
    }

    #[test]
    fn a_smaller_bump_than_the_changes_need_is_refused() {
        let error =
            check_version("0.2.0", "0.2.1", &report(Semver::Major)).expect_err("0.2.1 is compatible with 0.2.0");
        assert!(error.contains("needs version 0.3.0 or later"), "{error}");
        assert!(check_version("0.2.0", "0.3.0", &report(Semver::Major)).is_ok());
        assert!(check_version("0.2.0", "1.0.0", &report(Semver::Major)).is_ok());
        assert!(check_version("1.2.0", "1.2.1", &report(Semver::Minor)).is_err());
        assert!(check_version("1.2.0", "1.3.0", &report(Semver::Minor)).is_ok());
    }

    #[test]
    fn the_changelog_gains_an_entry_only_when_the_api_changes() {
        let first = Record::next(None, Surface::default(), None, "0.1.0", String::new()).expect("a first record");
        assert_eq!(first.changelog, vec![Entry { version: "0.1.0".to_owned(), report: None }]);
        let same =
            Record::next(Some(&first), Surface::default(), Some(&Report::new(Vec::new())), "0.1.0", String::new());
        assert_eq!(same.expect("no change needs no bump").changelog, first.changelog);
        let changed =
            Record::next(Some(&first), Surface::default(), Some(&report(Semver::Minor)), "0.1.1", String::new())
                .expect("0.1.1 is enough for a minor change");
        assert_eq!(changed.changelog.len(), 2);
        assert_eq!(changed.changelog[0].version, "0.1.1");
        assert!(Record::next(Some(&first), Surface::default(), Some(&report(Semver::Minor)), "0.1.0", String::new())
            .is_err());
    }
}
