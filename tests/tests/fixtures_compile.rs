//! Every fixture's generated crate compiles on its own and documents
//! cleanly, warnings denied: snapshots show what the generator writes, this
//! proves it is valid Rust whose docs rustdoc accepts (no broken links, no
//! stray HTML, no code block taken for a doctest). A fixture with a file of
//! the same name in `fixtures/behaviour/` also runs it as an integration test
//! of its crate: decoding, encoding and requests behave as the spec says.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixture whose descriptions are the hardest on rustdoc: its doctests
/// are run too, to prove none of the prose became one that fails.
const DOCTEST_FIXTURE: &str = "descriptions";

/// Fixtures checked with the async client and the mock Atlas (the `mock`
/// feature, which turns on `client`). The others are checked without them,
/// so that the test does not build reqwest's TLS stack for each crate.
const CLIENT_FIXTURES: &[&str] = &["client", "paging"];

#[test]
fn fixture_crates_compile_and_document_without_warnings() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/generate");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let lockfile = atlas_tests::repo_root().join("Cargo.lock");
    let mut entries: Vec<_> = std::fs::read_dir(&fixtures).expect("fixtures dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    let behaviours = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/behaviour");
    let (mut checked, mut exercised) = (0, 0);
    for spec in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let dir = scratch.join(stem);
        let files = atlas_tests::generate_fixture(spec);
        atlas_codegen::output::write(&dir, &files).expect("fixture crate is writable");
        // The workspace's lockfile pins the same dependency versions, so the
        // check runs offline on what the workspace already fetched.
        std::fs::copy(&lockfile, dir.join("Cargo.lock")).expect("lockfile copy");
        let features: &[&str] =
            if CLIENT_FIXTURES.contains(&stem) { &["--features", "mock"] } else { &["--no-default-features"] };
        cargo(&dir, &scratch, spec, &[&["check", "--all-targets"], features].concat());
        cargo(&dir, &scratch, spec, &[&["doc", "--no-deps"], features].concat());
        if stem == DOCTEST_FIXTURE || CLIENT_FIXTURES.contains(&stem) {
            cargo(&dir, &scratch, spec, &[&["test", "--doc"], features].concat());
        }
        let behaviour = behaviours.join(format!("{stem}.rs"));
        if behaviour.exists() {
            std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
            std::fs::copy(&behaviour, dir.join("tests/behaviour.rs")).expect("behaviour test copy");
            cargo(&dir, &scratch, spec, &["test", "--no-default-features", "--test", "behaviour"]);
            exercised += 1;
        }
        checked += 1;
    }
    assert!(checked >= 15, "expected the feature fixtures, found {checked}");
    let behaviour_files = std::fs::read_dir(&behaviours).expect("behaviour dir").count();
    assert_eq!(exercised, behaviour_files, "every behaviour test in fixtures/behaviour/ belongs to a fixture");
}

/// Runs one cargo command on a fixture crate with warnings denied for both
/// rustc and rustdoc (the same flags for every command, so dependencies are
/// built once).
fn cargo(dir: &Path, scratch: &Path, spec: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .args(["--quiet", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir(scratch))
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "`cargo {}` fails on the crate generated from {}:\n{}",
        args.join(" "),
        spec.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn target_dir(scratch: &Path) -> PathBuf {
    scratch.join("target")
}
