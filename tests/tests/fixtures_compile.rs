//! Every fixture's generated crate compiles on its own, warnings denied:
//! snapshots show what the generator writes, this proves it is valid Rust.

use std::path::Path;
use std::process::Command;

#[test]
fn fixture_crates_compile_without_warnings() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/generate");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let lockfile = atlas_tests::repo_root().join("Cargo.lock");
    let mut entries: Vec<_> = std::fs::read_dir(&fixtures).expect("fixtures dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut checked = 0;
    for spec in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let dir = scratch.join(stem);
        let files = atlas_tests::generate_fixture(spec);
        atlas_codegen::output::write(&dir, &files).expect("fixture crate is writable");
        // The workspace's lockfile pins the same dependency versions, so the
        // check runs offline on what the workspace already fetched.
        std::fs::copy(&lockfile, dir.join("Cargo.lock")).expect("lockfile copy");
        let output = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--offline", "--all-targets", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "the crate generated from {} does not compile cleanly:\n{}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        checked += 1;
    }
    assert!(checked >= 3, "expected the feature fixtures, found {checked}");
}
