//! Generation time next to parse-only time for the same file.
//!
//! `parse only` is what any tool pays to read the spec into `openapiv3`
//! types; `generate` is our whole pipeline. Two groups per spec:
//!
//! - in one process, as a library call;
//! - a build script's step (`atlas_codegen::build::Builder::generate`):
//!   reading the inputs, generating a selection and writing it, or finding
//!   it up to date;
//! - as whole processes: the CLI regenerating a crate that is up to date,
//!   against a process that only parses (this benchmark's own binary, run
//!   again with `ATLAS_BENCH_PARSE_ONLY` set). Both use the CLI's allocator.
//!
//! ```sh
//! cargo bench -p atlas-codegen --bench generate
//! # with full upstream specs (paths separated by ':'):
//! ATLAS_BENCH_SPECS=/path/to/atlas-api.yaml cargo bench -p atlas-codegen --bench generate
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

use atlas_codegen::build::Builder;
use atlas_codegen::{generate, parse_releases, parse_settings, Config, SpecSource};
use criterion::Criterion;

// The CLI's allocator, so the figures are what `cargo codegen` does; the
// parse-only baseline runs with it too.
#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Set to a spec's path, this binary only parses it and exits.
const PARSE_ONLY: &str = "ATLAS_BENCH_PARSE_ONLY";

fn read(path: &Path) -> SpecSource {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    SpecSource { name, text }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn parse_only(text: &str) -> openapiv3::OpenAPI {
    serde_yaml_ng::from_str(text).expect("parses")
}

fn in_process(c: &mut Criterion, label: &str, source: &SpecSource, config: &Config) {
    let mut group = c.benchmark_group(label);
    group.sample_size(10);
    group.bench_function("parse only", |b| b.iter(|| parse_only(&source.text)));
    match generate(config, source) {
        Ok(generated) => {
            let files = generated.files;
            let lines: usize = files.values().map(|f| f.lines().count()).sum();
            eprintln!("{label}: {} files, {lines} lines", files.len());
            group.bench_function("generate", |b| b.iter(|| generate(config, source).expect("generates")));
        }
        Err(error) => {
            let first = error.to_string().lines().take(4).collect::<Vec<_>>().join("\n");
            eprintln!("{label}: does not generate yet, so only parsing is timed:\n{first}");
        }
    }
    group.finish();
}

/// A build script's generation step, for a builder whose output goes to a
/// scratch directory. The first run writes; the timed ones find the modules
/// up to date, which costs the same generation and a comparison.
fn build_script(c: &mut Criterion, label: &str, builder: Builder) {
    let out = std::env::temp_dir().join(format!("atlas-bench-build-{}", std::process::id()));
    let builder = builder.out_dir(&out);
    if let Err(error) = builder.generate() {
        eprintln!("{label}: does not generate, so its build step is not timed: {error}");
        return;
    }
    let mut group = c.benchmark_group("build script");
    group.sample_size(10);
    group.bench_function(label, |b| b.iter(|| builder.generate().expect("generates")));
    group.finish();
    let _ = std::fs::remove_dir_all(out);
}

/// The CLI and a parse-only process on the same file, each run whole.
fn whole_processes(c: &mut Criterion, label: &str, path: &Path) {
    let out = std::env::temp_dir().join(format!("atlas-bench-{}", std::process::id()));
    let cli = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_atlas-codegen"));
        command.arg("--spec").arg(path).arg("--out").arg(&out);
        command
    };
    // The first run writes the crate; the timed ones find it up to date.
    if !cli().output().is_ok_and(|output| output.status.success()) {
        eprintln!("{label}: does not generate, so its processes are not timed");
        return;
    }
    let this = std::env::current_exe().expect("the benchmark's own path");
    let mut group = c.benchmark_group(format!("{label} (whole processes)"));
    group.sample_size(20);
    group.bench_function("parse only", |b| {
        b.iter(|| assert!(Command::new(&this).env(PARSE_ONLY, path).status().is_ok_and(|s| s.success())))
    });
    group.bench_function("generate", |b| b.iter(|| assert!(cli().output().is_ok_and(|o| o.status.success()))));
    group.finish();
    let _ = std::fs::remove_dir_all(out);
}

fn main() {
    if let Some(path) = std::env::var_os(PARSE_ONLY) {
        let text = std::fs::read_to_string(path).expect("the spec is readable");
        std::hint::black_box(parse_only(&text));
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    let spec = read(&repo().join("spec/atlas-invitations.yaml"));
    let config = Config {
        releases: Some(parse_releases(&read(&repo().join("spec/versions.json"))).expect("versions")),
        settings: parse_settings(&read(&repo().join("spec/codegen.yaml"))).expect("settings"),
        ..Config::default()
    };
    in_process(&mut criterion, "invitations spec", &spec, &config);
    let organization_invitations = Builder::new(repo().join("spec/atlas-invitations.yaml"))
        .versions(repo().join("spec/versions.json"))
        .settings(repo().join("spec/codegen.yaml"))
        .include("path:/api/atlas/v2/orgs/{orgId}/invites*");
    build_script(&mut criterion, "organization invitations of spec/", organization_invitations);
    for path in std::env::var("ATLAS_BENCH_SPECS").unwrap_or_default().split(':').filter(|p| !p.is_empty()) {
        let source = read(Path::new(path));
        in_process(&mut criterion, &source.name.clone(), &source, &Config::default());
        whole_processes(&mut criterion, &source.name, Path::new(path));
        // Twenty operations: clusters and their backups.
        let twenty = Builder::new(path)
            .include("path:/api/atlas/v2/groups/{groupId}/clusters")
            .include("path:/api/atlas/v2/groups/{groupId}/clusters/{clusterName}")
            .include("path:/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots*");
        build_script(&mut criterion, &format!("some operations of {}", source.name), twenty);
        build_script(&mut criterion, &format!("the whole of {}", source.name), Builder::new(path));
    }
    criterion.final_summary();
}
