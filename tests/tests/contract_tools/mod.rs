//! The outside tools of the `contract` suite and how it runs them: the pinned
//! npm packages in `tests/contract/` (installed on first use), Prism as a
//! child process on 127.0.0.1, Spectral, and a small loopback front that
//! hands out bearer tokens and forwards everything else to Prism.
#![allow(dead_code)] // not every part is used by every test

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderName};
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How long `npm ci` may take (a slow network, a cold npm cache).
const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);
/// How long Prism may take to load the spec and listen (about 5 s usually).
const PRISM_START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one Spectral run may take (about 2 s usually).
const SPECTRAL_TIMEOUT: Duration = Duration::from_secs(120);

const NODE_MISSING: &str = "the contract tests need Node.js (20 or newer) and npm on the PATH: \
     they install Prism and Spectral with npm (tests/contract/package-lock.json) and run them with Node.js. \
     Install Node.js from https://nodejs.org/en/download or with a package manager (`apt-get install nodejs npm`, \
     `dnf install nodejs npm`, `brew install node`, `winget install OpenJS.NodeJS.LTS`), \
     then run `cargo test --workspace` again";

/// The installed tools: where the folder is, and the scripts `node` runs.
pub struct Tools {
    dir: PathBuf,
    prism: PathBuf,
    spectral: PathBuf,
}

/// The tools, installed by the first test that asks (once per test binary;
/// other test processes wait on a lock file while one installs).
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    match TOOLS.get_or_init(install) {
        Ok(tools) => tools,
        Err(message) => panic!("{message}"),
    }
}

/// The repository's spec, which every tool reads.
pub fn spec_path() -> PathBuf {
    atlas_tests::repo_root().join("spec/atlas-invitations.yaml")
}

fn program(name: &str) -> String {
    if cfg!(windows) && name == "npm" {
        "npm.cmd".to_owned()
    } else {
        name.to_owned()
    }
}

/// `name --version`, or why it cannot be run.
fn version_of(name: &str) -> Result<String, String> {
    match Command::new(program(name)).arg("--version").stdin(Stdio::null()).output() {
        Ok(output) if output.status.success() => Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned()),
        Ok(output) => Err(format!(
            "`{name} --version` failed ({}): {}; {NODE_MISSING}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let tool = if name == "node" { "Node.js" } else { name };
            Err(format!("{tool} is missing (`{name}` is not on the PATH); {NODE_MISSING}"))
        }
        Err(e) => Err(format!("`{name}` cannot be run ({e}): {NODE_MISSING}")),
    }
}

