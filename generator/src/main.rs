//! `atlas-codegen`: the command-line front of the generator library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_codegen::changes::{self, Semver, Wire};
use atlas_codegen::{generate, output, Config, Error, ReadError, Record, Report, Settings, SpecSource};
use clap::{Parser, ValueEnum};

#[cfg(feature = "cli")]
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
    after_help = "Exit status:\n  0  success (with --check: the output is up to date)\n  1  with --check: the output is out of date (the stale files are listed)\n  2  the input is invalid (every problem is listed, with file, JSON pointer and line)\n  3  reading or writing files failed\n  4  internal error: the generator produced code that does not parse (a bug; please report it)\n  5  with --fail-on: a change of that kind (the report is printed)\n\nThe output directory is never left half-written: a failed run leaves it as it was. Regenerating reads the crate's api.json, reports what changed in the API, and refuses (status 2) a package version too small for the changes."
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

    /// Report what changes from the API of this spec to the one generated
    /// (read with the same releases, settings and filters); writes nothing
    #[arg(long, value_name = "OLD_SPEC", conflicts_with_all = ["check", "plan"])]
    base: Option<PathBuf>,

    /// How to print the report of API changes; with `json`, stdout holds only the report
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, value_name = "FORMAT")]
    report: ReportFormat,

    /// Exit with status 5 when the report has a change of this kind
    #[arg(long, value_enum, value_name = "KIND")]
    fail_on: Option<FailOn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// A change that breaks existing callers on the wire.
    Breaking,
    /// A change that needs a major version of the crate.
    Major,
}

/// What a successful run prints: the report (to stdout) and what happened
/// (to stdout, or to stderr when stdout holds a JSON report).
struct Done {
    status: String,
    report: Option<Report>,
}

