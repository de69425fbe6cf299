//! Generating at build time: a crate's `build.rs` names a spec and the
//! operations it wants, and the generated modules go under `OUT_DIR`, where
//! the crate includes them with `atlas_codegen_runtime::include_api!()`.
//!
//! ```no_run
//! // build.rs, in `fn main`; Cargo.toml has `atlas-codegen` under
//! // [build-dependencies] (default features off) and `atlas-codegen-runtime`
//! // under [dependencies].
//! atlas_codegen::build::Builder::new("atlas-api.yaml")
//!     .include("path:/api/atlas/v2/orgs/{orgId}/invites*")
//!     .run();
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! mod atlas {
//!     atlas_codegen_runtime::include_api!();
//! }
//! ```
//!
//! The inputs are those of the command line: the spec, the API releases
//! (`versions`), the settings and `include` filters. The generated code is
//! the same as a generated crate's modules, but it reaches the API's own
//! modules by relative paths, so it can be included in any module, and the
//! runtime and the crates it names (serde, http, chrono, …) through the
//! runtime crate, so the user's crate lists only that crate and the
//! generator.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::ir::Layout;
use crate::{configure, generate, output, select, Config, Diagnostics, Error, ReadError, SpecSource};

/// The directory under `OUT_DIR`, and the name `include_api!()` takes by default.
pub const DEFAULT_NAME: &str = "atlas";

/// What a build script generates, and where.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    versions: Option<PathBuf>,
    settings: Option<PathBuf>,
    includes: Vec<String>,
    client: bool,
    name: String,
    out_dir: Option<PathBuf>,
}

impl Builder {
    /// Generates from the OpenAPI spec at `spec` (YAML or JSON), relative to
    /// the crate's directory, where build scripts run.
    pub fn new(spec: impl Into<PathBuf>) -> Builder {
        Builder {
            spec: spec.into(),
            versions: None,
            settings: None,
            includes: Vec::new(),
            client: true,
            name: DEFAULT_NAME.to_owned(),
            out_dir: None,
        }
    }

    /// The API releases to generate modules for: a JSON array of dates, as
    /// `--versions` takes. Without it, every resource version in the spec.
    pub fn versions(mut self, path: impl Into<PathBuf>) -> Builder {
        self.versions = Some(path.into());
        self
    }

    /// The generator settings (YAML), as `--settings` takes: names for
    /// inline types, client accessors. The `package` section is for crates
    /// of their own and is not used here.
    pub fn settings(mut self, path: impl Into<PathBuf>) -> Builder {
        self.settings = Some(path.into());
        self
    }

    /// Keeps only the operations a filter names, as `--include` does:
    /// `tag:NAME`, `path:PATTERN` (`*` matches anything) or `operation:ID`.
    /// Repeatable; without any, every operation.
    pub fn include(mut self, filter: impl Into<String>) -> Builder {
        self.includes.push(filter.into());
        self
    }

    /// Whether to generate the `client` module (on by default). Without it
    /// the code is sans-IO, and the runtime crate can go without its
    /// `client` feature.
    pub fn client(mut self, client: bool) -> Builder {
        self.client = client;
        self
    }

    /// The directory under `OUT_DIR`, which `include_api!("name")` then
    /// names; `atlas` by default. Two builders with different names give a
    /// crate two APIs.
    pub fn name(mut self, name: impl Into<String>) -> Builder {
        self.name = name.into();
        self
    }