/// What `npm ci` installs, as a fingerprint of the manifests: the
/// installation is redone when they change or when an earlier one did not
/// finish (it writes the stamp last).
fn fingerprint(dir: &Path) -> Result<String, String> {
    let mut hash = Sha256::new();
    for name in ["package.json", "package-lock.json"] {
        let bytes = fs::read(dir.join(name)).map_err(|e| format!("cannot read tests/contract/{name}: {e}"))?;
        hash.update(&bytes);
    }
    Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The script an npm package declares as its command `bin`.
fn bin_script(dir: &Path, package: &str, bin: &str) -> Result<PathBuf, String> {
    let root = dir.join("node_modules").join(package);
    let manifest = fs::read_to_string(root.join("package.json"))
        .map_err(|e| format!("{package} is not installed in tests/contract/node_modules: {e}"))?;
    let manifest: Value = serde_json::from_str(&manifest).map_err(|e| format!("{package}/package.json: {e}"))?;
    let script = match &manifest["bin"] {
        Value::String(script) => script.as_str(),
        bins => bins[bin].as_str().ok_or_else(|| format!("{package} declares no `{bin}` command"))?,
    };
    let script = root.join(script);
    if script.is_file() {
        Ok(script)
    } else {
        Err(format!("{} is missing", script.display()))
    }
}

fn install() -> Result<Tools, String> {
    let dir = atlas_tests::repo_root().join("tests/contract");
    version_of("node")?;

    // One installer at a time, across test binaries and concurrent runs: the
    // OS drops the lock when its holder exits, even on a crash.
    let lock_path = dir.join(".install.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    let mut lock = fd_lock::RwLock::new(file);
    let _held = lock.write().map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;

    let stamp = dir.join("node_modules/.atlas-contract-tools");
    let wanted = fingerprint(&dir)?;
    let installed = fs::read_to_string(&stamp).is_ok_and(|s| s == wanted);
    if !installed {
        let npm = version_of("npm")?;
        eprintln!("contract tests: installing Prism and Spectral into tests/contract/node_modules (npm {npm}, npm ci)");
        let started = Instant::now();
        let mut command = Command::new(program("npm"));
        command
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .env("npm_config_update_notifier", "false");
        let run = Process::spawn(command).map_err(|e| format!("cannot start `npm ci`: {e}; {NODE_MISSING}"))?;
        let (status, output) = run.finish(INSTALL_TIMEOUT);
        match status {
            Some(status) if status.success() => {}
            Some(status) => return Err(format!("`npm ci` in tests/contract failed ({status}):\n{output}")),
            None => return Err(format!("`npm ci` in tests/contract took over {INSTALL_TIMEOUT:?}:\n{output}")),
        }
        fs::write(&stamp, &wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
        eprintln!("contract tests: installed in {:.1?}", started.elapsed());
    }
    Ok(Tools {
        prism: bin_script(&dir, "@stoplight/prism-cli", "prism")?,
        spectral: bin_script(&dir, "@stoplight/spectral-cli", "spectral")?,
        dir,
    })
}

/// The last lines a child process printed (stdout and stderr together).
#[derive(Clone, Default)]
struct Output(Arc<Mutex<VecDeque<String>>>);

impl Output {
    const LINES: usize = 400;

    fn drain(&self, stream: impl Read + Send + 'static) -> std::thread::JoinHandle<()> {
        let lines = self.0.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                let mut lines = lines.lock().unwrap_or_else(PoisonError::into_inner);
                if lines.len() == Self::LINES {
                    lines.pop_front();
                }
                lines.push_back(line);
            }
        })
    }

    fn contains(&self, needle: &str) -> bool {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).iter().any(|line| line.contains(needle))
    }

    fn text(&self) -> String {
        let lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        lines.iter().map(|line| format!("    {line}\n")).collect()
    }
}

/// A child process whose output is read as it comes (so it never blocks on
/// a full pipe), and which is killed when dropped: also when a test panics.
struct Process {
    child: Child,
    output: Output,
    readers: Vec<std::thread::JoinHandle<()>>,
    /// Held open for a server that exits when it closes (see [`SERVE`]).
    _stdin: Option<ChildStdin>,
}

impl Process {
    fn spawn(mut command: Command) -> std::io::Result<Process> {
        Self::spawn_with(command.stdin(Stdio::null()))
    }

