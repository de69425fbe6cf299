//! The generator end to end: the committed crate is current, the output is
//! deterministic, and each feature fixture's output is reviewed as a snapshot.

use std::path::Path;

use atlas_codegen::{build_ir, generate, output, plan, Files, SpecSource};
use atlas_tests::{default_config, generate_fixture, repo_root, source};

fn generate_spec() -> Files {
    generate(&default_config(), &source("spec/atlas-invitations.yaml")).unwrap_or_else(|e| panic!("{e}")).files
}

/// `generated/` is exactly what the generator makes of `spec/`: no stale,
/// missing or orphaned file.
#[test]
fn generated_crate_is_up_to_date() {
    let files = generate_spec();
    let changes = output::check(&repo_root().join("generated"), &files).expect("generated/ is readable");
    let listed: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert!(
        changes.is_empty(),
        "generated/ is out of date with spec/:\n  {}\nRun `cargo codegen`, review the diff, and commit it with the spec.",
        listed.join("\n  ")
    );
}

/// What the spec generates, per operation and release, for reviewers.
#[test]
fn spec_plan() {
    let api = build_ir(&default_config(), &source("spec/atlas-invitations.yaml")).unwrap_or_else(|d| panic!("{d}"));
    insta::assert_snapshot!(plan(&api));
}

#[test]
fn output_is_deterministic() {
    assert_eq!(generate_spec(), generate_spec());
}

/// Object key order carries no meaning in a spec, so shuffling every
/// object's keys (and writing JSON instead of YAML) changes no output byte.
#[test]
fn output_does_not_depend_on_key_order() {
    let original = source("spec/atlas-invitations.yaml");
    let value: serde_json::Value = serde_yaml_ng::from_str(&original.text).expect("the spec is YAML");
    for seed in 1..=3 {
        let shuffled = SpecSource { name: original.name.clone(), text: shuffle_keys(&value, seed).to_string() };
        let files = generate(&default_config(), &shuffled).unwrap_or_else(|e| panic!("{e}")).files;
        assert_eq!(files, generate_spec(), "output changed with key order (seed {seed})");
    }
}

/// The same for every fixture: key order changes no output byte, and for
/// the invalid ones no problem (lines aside, which the reordered text moves).
#[test]
fn fixture_output_does_not_depend_on_key_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for kind in ["generate", "invalid"] {
        let mut paths: Vec<_> =
            std::fs::read_dir(root.join(kind)).expect("fixtures").flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
            let (config, source) = atlas_tests::fixture_input(path);
            let Ok(value) = serde_yaml_ng::from_str::<serde_json::Value>(source.text.trim_start_matches('\u{feff}'))
            else {
                continue;
            };
            let expected = outcome(&config, &source);
            for seed in 1..=2 {
                let shuffled = SpecSource { name: source.name.clone(), text: shuffle_keys(&value, seed).to_string() };
                assert_eq!(
                    outcome(&config, &shuffled),
                    expected,
                    "{} changed with key order (seed {seed})",
                    source.name
                );
            }
        }
    }
}

/// What generation gives, comparable across formattings of one spec: the
/// files, or each problem's file, pointer and message.
fn outcome(config: &atlas_codegen::Config, source: &SpecSource) -> Result<Files, Vec<String>> {
    match atlas_tests::generate_catching(config, source).unwrap_or_else(|panic| panic!("{}: {panic}", source.name)) {
        Ok(files) => Ok(files),
        Err(atlas_codegen::Error::Invalid(diagnostics)) => {
            let mut problems: Vec<String> = diagnostics
                .iter()
                .map(|d| format!("{} #{} {}", d.location.file, d.location.pointer, d.message))
                .collect();
            problems.sort();
            Err(problems)
        }
        Err(other) => panic!("{}: {other}", source.name),
    }
}