enum Failure {
    /// `--fail-on` found such a change; the run itself succeeded.
    Gate(Done),
    Internal(String),
    Stale(String),
    Invalid(String),
    Io(String),
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(done) => {
            print(&args, &done);
            ExitCode::SUCCESS
        }
        Err(Failure::Gate(done)) => {
            print(&args, &done);
            ExitCode::from(5)
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

/// Prints a run's status and report. A closed pipe (`| head`) is the
/// reader's choice, not an error.
fn print(args: &Args, done: &Done) {
    let report = done.report.as_ref().map(|report| match args.report {
        ReportFormat::Text => changes::text(report),
        ReportFormat::Markdown => changes::markdown(report),
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(report).unwrap_or_default();
            json.push('\n');
            json
        }
    });
    let mut stdout = std::io::stdout();
    if args.report == ReportFormat::Json {
        if !done.status.is_empty() {
            let _ = writeln!(std::io::stderr(), "{}", done.status);
        }
        let _ = write!(stdout, "{}", report.unwrap_or_default());
        return;
    }
    if !done.status.is_empty() {
        let _ = writeln!(stdout, "{}", done.status);
    }
    if let Some(report) = report {
        let gap = if done.status.is_empty() { "" } else { "\n" };
        let _ = write!(stdout, "{gap}{report}");
    }
}

/// Whether `report` has a change `--fail-on` names.
fn gate(args: &Args, done: Done) -> Result<Done, Failure> {
    let tripped = done.report.as_ref().is_some_and(|report| match args.fail_on {
        Some(FailOn::Breaking) => report.verdict.wire == Wire::Breaking,
        Some(FailOn::Major) => report.verdict.semver == Semver::Major && !report.is_empty(),
        None => false,
    });
    if tripped {
        Err(Failure::Gate(done))
    } else {
        Ok(done)
    }
}

fn run(args: &Args) -> Result<Done, Failure> {
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

    let spec = read_source(&spec_path, root.as_deref(), &cwd)?;
    let read_optional =
        |path: &Option<PathBuf>| path.as_deref().map(|p| read_source(p, root.as_deref(), &cwd)).transpose();
    let (versions, settings) = (read_optional(&versions_path)?, read_optional(&settings_path)?);
    let config = Config { includes: args.include.clone(), ..Config::default() };
    let mut config = atlas_codegen::configure(config, &spec, versions.as_ref(), settings.as_ref())
        .map_err(|problems| Failure::Invalid(problems.to_string()))?;

    if args.plan {
        let api = atlas_codegen::build_ir(&config, &spec).map_err(|d| Failure::Invalid(d.to_string()))?;
        return Ok(Done { status: atlas_codegen::plan(&api), report: None });
    }

    if let Some(base) = &args.base {
        let old = read_source(base, root.as_deref(), &cwd)?;
        let report = atlas_codegen::compare_specs(&config, &old, &spec).map_err(failure)?;
        return gate(args, Done { status: String::new(), report: Some(report) });
    }

    let out = match &args.out {
        Some(out) => out.clone(),
        None => from_root(DEFAULT_OUT)?,
    };
    let shown = display_path(&out, root.as_deref(), &cwd);
    config.previous = read_record(&out.join("api.json"), root.as_deref(), &cwd)?;
    let generated = generate(&config, &spec).map_err(failure)?;
    let version = version_note(config.previous.as_ref(), generated.report.as_ref(), &config.settings);
    if args.check {
        let changes =
            output::check(&out, &generated.files).map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?;
        if changes.is_empty() {
            return gate(args, Done { status: format!("{shown} is up to date"), report: generated.report });
        }
        let mut report = format!("{shown} is out of date with {}:\n", spec.name);
        for change in &changes {
            report.push_str(&format!("  {change}\n"));
        }
        if let Some(api) = generated.report.as_ref().filter(|report| !report.is_empty()) {
            report.push_str(&format!("\nWhat regenerating changes in the API:\n{}", changes::text(api)));
        }
        report.push_str("Run `cargo codegen` to regenerate it, review the diff, and commit it with the spec.\n");
        return Err(Failure::Stale(report));
    }
    let changes =
        output::write(&out, &generated.files).map_err(|e| Failure::Io(format!("cannot write {shown}: {e}")))?;
    let status = if changes.is_empty() {
        format!("{shown} is up to date; nothing written")
    } else {
        let list: Vec<String> = changes.iter().map(|c| format!("  {c}")).collect();
        format!("{shown}: {} file(s) changed\n{}{version}", changes.len(), list.join("\n"))
    };
    gate(args, Done { status, report: generated.report })
}

fn failure(error: Error) -> Failure {
    match error {
        Error::Invalid(diagnostics) => Failure::Invalid(diagnostics.to_string()),
        internal @ Error::Internal { .. } => Failure::Internal(internal.to_string()),
    }
}

/// The record of the crate in `path`, if it has one.
fn read_record(path: &Path, root: Option<&Path>, cwd: &Path) -> Result<Option<Record>, Failure> {
    if !path.exists() {
        return Ok(None);
    }
    let source = read_source(path, root, cwd)?;
    Record::parse(&source.text).map(Some).map_err(|problem| {
        Failure::Invalid(format!(
            "{}: {problem}. It records the API the crate was last generated for; restore it from version control, \
             or delete it to start a new changelog\n",
            source.name
        ))
    })
}

/// What the version has to do with the changes, for a maintainer.
fn version_note(previous: Option<&Record>, report: Option<&Report>, settings: &Settings) -> String {
    let version = settings.package.version.as_deref().unwrap_or("0.1.0");
    match (previous, report) {
        (None, _) => format!(
            "\nThe crate had no api.json: this generation starts its record and changelog at version {version}."
        ),
        (Some(previous), Some(report)) if !report.is_empty() => {
            let required = semver::Version::parse(&previous.version)
                .map(|before| atlas_codegen::record::required_version(&before, report.verdict.semver).to_string())
                .unwrap_or_default();
            format!(
                "\nThe API changed ({} for the crate): version {version}, after {}, which needed {required} or later.",
                report.verdict.semver, previous.version
            )
        }
        _ => String::new(),
    }
}

/// The nearest directory at or above `start` that holds the default spec.
fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| dir.join(DEFAULT_SPEC).is_file()).map(Path::to_path_buf)
}

fn read_source(path: &Path, root: Option<&Path>, cwd: &Path) -> Result<SpecSource, Failure> {
    SpecSource::read(path, display_path(path, root, cwd)).map_err(|error| match error {
        ReadError::Io { .. } => Failure::Io(error.to_string()),
        ReadError::NotUtf8 { .. } => Failure::Invalid(format!("{error}\n")),
    })
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
