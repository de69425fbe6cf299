//! Helpers shared by the test suites: where the repository's inputs are, and
//! how to run the generator on them the way `cargo codegen` does.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use atlas_codegen::{generate, parse_releases, parse_settings, Config, Error, Files, SpecSource};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Reads a file under the repository root, named as the generator names it.
pub fn source(relative: &str) -> SpecSource {
    let path = repo_root().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    SpecSource { name: relative.to_owned(), text }
}

/// The configuration `cargo codegen` uses for `spec/`.
pub fn default_config() -> Config {
    let releases = parse_releases(&source("spec/versions.json")).unwrap_or_else(|d| panic!("{d}"));
    let settings = parse_settings(&source("spec/codegen.yaml")).unwrap_or_else(|d| panic!("{d}"));
    Config { releases: Some(releases), settings, ..Config::default() }
}

/// A fixture's spec and the configuration the CLI would use with `--spec`
/// (and `--versions` when a `<name>.versions.json` sits beside it). The
/// spec is read as bytes and named `fixtures/<file>`, so a byte-order mark
/// or CRLF line ends reach the generator as they are.
pub fn fixture_input(path: &Path) -> (Config, SpecSource) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let mut config = Config::default();
    let versions = path.with_extension("versions.json");
    if versions.exists() {
        let versions_source = SpecSource {
            name: versions.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned(),
            text: std::fs::read_to_string(&versions).expect("versions file is readable"),
        };
        config.releases = Some(parse_releases(&versions_source).unwrap_or_else(|d| panic!("{d}")));
    }
    (config, SpecSource { name: format!("fixtures/{name}"), text })
}

/// Runs the generator with a panic caught and returned as its message: a
/// panic is a generator bug, which a test reports by name and input rather
/// than aborting the run.
pub fn generate_catching(config: &Config, source: &SpecSource) -> Result<Result<Files, Error>, String> {
    std::panic::catch_unwind(AssertUnwindSafe(|| generate(config, source))).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned())
    })
}

/// Generates a fixture that must generate; fails naming the fixture on a
/// problem or a panic.
pub fn generate_fixture(path: &Path) -> Files {
    let (config, source) = fixture_input(path);
    match generate_catching(&config, &source) {
        Ok(Ok(files)) => files,
        Ok(Err(error)) => panic!("{}: {error}", source.name),
        Err(panic) => panic!("the generator panicked on {}: {panic}", source.name),
    }
}
