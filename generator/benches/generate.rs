//! Generation time next to parse-only time for the same file.
//!
//! `parse only` is what any tool pays to read the spec into `openapiv3`
//! types; `generate` is our whole pipeline. Their ratio is the figure we
//! track (goal: at most 2 on a full upstream spec).
//!
//! ```sh
//! cargo bench -p atlas-codegen --bench generate
//! # with full upstream specs (paths separated by ':'):
//! ATLAS_BENCH_SPECS=/path/to/atlas-api.yaml cargo bench -p atlas-codegen --bench generate
//! ```

use std::path::{Path, PathBuf};

use atlas_codegen::{generate, parse_releases, parse_settings, Config, SpecSource};
use criterion::{criterion_group, criterion_main, Criterion};

// The CLI's allocator, so the figures are what `cargo codegen` does; the
// parse-only baseline runs with it too.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn read(path: &Path) -> SpecSource {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    SpecSource { name, text }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bench_spec(c: &mut Criterion, label: &str, source: &SpecSource, config: &Config) {
    let mut group = c.benchmark_group(label);
    group.sample_size(10);
    group.bench_function("parse only", |b| {
        b.iter(|| serde_yaml_ng::from_str::<openapiv3::OpenAPI>(&source.text).expect("parses"))
    });
    match generate(config, source) {
        Ok(files) => {
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

fn benches(c: &mut Criterion) {
    let spec = read(&repo().join("spec/atlas-invitations.yaml"));
    let config = Config {
        releases: Some(parse_releases(&read(&repo().join("spec/versions.json"))).expect("versions")),
        settings: parse_settings(&read(&repo().join("spec/codegen.yaml"))).expect("settings"),
        ..Config::default()
    };
    bench_spec(c, "invitations spec", &spec, &config);

    for path in std::env::var("ATLAS_BENCH_SPECS").unwrap_or_default().split(':').filter(|p| !p.is_empty()) {
        let source = read(Path::new(path));
        bench_spec(c, &source.name.clone(), &source, &Config::default());
    }
}

criterion_group!(generation, benches);
criterion_main!(generation);
