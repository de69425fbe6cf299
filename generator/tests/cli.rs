//! The `atlas-codegen` binary: exit codes, `--check`, and that a failed run
//! leaves the output directory exactly as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn codegen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_atlas-codegen")).args(args).current_dir(cwd).output().expect("the binary runs")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs with the repository's spec into a temporary output directory.
fn run_into(out: &Path, extra: &[&str]) -> Output {
    let root = repo_root();
    let out = out.to_str().expect("utf-8 path");
    let mut args = vec!["--spec", "spec/atlas-invitations.yaml", "--versions", "spec/versions.json"];
    args.extend(["--settings", "spec/codegen.yaml", "--out", out]);
    args.extend(extra);
    codegen(&args, &root)
}

#[test]
fn help_documents_the_options_and_exit_codes() {
    let output = codegen(&["--help"], &repo_root());
    assert!(output.status.success());
    insta::assert_snapshot!(text(&output.stdout));
}

#[test]
fn writes_then_checks_then_rewrites_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crate");

    let check = run_into(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "a missing output is stale");
    assert!(text(&check.stderr).contains("missing:  src/lib.rs"), "{}", text(&check.stderr));
    assert!(!out.exists(), "--check writes nothing");

    let write = run_into(&out, &[]);
    assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
    assert!(out.join("src/lib.rs").is_file());
    let modified = std::fs::metadata(out.join("src/models.rs")).and_then(|m| m.modified()).expect("mtime");

    let again = run_into(&out, &[]);
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again.stdout).contains("nothing written"), "{}", text(&again.stdout));
    let unchanged = std::fs::metadata(out.join("src/models.rs")).and_then(|m| m.modified()).expect("mtime");
    assert_eq!(modified, unchanged, "an up-to-date run rewrites nothing");

    assert_eq!(run_into(&out, &["--check"]).status.code(), Some(0));
}

#[test]
fn check_names_stale_and_orphaned_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crate");
    assert!(run_into(&out, &[]).status.success());
    std::fs::write(out.join("src/models.rs"), "// edited by hand\n").expect("write");
    std::fs::write(out.join("src/leftover.rs"), "").expect("write");
    std::fs::create_dir_all(out.join("target")).expect("build dirs are not output");

    let check = run_into(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = text(&check.stderr);
    assert!(report.contains("stale:    src/models.rs"), "{report}");
    assert!(report.contains("orphaned: src/leftover.rs"), "{report}");
    assert!(!report.contains("target"), "{report}");
    assert!(report.contains("cargo codegen"), "the report says how to fix it: {report}");

    assert!(run_into(&out, &[]).status.success());
    assert!(!out.join("src/leftover.rs").exists(), "regenerating removes orphans");
    assert!(out.join("target").is_dir(), "regenerating keeps build output");
}

#[test]
fn invalid_input_exits_2_and_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crate");
    assert!(run_into(&out, &[]).status.success());
    let before = std::fs::read(out.join("src/lib.rs")).expect("read");

    let spec = dir.path().join("broken.yaml");
    std::fs::write(&spec, "openapi: 3.0.1\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a: [unclosed\n")
        .expect("write");
    let output = codegen(&["--spec", spec.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("broken.yaml:"), "names the file and line: {message}");
    assert!(message.contains("invalid YAML"), "{message}");
    assert_eq!(std::fs::read(out.join("src/lib.rs")).expect("read"), before, "output untouched");
}

#[test]
fn missing_files_are_reported_with_exit_3() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = codegen(&["--spec", "nope.yaml", "--out", "out"], dir.path());
    assert_eq!(output.status.code(), Some(3));
    assert!(text(&output.stderr).contains("cannot read nope.yaml"), "{}", text(&output.stderr));
}

#[test]
fn default_run_outside_the_repository_explains_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = codegen(&[], dir.path());
    assert_eq!(output.status.code(), Some(3));
    assert!(text(&output.stderr).contains("run inside the repository"), "{}", text(&output.stderr));
}

