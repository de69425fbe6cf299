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
