//! Helpers shared by the test suites: where the repository's inputs are, and
//! how to run the generator on them the way `cargo codegen` does.

use std::path::{Path, PathBuf};

use atlas_codegen::{generate, parse_releases, parse_settings, Config, Files, SpecSource};

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

/// Generates a fixture the way the CLI would with `--spec` (and `--versions`
/// when a `<name>.versions.json` sits beside it).
pub fn generate_fixture(path: &Path) -> Files {
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
    generate(&config, &SpecSource { name: format!("fixtures/{name}"), text }).unwrap_or_else(|e| panic!("{name}: {e}"))
}