#[test]
fn problems_in_every_input_are_reported_in_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n").expect("write");
    let versions = dir.path().join("versions.json");
    std::fs::write(&versions, r#"["2023-01-01", "2023-13-01"]"#).expect("write");
    let output = codegen(&["--spec", "spec.yaml", "--versions", "versions.json", "--out", "out"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("versions.json at #/1: `2023-13-01` is not a date"), "{message}");
    assert!(message.contains("Swagger 2.0 is not supported"), "{message}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

/// A case of the change corpus.
fn corpus(path: &str) -> String {
    format!("tests/fixtures/changes/{path}")
}

#[test]
fn base_reports_without_writing_and_fails_on_breaking_changes() {
    let root = repo_root();
    let (old, new) = (corpus("base.yaml"), corpus("operation-removed/new.yaml"));
    let json = codegen(&["--spec", &new, "--base", &old, "--report", "json"], &root);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("stdout is only the JSON report");
    assert_eq!(report["format"], 1);
    assert_eq!(report["verdict"], serde_json::json!({"wire": "breaking", "semver": "major"}));
    assert_eq!(report["changes"][0]["rule"], "operation-removed");
    assert_eq!(report["changes"][0]["spec"], "old");

    let gated = codegen(&["--spec", &new, "--base", &old, "--fail-on", "breaking"], &root);
    assert_eq!(gated.status.code(), Some(5));
    assert!(text(&gated.stdout).contains("operation-removed"), "the report is printed: {}", text(&gated.stdout));

    let growth = corpus("operation-added/new.yaml");
    let markdown =
        codegen(&["--spec", &growth, "--base", &old, "--fail-on", "breaking", "--report", "markdown"], &root);
    assert_eq!(markdown.status.code(), Some(0), "growth passes the gate");
    assert!(
        text(&markdown.stdout).contains("| minor | compatible | `operation-added` |"),
        "{}",
        text(&markdown.stdout)
    );
}

#[test]
fn an_invalid_base_spec_is_named_in_its_diagnostics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("old.yaml");
    std::fs::write(
        &broken,
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n",
    )
    .expect("write");
    let output = codegen(&["--spec", &corpus("base.yaml"), "--base", broken.to_str().expect("utf-8")], &repo_root());
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("old.yaml") && stderr.contains("/paths/~1a/get/responses"), "{stderr}");
}

/// Regenerating over a crate reads its `api.json`: a change that needs a
/// new version without one is refused and writes nothing; with the version
/// set, the changelog gains the report.
#[test]
fn a_regeneration_needs_the_version_its_changes_call_for() {
    let root = repo_root();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crate");
    let out_arg = out.to_str().expect("utf-8 path");
    let first = codegen(&["--spec", &corpus("base.yaml"), "--out", out_arg], &root);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let before = std::fs::read_to_string(out.join("api.json")).expect("a record");

    let new = corpus("enum-value-removed/new.yaml");
    let refused = codegen(&["--spec", &new, "--out", out_arg], &root);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("/package/version") && stderr.contains("0.2.0 or later"), "{stderr}");
    assert!(stderr.contains("enum-value-removed"), "the changes are listed: {stderr}");
    assert_eq!(std::fs::read_to_string(out.join("api.json")).expect("a record"), before, "nothing is written");

    let settings = dir.path().join("settings.yaml");
    std::fs::write(&settings, "package:\n  version: 0.2.0\n").expect("write");
    let settings_arg = settings.to_str().expect("utf-8 path");
    let bumped = codegen(&["--spec", &new, "--out", out_arg, "--settings", settings_arg], &root);
    assert_eq!(bumped.status.code(), Some(0), "{}", text(&bumped.stderr));
    assert!(text(&bumped.stdout).contains("enum-value-removed"), "{}", text(&bumped.stdout));
    let changelog = std::fs::read_to_string(out.join("CHANGELOG.md")).expect("a changelog");
    let (newer, older) = (changelog.find("## 0.2.0").expect("0.2.0"), changelog.find("## 0.1.0").expect("0.1.0"));
    assert!(newer < older, "newest first:\n{changelog}");
    assert!(changelog.contains("`enum-value-removed`"), "{changelog}");
}

#[test]
fn an_unreadable_record_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("crate");
    assert!(run_into(&out, &[]).status.success());
    std::fs::write(out.join("api.json"), "{\"format\": 1}").expect("write");
    let models = std::fs::read_to_string(out.join("src/models.rs")).expect("models");
    std::fs::write(out.join("src/models.rs"), "// stale\n").expect("write");

    let output = run_into(&out, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("api.json") && stderr.contains("restore it"), "{stderr}");
    assert_eq!(std::fs::read_to_string(out.join("src/models.rs")).expect("models"), "// stale\n", "nothing is written");
    assert_ne!(models, "// stale\n");

    std::fs::write(out.join("api.json"), "{\"format\": 99}").expect("write");
    let newer = text(&run_into(&out, &[]).stderr);
    assert!(newer.contains("newer generator"), "{newer}");
}
