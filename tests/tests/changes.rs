//! The change corpus: each case of `tests/fixtures/changes/` is one spec
//! change (its `new.yaml` against `base.yaml`, or against its own
//! `old.yaml`). Its report is a snapshot, and its verdicts are asserted
//! here, so that ordinary growth stays semver-minor and wire-compatible.

use std::path::{Path, PathBuf};

use atlas_codegen::changes::{self, Rule, Semver, Wire};
use atlas_codegen::{compare_specs, Config, Report, SpecSource};
use atlas_tests::repo_root;

/// Every case, with the verdicts its report must give.
const CASES: &[(&str, Wire, Semver)] = &[
    // Ordinary upstream growth.
    ("api-release-added", Wire::Compatible, Semver::Minor),
    ("enum-value-added", Wire::Compatible, Semver::Minor),
    ("operation-added", Wire::Compatible, Semver::Minor),
    ("optional-parameter-added", Wire::Compatible, Semver::Minor),
    ("optional-request-property", Wire::Compatible, Semver::Minor),
    ("optional-response-property", Wire::Compatible, Semver::Minor),
    ("resource-version-added", Wire::Compatible, Semver::Minor),
    // Breaking changes.
    ("enum-value-removed", Wire::Breaking, Semver::Major),
    ("operation-removed", Wire::Breaking, Semver::Major),
    ("parameter-became-required", Wire::Breaking, Semver::Major),
    ("request-property-narrowed", Wire::Breaking, Semver::Major),
    ("required-request-property-added", Wire::Breaking, Semver::Major),
    ("resource-version-sunset", Wire::Breaking, Semver::Major),
    ("response-property-removed", Wire::Breaking, Semver::Major),
    // Callers keep working, but Rust code using the field does not compile.
    ("optional-response-property-removed", Wire::Compatible, Semver::Major),
    // Requests may be refused, but the Rust API is the same.
    ("constraint-tightened", Wire::Breaking, Semver::Patch),
    // No API change at all.
    ("description-only", Wire::Compatible, Semver::Patch),
];

fn corpus() -> PathBuf {
    repo_root().join("tests/fixtures/changes")
}

fn read(path: &Path) -> SpecSource {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let relative = path.strip_prefix(repo_root()).unwrap_or(path);
    SpecSource { name: relative.to_string_lossy().replace('\\', "/"), text }
}

/// The report of one case, as `cargo codegen --spec NEW --base OLD` makes it.
fn report(case: &str) -> Report {
    let dir = corpus().join(case);
    let old = if dir.join("old.yaml").exists() { dir.join("old.yaml") } else { corpus().join("base.yaml") };
    compare_specs(&Config::default(), &read(&old), &read(&dir.join("new.yaml")))
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

#[test]
fn every_case_is_listed() {
    let mut found: Vec<String> = std::fs::read_dir(corpus())
        .expect("the corpus is readable")
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut listed: Vec<&str> = CASES.iter().map(|(case, ..)| *case).collect();
    listed.sort_unstable();
    assert_eq!(found, listed);
}

#[test]
fn each_case_has_its_verdicts_and_reviewed_report() {
    for &(case, wire, semver) in CASES {
        let report = report(case);
        assert_eq!((report.verdict.wire, report.verdict.semver), (wire, semver), "{case}:\n{}", changes::text(&report));
        insta::assert_snapshot!(case, changes::text(&report));
    }
}

/// Growth never asks for a major version, and the description-only change
/// reports nothing.
#[test]
fn growth_is_minor_and_a_description_is_no_change() {
    for &(case, ..) in &CASES[..7] {
        assert!(report(case).changes.iter().all(|change| change.semver != Semver::Major), "{case}");
    }
    assert!(report("description-only").is_empty());
}

/// The JSON a CI job reads: a format version, the verdict, and per change
/// its rule id, verdicts, operations, releases, pointer and sentence.
#[test]
fn the_json_report_has_the_documented_shape() {
    let json = serde_json::to_value(report("resource-version-sunset")).expect("a report is JSON");
    insta::assert_json_snapshot!(json);
    let round_trip: Report = serde_json::from_value(json).expect("the JSON reads back");
    assert_eq!(round_trip, report("resource-version-sunset"));
}

/// Every rule the report can give is documented in the README, by id.
#[test]
fn the_readme_documents_every_rule() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("the README is readable");
    let missing: Vec<&str> = Rule::all().map(Rule::id).filter(|id| !readme.contains(&format!("`{id}`"))).collect();
    assert!(missing.is_empty(), "rules the README does not list: {missing:?}");
}
