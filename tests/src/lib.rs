//! Helpers shared by the test suites: where the repository's inputs are, and
//! how to run the generator on them the way `cargo codegen` does.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use atlas_codegen::{generate, parse_releases, parse_settings, Config, Error, Files, Record, SpecSource};

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

/// The configuration `cargo codegen` uses for `spec/`, with the record of
/// the committed crate as the previous generation.
pub fn default_config() -> Config {
    let releases = parse_releases(&source("spec/versions.json")).unwrap_or_else(|d| panic!("{d}"));
    let settings = parse_settings(&source("spec/codegen.yaml")).unwrap_or_else(|d| panic!("{d}"));
    let record = source("generated/api.json");
    let previous = Record::parse(&record.text).unwrap_or_else(|problem| panic!("generated/api.json: {problem}"));
    Config { releases: Some(releases), settings, previous: Some(previous), ..Config::default() }
}

/// A fixture's spec and the configuration the CLI would use with `--spec`,
/// `--versions` when a `<name>.versions.json` sits beside it, and
/// `--settings` when `settings/<name>.yaml` does. The spec is read as
/// bytes and named `fixtures/<file>`, so a byte-order mark or CRLF line ends
/// reach the generator as they are.
pub fn fixture_input(path: &Path) -> (Config, SpecSource) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let read = |path: PathBuf| {
        path.exists().then(|| SpecSource {
            name: format!("fixtures/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or_default()),
            text: std::fs::read_to_string(&path).expect("the file beside the fixture is readable"),
        })
    };
    let mut config = Config::default();
    // One crate name for every fixture without settings, which its behaviour test uses.
    config.settings.package.name = Some("fixture".to_owned());
    if let Some(versions) = read(path.with_extension("versions.json")) {
        config.releases = Some(parse_releases(&versions).unwrap_or_else(|d| panic!("{d}")));
    }
    if let Some(settings) = read(settings_path(path)) {
        config.settings = parse_settings(&settings).unwrap_or_else(|d| panic!("{d}"));
    }
    (config, SpecSource { name: format!("fixtures/{name}"), text })
}

/// Whether a fixture comes with a settings file (`settings/<name>.yaml`).
pub fn has_settings(path: &Path) -> bool {
    settings_path(path).exists()
}

fn settings_path(fixture: &Path) -> PathBuf {
    let name = fixture.file_name().unwrap_or_default();
    fixture.parent().unwrap_or(fixture).join("settings").join(name)
}

/// Runs the generator with a panic caught and returned as its message: a
/// panic is a generator bug, which a test reports by name and input rather
/// than aborting the run.
pub fn generate_catching(config: &Config, source: &SpecSource) -> Result<Result<Files, Error>, String> {
    std::panic::catch_unwind(AssertUnwindSafe(|| generate(config, source).map(|generated| generated.files))).map_err(
        |payload| {
            payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned())
        },
    )
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