    /// Writes to `dir` instead of `$OUT_DIR/<name>`: for tools and tests,
    /// not for build scripts.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Builder {
        self.out_dir = Some(dir.into());
        self
    }

    /// The files generation reads: the spec, and the releases and settings
    /// when given. A build script reruns when one of them changes, and only then.
    pub fn inputs(&self) -> Vec<&Path> {
        let mut inputs = vec![self.spec.as_path()];
        inputs.extend(self.versions.as_deref());
        inputs.extend(self.settings.as_deref());
        inputs
    }

    /// Generates, and writes the modules unless they are already up to
    /// date (their files are then left untouched, so nothing recompiles).
    /// Returns the directory they are in. Prints nothing: see [`Builder::run`].
    ///
    /// # Errors
    ///
    /// [`BuildError`] for every problem of the inputs, each with its file,
    /// line and JSON pointer, and when files cannot be read or written.
    pub fn generate(&self) -> Result<PathBuf, BuildError> {
        if self.name.is_empty() || self.name.contains(['/', '\\']) || self.name.starts_with('.') {
            return Err(BuildError::Setup(format!(
                "`{}` cannot name a directory under OUT_DIR: give a plain name such as `atlas`",
                self.name
            )));
        }
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => match std::env::var_os("OUT_DIR") {
                Some(out) => Path::new(&out).join(&self.name),
                None => {
                    return Err(BuildError::Setup(
                        "OUT_DIR is not set: run this from a build script, or give `Builder::out_dir`".to_owned(),
                    ))
                }
            },
        };
        let (config, spec) = self.config()?;
        let generated = generate(&config, &spec).map_err(|error| match error {
            Error::Invalid(problems) => BuildError::Invalid(problems),
            internal @ Error::Internal { .. } => BuildError::Setup(internal.to_string()),
        })?;
        output::write(&dir, &generated.files)
            .map_err(|error| BuildError::Io { path: dir.clone(), message: error.to_string() })?;
        Ok(dir)
    }

    /// For `build.rs`: tells cargo to rerun when an input changes, then
    /// generates. Every problem goes to cargo as an error
    /// (`cargo::error=file:line at #/pointer: message`), which fails the
    /// build without a panic or a backtrace.
    pub fn run(&self) {
        for directive in self.directives() {
            println!("{directive}");
        }
    }

    /// What [`Builder::run`] tells cargo: the inputs to watch, then the
    /// problems, if any.
    fn directives(&self) -> Vec<String> {
        let mut directives: Vec<String> =
            self.inputs().iter().map(|input| format!("cargo::rerun-if-changed={}", input.display())).collect();
        if let Err(error) = self.generate() {
            directives.extend(error.lines().into_iter().map(|line| format!("cargo::error={line}")));
        }
        directives
    }

    /// The configuration and the spec, with every problem of the inputs.
    fn config(&self) -> Result<(Config, SpecSource), BuildError> {
        let mut config = Config {
            command: "cargo build".to_owned(),
            layout: Layout::Included { client: self.client },
            ..Config::default()
        };
        let mut unknown_filters = Vec::new();
        for filter in &self.includes {
            match filter.parse::<select::Include>() {
                Ok(include) => config.includes.push(include),
                Err(message) => unknown_filters.push(format!("include filter: {message}")),
            }
        }
        if !unknown_filters.is_empty() {
            return Err(BuildError::Setup(unknown_filters.join("; ")));
        }
        let versions = self.versions.as_deref().map(read).transpose()?;
        let settings = self.settings.as_deref().map(read).transpose()?;
        let spec = read(&self.spec)?;
        let config = configure(config, &spec, versions.as_ref(), settings.as_ref()).map_err(BuildError::Invalid)?;
        Ok((config, spec))
    }
}

/// Reads an input, named in messages and headers as the build script names it.
fn read(path: &Path) -> Result<SpecSource, BuildError> {
    let name = path.to_string_lossy().replace('\\', "/");
    SpecSource::read(path, name).map_err(|error| {
        let message = match error {
            ReadError::Io { source, .. } => source.to_string(),
            ReadError::NotUtf8 { source, .. } => format!("the file is not UTF-8 ({source})"),
        };
        BuildError::Io { path: path.into(), message }
    })
}

/// Why build-time generation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The inputs have problems; every one found, each with where it is.
    Invalid(Diagnostics),
    /// A file could not be read or written.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The builder itself is set up wrong, or the generator failed.
    Setup(String),
}

