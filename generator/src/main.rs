//! `atlas-codegen`: the command-line front of the generator library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_codegen::{generate, output, parse_releases, parse_settings, Config, Error, Settings, SpecSource};
use clap::Parser;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_SPEC: &str = "spec/atlas-invitations.yaml";
const DEFAULT_VERSIONS: &str = "spec/versions.json";
const DEFAULT_SETTINGS: &str = "spec/codegen.yaml";
const DEFAULT_OUT: &str = "generated";

/// Regenerates the typed Atlas Admin API crate from its OpenAPI spec.
///
/// With no arguments it regenerates `generated/` from `spec/` of the
/// repository it is run in (found by looking upward from the current
/// directory), using `spec/versions.json` for the API releases and
/// `spec/codegen.yaml` for type names.
#[derive(Debug, Parser)]
#[command(
    name = "atlas-codegen",
    version,
    after_help = "Exit status:\n  0  success (with --check: the output is up to date)\n  1  with --check: the output is out of date (the stale files are listed)\n  2  the input is invalid (every problem is listed, with file, JSON pointer and line)\n  3  reading or writing files failed\n  4  internal error: the generator produced code that does not parse (a bug; please report it)\n\nThe output directory is never left half-written: a failed run leaves it as it was."
)]
struct Args {
    /// OpenAPI 3.0 spec, YAML or JSON [default: spec/atlas-invitations.yaml]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,

    /// JSON array of API release dates; without it (and with --spec) the
    /// releases are the resource versions found in the spec
    /// [default with the default spec: spec/versions.json]
    #[arg(long, value_name = "FILE")]
    versions: Option<PathBuf>,

    /// Generator settings (the package, names for inline types, the example
    /// operation, client accessors), YAML
    /// [default with the default spec: spec/codegen.yaml]
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,

    /// Directory of the generated crate [default: generated]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Keep only matching operations (and the schemas they use); repeatable.
    /// `tag:NAME`, `path:PATTERN` (`*` matches anything) or `operation:ID`;
    /// a bare value is an operationId or tag, or a path pattern if it starts with `/`
    #[arg(long, value_name = "FILTER")]
    include: Vec<atlas_codegen::select::Include>,

    /// Write nothing; exit 1 and list the files that differ if the output is out of date
    #[arg(long)]
    check: bool,

    /// Print what the spec generates (releases, operations, resource versions, types) and exit
    #[arg(long, conflicts_with = "check")]
    plan: bool,
}

enum Failure {
    Internal(String),
    Stale(String),
    Invalid(String),
    Io(String),
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(message) => {
            if !message.is_empty() {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                let _ = writeln!(std::io::stdout(), "{message}");
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Stale(report)) => {
            let _ = write!(std::io::stderr(), "{report}");
            ExitCode::from(1)
        }
        Err(Failure::Invalid(message)) => {
            let _ = write!(std::io::stderr(), "{message}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(4)
        }
        Err(Failure::Io(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(3)
        }
    }
}

fn run(args: &Args) -> Result<String, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Failure::Io(format!("cannot read the current directory: {e}")))?;
    let root = find_root(&cwd);
    let from_root = |relative: &str| -> Result<PathBuf, Failure> {
        match &root {
            Some(root) => Ok(root.join(relative)),
            None => Err(Failure::Io(format!(
                "no `{DEFAULT_SPEC}` in this directory or above; run inside the repository or pass --spec and --out"
            ))),
        }
    };

    let (spec_path, versions_path, settings_path) = match &args.spec {
        Some(spec) => (spec.clone(), args.versions.clone(), args.settings.clone()),
        None => (
            from_root(DEFAULT_SPEC)?,
            Some(args.versions.clone().map_or_else(|| from_root(DEFAULT_VERSIONS), Ok)?),
            Some(args.settings.clone().map_or_else(|| from_root(DEFAULT_SETTINGS), Ok)?),
        ),
    };
    let out = match &args.out {
        Some(out) => out.clone(),
        None => from_root(DEFAULT_OUT)?,
    };

    let spec = read_source(&spec_path, root.as_deref(), &cwd)?;
    let mut config = Config { includes: args.include.clone(), ..Config::default() };
    let mut problems = atlas_codegen::Diagnostics::default();
    if let Some(path) = &versions_path {
        match parse_releases(&read_source(path, root.as_deref(), &cwd)?) {
            Ok(releases) => config.releases = Some(releases),
            Err(found) => problems.extend(found),
        }
    }
    if let Some(path) = &settings_path {
        match parse_settings(&read_source(path, root.as_deref(), &cwd)?) {
            Ok(settings) => config.settings = settings,
            Err(found) => problems.extend(found),
        }
    } else {
        config.settings = Settings::default();
    }
    if !problems.is_empty() {
        // Report the spec's own problems in the same run.
        if let Err(found) = atlas_codegen::build_ir(&config, &spec) {
            problems.extend(found);
        }
        return Err(Failure::Invalid(problems.to_string()));
    }

    if args.plan {
        let api = atlas_codegen::build_ir(&config, &spec).map_err(|d| Failure::Invalid(d.to_string()))?;
        return Ok(atlas_codegen::plan(&api));
    }

    let files = generate(&config, &spec).map_err(|error| match error {
        Error::Invalid(diagnostics) => Failure::Invalid(diagnostics.to_string()),
        internal @ Error::Internal { .. } => Failure::Internal(internal.to_string()),
    })?;
    let shown = display_path(&out, root.as_deref(), &cwd);
    if args.check {
        let changes = output::check(&out, &files).map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?;
        if changes.is_empty() {
            return Ok(format!("{shown} is up to date"));
        }
        let mut report = format!("{shown} is out of date with {}:\n", spec.name);
        for change in &changes {
            report.push_str(&format!("  {change}\n"));
        }
        report.push_str("Run `cargo codegen` to regenerate it, review the diff, and commit it with the spec.\n");
        return Err(Failure::Stale(report));
    }
    let changes = output::write(&out, &files).map_err(|e| Failure::Io(format!("cannot write {shown}: {e}")))?;
    Ok(if changes.is_empty() {
        format!("{shown} is up to date; nothing written")
    } else {
        let list: Vec<String> = changes.iter().map(|c| format!("  {c}")).collect();
        format!("{shown}: {} file(s) changed\n{}", changes.len(), list.join("\n"))
    })
}

/// The nearest directory at or above `start` that holds the default spec.
fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| dir.join(DEFAULT_SPEC).is_file()).map(Path::to_path_buf)
}

fn read_source(path: &Path, root: Option<&Path>, cwd: &Path) -> Result<SpecSource, Failure> {
    let name = display_path(path, root, cwd);
    let bytes = std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read {name}: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|e| Failure::Invalid(format!("{name}: the file is not UTF-8 ({e})\n")))?;
    Ok(SpecSource { name, text })
}

/// A path as shown in messages and file headers: relative to the repository
/// root when inside it, else as given if relative, else its file name — so
/// generated headers never depend on where a clone or a download lives.
fn display_path(path: &Path, root: Option<&Path>, cwd: &Path) -> String {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    let shown = match root.and_then(|root| absolute.strip_prefix(root).ok()) {
        Some(relative) => relative,
        None if path.is_relative() => path,
        None => path.file_name().map_or(path, Path::new),
    };
    shown.to_string_lossy().replace('\\', "/")
}