    fn spawn_with(command: &mut Command) -> std::io::Result<Process> {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        let output = Output::default();
        let mut readers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            readers.push(output.drain(stdout));
        }
        if let Some(stderr) = child.stderr.take() {
            readers.push(output.drain(stderr));
        }
        Ok(Process { _stdin: child.stdin.take(), child, output, readers })
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits for the process to exit, at most `timeout` (then kills it and
    /// gives `None`), and returns what it printed.
    fn finish(mut self, timeout: Duration) -> (Option<ExitStatus>, String) {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.exited() {
                break Some(status);
            }
            if Instant::now() >= deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // The readers reach the end of the pipes once the process is gone
        // (later if it left a child of its own holding them: do not wait long).
        let deadline = Instant::now() + Duration::from_secs(2);
        while !self.readers.iter().all(std::thread::JoinHandle::is_finished) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        (status, self.output.text())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.exited().is_none() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// A port on 127.0.0.1 that nothing listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a port on 127.0.0.1");
    listener.local_addr().expect("local address").port()
}

/// Runs the npm command script `argv[1]` in this Node.js process and ends
/// the process when its standard input closes: the test process holds the
/// other end, so the server goes away with it even when it is killed.
const SERVE: &str = "process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); require(process.argv[1]);";

/// Prism's mock server for the spec, validating requests (`--errors`: a
/// request that breaks the spec gets an error status and the violations in
/// the `sl-violations` header). Stopped when dropped.
pub struct Prism {
    process: Process,
    port: u16,
}

impl Prism {
    pub async fn start() -> Prism {
        let tools = tools();
        let mut attempt = 1;
        loop {
            let port = free_port();
            let mut command = Command::new(program("node"));
            command
                .args(["-e", SERVE, "--"])
                .arg(&tools.prism)
                .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors"])
                .arg(spec_path())
                .current_dir(&tools.dir);
            let process = Process::spawn_with(command.stdin(Stdio::piped()))
                .unwrap_or_else(|e| panic!("cannot start Prism: {e}; {NODE_MISSING}"));
            let mut prism = Prism { process, port };
            let listening = format!("Prism is listening on http://127.0.0.1:{port}");
            let deadline = Instant::now() + PRISM_START_TIMEOUT;
            loop {
                if prism.process.output.contains(&listening) {
                    return prism;
                }
                if let Some(status) = prism.process.exited() {
                    // Another process took the port between our check and Prism's bind.
                    if attempt < 3 && prism.process.output.contains("EADDRINUSE") {
                        break;
                    }
                    panic!("Prism exited ({status}) before listening:\n{}", prism.process.output.text());
                }
                assert!(
                    Instant::now() < deadline,
                    "Prism did not listen on 127.0.0.1:{port} within {PRISM_START_TIMEOUT:?}:\n{}",
                    prism.process.output.text()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            attempt += 1;
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The last lines Prism logged, for failure messages.
    pub fn log(&self) -> String {
        self.process.output.text()
    }
}

/// One finding of Spectral.
#[derive(Debug)]
pub struct Finding {
    pub code: String,
    pub message: String,
    /// 0 error, 1 warning, 2 information, 3 hint.
    pub severity: u64,
    /// The JSON path in the document, e.g. `paths./api/….get.responses`.
    pub path: String,
    /// 1-based.
    pub line: u64,
}

/// Lints a document with Spectral and the repository's ruleset
/// (`tests/contract/.spectral.yaml`); returns every finding.
pub fn spectral_lint(document: &Path) -> Vec<Finding> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let tools = tools();
    let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "spectral-{}-{}.json",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = fs::remove_file(&report);
    let mut command = Command::new(program("node"));
    command
        .arg(&tools.spectral)
        .args(["lint", "--ruleset", ".spectral.yaml", "--format", "json", "--output"])
        .arg(&report)
        .arg(document)
        .current_dir(&tools.dir);
    let run = Process::spawn(command).unwrap_or_else(|e| panic!("cannot start Spectral: {e}; {NODE_MISSING}"));
    let (status, output) = run.finish(SPECTRAL_TIMEOUT);
    // Spectral exits 1 when it found errors, and writes the report either way.
    let status = status.unwrap_or_else(|| panic!("Spectral took over {SPECTRAL_TIMEOUT:?}:\n{output}"));
    assert!(matches!(status.code(), Some(0 | 1)), "Spectral failed ({status}):\n{output}");
    let text = fs::read_to_string(&report).unwrap_or_else(|e| panic!("Spectral wrote no report ({e}):\n{output}"));
    let _ = fs::remove_file(&report);
    let findings: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("Spectral's report is not a JSON array ({e}):\n{text}"));
    assert_eq!(status.code() == Some(1), findings.iter().any(|f| f["severity"] == 0), "exit status {status}:\n{text}");
    findings
        .iter()
        .map(|f| Finding {
            code: f["code"].as_str().map_or_else(|| f["code"].to_string(), str::to_owned),
            message: f["message"].as_str().unwrap_or_default().to_owned(),
            severity: f["severity"].as_u64().unwrap_or(u64::MAX),
            path: f["path"]
                .as_array()
                .map(|parts| parts.iter().map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned)))
                .map(|parts| parts.collect::<Vec<_>>().join("."))
                .unwrap_or_default(),
            line: f["range"]["start"]["line"].as_u64().map_or(0, |line| line + 1),
        })
        .collect()
}

/// One request the front forwarded to Prism, and Prism's answer.
#[derive(Debug)]
pub struct Exchange {
    pub method: Method,
    /// Path and query, as received.
    pub target: String,
    pub request_headers: HeaderMap,
    pub request_body: Bytes,
    pub status: StatusCode,
    pub response_headers: HeaderMap,
    pub response_body: Bytes,
}

impl Exchange {
    /// Prism's `sl-violations` header: the ways the request breaks the spec.
    pub fn violations(&self) -> Option<&str> {
        self.response_headers.get("sl-violations").and_then(|v| v.to_str().ok())
    }
}

/// Headers that belong to one connection, not to the request or answer.
const HOP_BY_HOP: [HeaderName; 5] =
    [header::CONNECTION, header::HOST, header::TRANSFER_ENCODING, header::CONTENT_LENGTH, header::UPGRADE];

fn end_to_end(headers: &HeaderMap) -> HeaderMap {
    let mut headers = headers.clone();
    for name in &HOP_BY_HOP {
        headers.remove(name);
    }
    headers.remove("keep-alive");
    headers
}

/// A loopback HTTP server standing where Atlas would: `POST /api/oauth/token`
/// goes to the token server, every other request unchanged (method, path,
/// query, headers, body) to Prism, and the answer comes back unchanged.
/// Records what went to Prism. Stops when dropped.
pub struct Front {
    url: String,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
    server: tokio::task::JoinHandle<()>,
}

impl Front {
    pub async fn start(prism: String, token_server: String) -> Front {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.expect("bind the front");
        let url = format!("http://{}", listener.local_addr().expect("front address"));
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let upstream = Upstream {
            http: reqwest::Client::builder().no_proxy().build().expect("HTTP client"),
            prism,
            token_server,
            exchanges: exchanges.clone(),
        };
        let server = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let service = service_fn(move |request| {
                    let upstream = upstream.clone();
                    async move { Ok::<_, Infallible>(upstream.forward(request).await) }
                });
                connections.spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Front { url, exchanges, server }
    }

    /// The base URL to give the client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The exchanges with Prism since the last call.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.exchanges.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        self.server.abort();
    }
}

#[derive(Clone)]
struct Upstream {
    http: reqwest::Client,
    prism: String,
    token_server: String,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl Upstream {
    async fn forward(&self, request: hyper::Request<Incoming>) -> hyper::Response<Full<Bytes>> {
        let (parts, body) = request.into_parts();
        let body = match body.collect().await {
            Ok(body) => body.to_bytes(),
            Err(e) => return answer(StatusCode::BAD_REQUEST, &format!("front: unreadable request body: {e}")),
        };
        let target = parts.uri.path_and_query().map_or("/", |target| target.as_str()).to_owned();
        let to_prism = parts.uri.path() != crate::client_common::TOKEN_PATH;
        let base = if to_prism { &self.prism } else { &self.token_server };
        let sent = self
            .http
            .request(parts.method.clone(), format!("{base}{target}"))
            .headers(end_to_end(&parts.headers))
            .body(body.clone())
            .send()
            .await;
        let (status, headers, response_body) = match sent {
            Ok(response) => {
                let (status, headers) = (response.status(), end_to_end(response.headers()));
                match response.bytes().await {
                    Ok(bytes) => (status, headers, bytes),
                    Err(e) => return answer(StatusCode::BAD_GATEWAY, &format!("front: reading {base}{target}: {e}")),
                }
            }
            Err(e) => return answer(StatusCode::BAD_GATEWAY, &format!("front: sending to {base}{target}: {e}")),
        };
        let mut response = hyper::Response::new(Full::new(response_body.clone()));
        *response.status_mut() = status;
        *response.headers_mut() = headers.clone();
        if to_prism {
            self.exchanges.lock().unwrap_or_else(PoisonError::into_inner).push(Exchange {
                method: parts.method,
                target,
                request_headers: parts.headers,
                request_body: body,
                status,
                response_headers: headers,
                response_body,
            });
        }
        response
    }
}

fn answer(status: StatusCode, text: &str) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(text.to_owned())));
    *response.status_mut() = status;
    response
}