impl BuildError {
    /// One line per problem, as cargo shows build script errors.
    pub fn lines(&self) -> Vec<String> {
        match self {
            // Cargo shows a directive's message on one line.
            BuildError::Invalid(problems) => {
                problems.iter().map(|problem| problem.to_string().replace('\n', " ")).collect()
            }
            other => vec![other.to_string()],
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Invalid(problems) => write!(f, "{problems}"),
            BuildError::Io { path, message } => write!(f, "{}: {message}", path.display()),
            BuildError::Setup(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.1
info: {title: Example API, version: '2.0'}
paths:
  /api/atlas/v2/orgs/{orgId}/things:
    get:
      operationId: listThings
      tags: [Things]
      parameters:
        - {name: orgId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The things.
          content:
            application/vnd.atlas.2024-01-01+json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Thing'
  /api/atlas/v2/orgs/{orgId}/others:
    get:
      operationId: listOthers
      tags: [Others]
      parameters:
        - {name: orgId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Nothing.}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
";

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("a scratch file");
        path
    }

    #[test]
    fn writes_the_selected_modules_and_watches_exactly_the_inputs() {
        let scratch = tempfile::tempdir().expect("a scratch directory");
        let spec = write(scratch.path(), "spec.yaml", SPEC);
        let versions = write(scratch.path(), "versions.json", r#"["2024-01-01"]"#);
        let out = scratch.path().join("out");
        let builder = Builder::new(&spec).versions(&versions).include("tag:Things").client(false).out_dir(&out);
        let directives = builder.directives();
        assert_eq!(
            directives,
            [
                format!("cargo::rerun-if-changed={}", spec.display()),
                format!("cargo::rerun-if-changed={}", versions.display()),
            ]
        );
        let root = std::fs::read_to_string(out.join("mod.rs")).expect("the root module");
        assert!(root.contains("pub mod v2024_01_01;"), "{root}");
        assert!(!root.contains("pub mod client;"), "no client was asked for:\n{root}");
        assert!(out.join("operations/list_things.rs").is_file());
        assert!(!out.join("operations/list_others.rs").exists(), "only the selected operations");
        assert!(!out.join("Cargo.toml").exists() && !out.join("runtime").exists(), "modules only");
    }

    #[test]
    fn problems_go_to_cargo_as_errors_with_file_line_and_pointer() {
        let scratch = tempfile::tempdir().expect("a scratch directory");
        let broken = SPEC.replace("$ref: '#/components/schemas/Thing'", "$ref: '#/components/schemas/Missing'");
        let spec = write(scratch.path(), "spec.yaml", &broken);
        let builder = Builder::new(&spec).include("tag:Things").out_dir(scratch.path().join("out"));
        let directives = builder.directives();
        let errors: Vec<&String> = directives.iter().filter(|line| line.starts_with("cargo::error=")).collect();
        assert_eq!(errors.len(), 1, "{directives:#?}");
        let expected = format!("cargo::error={}:17 at #/paths/", spec.display());
        assert!(errors[0].starts_with(&expected), "{}", errors[0]);
        assert!(errors[0].contains("Missing"), "{}", errors[0]);
        assert!(!scratch.path().join("out").exists(), "nothing is written");
    }

    #[test]
    fn a_missing_input_or_bad_filter_is_an_error_naming_it() {
        let scratch = tempfile::tempdir().expect("a scratch directory");
        let missing = scratch.path().join("absent.yaml");
        let error = Builder::new(&missing).out_dir(scratch.path()).generate().expect_err("no spec");
        assert!(error.to_string().starts_with(&missing.display().to_string()), "{error}");
        let spec = write(scratch.path(), "spec.yaml", SPEC);
        let error = Builder::new(&spec).include("tag:").out_dir(scratch.path()).generate().expect_err("a bad filter");
        assert!(error.to_string().contains("`tag:` names nothing"), "{error}");
        let error = Builder::new(&spec).name("../elsewhere").generate().expect_err("a bad name");
        assert!(error.to_string().contains("`../elsewhere`"), "{error}");
    }
}
