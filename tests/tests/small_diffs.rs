//! A small spec change gives a small diff: adding one optional property to
//! one schema changes only that property's lines in `models.rs` (its field
//! and the method that sets it), and one or two lines of its struct's
//! decoding (one where every field is optional, two where the struct also
//! has required ones). Reviewers read these diffs; the snapshot shows one.

use atlas_codegen::changes::{Rule, Semver, Wire};
use atlas_codegen::{generate, Config, Files, Record, SpecSource};
use atlas_tests::{default_config, source};
use serde_json::{json, Value};
use similar::{ChangeTag, TextDiff};

/// The project's spec with one more optional property in `schema`.
fn with_property(schema: &str) -> SpecSource {
    let original = source("spec/atlas-invitations.yaml");
    let mut document: Value = serde_yaml_ng::from_str(&original.text).expect("the spec is YAML");
    let properties = document
        .pointer_mut(&format!("/components/schemas/{schema}/properties"))
        .and_then(Value::as_object_mut)
        .expect("the schema has properties");
    properties.insert(
        "nickname".to_owned(),
        json!({"type": "string", "description": "What the inviting user calls the invitation."}),
    );
    SpecSource { name: original.name, text: document.to_string() }
}

/// The files a spec generates, as a first generation (so that the version
/// needs no bump for the change).
fn generated(spec: &SpecSource) -> Files {
    let config = Config { previous: None, ..default_config() };
    generate(&config, spec).unwrap_or_else(|e| panic!("{e}")).files
}

/// The lines added and removed between two versions of a file.
fn changes(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for change in TextDiff::from_lines(before, after).iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added.push(change.value().trim_end().to_owned()),
            ChangeTag::Delete => removed.push(change.value().trim_end().to_owned()),
            ChangeTag::Equal => {}
        }
    }
    (added, removed)
}

/// The files that differ, other than the crate root, whose docs name the
/// spec's hash.
fn changed_files(before: &Files, after: &Files) -> Vec<String> {
    let paths: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths.into_iter().filter(|path| *path != "src/lib.rs" && before.get(*path) != after.get(*path)).cloned().collect()
}

#[test]
fn an_optional_property_adds_only_its_own_lines() {
    let before = generated(&source("spec/atlas-invitations.yaml"));
    // `OrganizationInvitation` has required properties, `GroupInvitation` none.
    for (schema, decoding) in [("OrganizationInvitation", 2), ("GroupInvitation", 1)] {
        let after = generated(&with_property(schema));
        assert_eq!(changed_files(&before, &after), ["api.json", "src/models.rs"], "{schema}");
        let (added, removed) = changes(&before["api.json"], &after["api.json"]);
        assert!(removed.is_empty() && added.len() <= 8, "{schema}: api.json gains the property only: {added:#?}");
        let (added, removed) = changes(&before["src/models.rs"], &after["src/models.rs"]);
        assert!(removed.is_empty(), "{schema}: lines were rewritten: {removed:#?}");
        // The field, and the method that sets it.
        let field = [
            "    /// What the inviting user calls the invitation.",
            "    #[serde(skip_serializing_if = \"Option::is_none\")]",
            "    pub nickname: Option<String>,",
            "    /// Sets [`nickname`](Self::nickname).",
            "    pub fn with_nickname(mut self, nickname: impl Into<String>) -> Self {",
            "        self.nickname = Some(nickname.into());",
            "        self",
            "    }",
        ];
        let mut decoding_lines = vec!["            \"nickname\" => entry.read(&mut self.nickname),"];
        if decoding == 2 {
            decoding_lines.insert(0, "            nickname: None,");
        }
        let expected: Vec<&str> = field.iter().copied().chain(decoding_lines).collect();
        assert_eq!(added, expected, "{schema}");
        let (root_added, root_removed) = changes(&before["src/lib.rs"], &after["src/lib.rs"]);
        assert!(root_added.len() == 1 && root_removed.len() == 1, "only the spec's hash changes in lib.rs");
    }
}

/// Regenerating the committed crate reports the property as a minor,
/// compatible change, and asks for a version that says so.
#[test]
fn regenerating_reports_the_new_property() {
    let spec = with_property("OrganizationInvitation");
    let Err(refused) = generate(&default_config(), &spec) else { panic!("the version was not bumped") };
    let refused = refused.to_string();
    assert!(refused.contains("/package/version") && refused.contains("needs version"), "{refused}");

    let mut config = default_config();
    let previous = config.previous.clone().expect("the committed record");
    let bumped = atlas_codegen::record::required_version(&previous.version.parse().expect("semver"), Semver::Minor);
    config.settings.package.version = Some(bumped.to_string());
    let generated = generate(&config, &spec).unwrap_or_else(|e| panic!("{e}"));
    let report = generated.report.expect("a report against the committed record");
    let found: Vec<_> = report.changes.iter().map(|c| (c.rule, c.wire, c.semver, c.pointer.as_str())).collect();
    assert_eq!(
        found,
        [(
            Rule::PropertyAdded,
            Wire::Compatible,
            Semver::Minor,
            "/components/schemas/OrganizationInvitation/properties/nickname"
        )]
    );
    let record = Record::parse(&generated.files["api.json"]).expect("the new record reads back");
    assert_eq!(record.changelog[0].version, bumped.to_string());
    assert_eq!(record.changelog[0].report.as_ref(), Some(&report));
    assert!(generated.files["CHANGELOG.md"].contains(&format!("## {bumped}\n")));
}

/// The diff a reviewer reads for the struct with required properties.
#[test]
fn the_diff_of_one_new_property() {
    let before = generated(&source("spec/atlas-invitations.yaml"));
    let after = generated(&with_property("OrganizationInvitation"));
    let diff = TextDiff::from_lines(&before["src/models.rs"], &after["src/models.rs"]);
    let unified = diff.unified_diff().context_radius(2).header("a/src/models.rs", "b/src/models.rs").to_string();
    insta::assert_snapshot!(unified);
}
