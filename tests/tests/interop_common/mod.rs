//! Real OAuth software on 127.0.0.1 for the interop tests (`tests/interop/README.md` is the
//! contract): the authorization server oidc-provider (npm) and the Python client libraries
//! pyiceberg, authlib and requests-oauthlib.
//!
//! [`tools`] runs `tests/interop/setup.sh` once per test binary (it is idempotent, and quick
//! when everything is installed); [`OidcProvider`] starts the AS and stops it when dropped;
//! [`run_peer`] runs one peer script, bounded in time.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Where setup.sh put the peers.
#[derive(Debug)]
pub struct Tools {
    pub node: PathBuf,
    pub oidc_server: PathBuf,
    pub python: PathBuf,
    pub peers: PathBuf,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// The installed peers; installs them first if needed (`tests/interop/setup.sh`).
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let root = workspace_root();
        let output = Command::new("bash")
            .arg(root.join("tests/interop/setup.sh"))
            .current_dir(&root)
            .stderr(Stdio::inherit())
            .output()
            .expect("tests/interop/setup.sh runs");
        assert!(output.status.success(), "tests/interop/setup.sh failed: the interop peers could not be installed");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let find = |key: &str| -> PathBuf {
            stdout
                .lines()
                .find_map(|l| l.strip_prefix("interop: ")?.strip_prefix(key)?.strip_prefix(' ').map(PathBuf::from))
                .unwrap_or_else(|| panic!("setup.sh did not print `interop: {key}`:\n{stdout}"))
        };
        Tools { node: find("node"), oidc_server: find("oidc-server"), python: find("python"), peers: find("peers") }
    })
}

/// A running oidc-provider, stopped when dropped.
pub struct OidcProvider {
    child: Child,
    _stdin: ChildStdin,
    /// The issuer, `http://127.0.0.1:<port>`.
    pub url: String,
    http: reqwest::Client,
}

impl OidcProvider {
    /// Starts the AS with `env` (`ACCESS_TOKEN_TTL`, `TOKEN_PATH` …) on a free port and waits
    /// (at most 30 s) for its `READY` line.
    pub fn start(env: &[(&str, &str)]) -> OidcProvider {
        let tools = tools();
        let mut child = Command::new(&tools.node)
            .arg(&tools.oidc_server)
            .arg("0")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts");
        let stdin = child.stdin.take().expect("a piped stdin");
        let stdout = child.stdout.take().expect("a piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("oidc-provider did not print READY within 30 s");
            }
        };
        let Some(url) = line.trim().strip_prefix("READY ").map(str::to_string) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("oidc-provider printed {line:?} instead of READY");
        };
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("an HTTP client");
        OidcProvider { child, _stdin: stdin, url, http }
    }

    /// `GET /__stats`.
    pub async fn stats(&self) -> serde_json::Value {
        self.http.get(format!("{}/__stats", self.url)).send().await.expect("stats").json().await.expect("stats JSON")
    }

    /// Token requests by grant type since the last reset.
    pub async fn token_requests(&self, grant: &str) -> u64 {
        self.stats().await["token_requests"]["by_grant_type"][grant].as_u64().unwrap_or(0)
    }

    /// `POST /__reset`: counters to zero, pending failures dropped.
    pub async fn reset(&self) {
        let status = self.http.post(format!("{}/__reset", self.url)).send().await.expect("reset").status();
        assert!(status.is_success(), "reset: {status}");
    }

    /// `POST /__fail`: the next `times` requests to `target` fail with `status`.
    pub async fn fail(&self, target: &str, status: u16, times: u32, retry_after: Option<&str>) {
        let mut query = vec![("target", target.to_string()), ("status", status.to_string()), ("times", times.to_string())];
        if let Some(r) = retry_after {
            query.push(("retry_after", r.to_string()));
        }
        let response = self.http.post(format!("{}/__fail", self.url)).query(&query).send().await.expect("fail");
        assert!(response.status().is_success(), "fail: {}", response.status());
    }

    /// An authorization code for `authorization_url` (the server plays the browser).
    pub async fn code(&self, authorization_url: &str) -> serde_json::Value {
        let response = self.http.get(format!("{}/__code", self.url)).query(&[("url", authorization_url)]).send().await.expect("__code");
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("__code JSON");
        assert!(status.is_success(), "__code: {status} {body}");
        body
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a peer script printed.
#[derive(Debug)]
pub struct PeerOutcome {
    pub ok: bool,
    pub line: serde_json::Value,
}

impl PeerOutcome {
    pub fn str(&self, key: &str) -> Option<&str> {
        self.line.get(key)?.as_str()
    }
}

/// Runs `tests/interop/peers/<script>` with `args` (at most 60 s) and parses its JSON line.
pub fn run_peer(script: &str, args: &[String]) -> PeerOutcome {
    let tools = tools();
    let mut child = Command::new(&tools.python)
        .arg(tools.peers.join(script))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits for the peer") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{script} {args:?} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    use std::io::Read;
    child.stdout.take().expect("stdout").read_to_string(&mut stdout).expect("reads stdout");
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("reads stderr");
    assert!(status.code() == Some(0) || status.code() == Some(1), "{script} {args:?}: exit {status}\n{stderr}");
    let line: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{script} {args:?}: not a JSON line ({e}):\n{stdout}\n{stderr}"));
    PeerOutcome { ok: status.code() == Some(0) && line["ok"] == true, line }
}