/// A deterministic reordering of every object's keys (serde_json keeps
/// insertion order in this workspace).
fn shuffle_keys(value: &serde_json::Value, seed: usize) -> serde_json::Value {
    match value {
        serde_json::Value::Object(object) => {
            let mut entries: Vec<(&String, &serde_json::Value)> = object.iter().collect();
            entries.reverse();
            let len = entries.len().max(1);
            entries.rotate_left(seed % len);
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), shuffle_keys(v, seed))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(|v| shuffle_keys(v, seed)).collect())
        }
        other => other.clone(),
    }
}

/// One snapshot per fixture: every Rust file it generates (the runtime is
/// copied from its own crate, reviewed as code, so it is left out), and for
/// a fixture with settings its manifest and README too.
#[test]
fn fixtures_generate_as_reviewed() {
    insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"), "generate/*.yaml", |path| {
        let files = generate_fixture(path);
        let package = atlas_tests::has_settings(path);
        let shown = |name: &str| {
            (name.ends_with(".rs") && !name.starts_with("src/runtime/"))
                || (package && (name == "Cargo.toml" || name == "README.md"))
        };
        let mut snapshot = String::new();
        for (name, contents) in files.iter().filter(|(name, _)| shown(name)) {
            snapshot.push_str(&format!("──── {name} ────\n{contents}\n"));
        }
        insta::assert_snapshot!(snapshot);
    });
}

/// A fixture snapshot whose fixture was deleted or renamed would linger
/// unreviewed; every one must belong to a fixture that exists.
#[test]
fn no_orphaned_fixture_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prefix = "pipeline__fixtures_generate_as_reviewed@";
    for entry in std::fs::read_dir(root.join("tests/snapshots")).expect("snapshots dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(fixture) = name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(".snap")) {
            let path = root.join("fixtures/generate").join(fixture);
            assert!(path.exists(), "snapshot {name} has no fixture {}; delete the snapshot", path.display());
        }
    }
}

/// Paged operations are found by their shape, not their names: of the
/// fixture's operations, the two `GET`s that take the page parameters and
/// answer `results` with `links` are paged, and their bodies are the pages;
/// the `POST` that answers a page is not paged.
#[test]
fn paged_operations_are_found_by_shape() {
    let (config, spec) =
        atlas_tests::fixture_input(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/generate/paging.yaml"));
    let api = build_ir(&config, &spec).unwrap_or_else(|d| panic!("{d}"));
    let paged: Vec<&str> = api.paged_operations().map(|op| op.operation_id.as_str()).collect();
    assert_eq!(paged, ["listClusters", "listProjects"]);
    let pages: Vec<(&str, String)> = api.pages.iter().map(|page| (page.name.as_str(), page.item.to_string())).collect();
    assert_eq!(pages, [("PaginatedClusters", "Cluster".to_owned()), ("PaginatedProjects", "Project".to_owned())]);
}

/// `--include` keeps the named operations and the schemas they use, and a
/// filter that matches nothing is an error rather than an empty crate.
#[test]
fn selection_keeps_only_the_named_operations() {
    let select = |filters: &[&str]| {
        let includes = filters.iter().map(|f| f.parse().expect("valid filter")).collect();
        let config = atlas_codegen::Config { includes, ..default_config() };
        build_ir(&config, &source("spec/atlas-invitations.yaml"))
    };
    let projects = select(&["tag:Projects"]).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<&str> = projects.operations.iter().map(|op| op.operation_id.as_str()).collect();
    assert_eq!(
        names,
        [
            "createGroupInvite",
            "deleteGroupInvite",
            "getGroupInvite",
            "listGroupInvites",
            "updateGroupInviteById",
            "updateGroupInvites"
        ]
    );
    assert!(projects.type_named("OrganizationInvitation").is_none(), "unreached schemas are dropped");
    assert!(projects.type_named("ProjectRole").is_some());

    let one =
        select(&["path:/api/atlas/v2/orgs/*/invites/*", "operation:listOrgInvites"]).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(one.operations.len(), 4);

    let typo = select(&["tag:Project"]).expect_err("a filter that selects nothing is an error");
    assert!(typo.to_string().contains("--include tag:Project selects no operation"), "{typo}");
}
