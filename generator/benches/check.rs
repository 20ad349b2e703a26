//! `cargo check` of generated code: what a user's build pays for a generated crate. Our
//! crates for Stripe and GitHub (client + server + models, `generator --spec S --out D`)
//! against `openapi-to-rust`'s client for the same specs (`openapi-to-rust generate S
//! --output-dir D/src/generated`, its models and client, in a crate with the dependencies it
//! lists in `REQUIRED_DEPS.toml`).
//!
//! What is measured, per crate: the crate is generated into `target/bench/check/crates/`;
//! its dependencies are checked first (with an empty `lib.rs`, not measured); then the real
//! `lib.rs` is put back, the crate's own artifacts are removed (`cargo clean -p`, and its
//! incremental cache), and `cargo check` runs under `/usr/bin/time`: CPU (user + sys of
//! cargo and rustc) and the peak RSS of the largest process (rustc). Cargo's defaults: dev
//! profile, incremental compilation on (`CARGO_INCREMENTAL=1`), so the cache is written as in
//! a user's first check. One target directory per tool, in `target/bench/check/target-TOOL`.
//!
//! `cargo bench -p generator --bench check`. One run per crate, the crates interleaved (ours
//! Stripe, theirs Stripe, ours GitHub, theirs GitHub); `BENCH_CHECK_RUNS=N` for more rounds,
//! `BENCH_QUICK=1` for Stripe only.

mod support;

use std::path::{Path, PathBuf};

use support::{bench_dir, large_spec, mb, measure, median, secs, Job, Outcome, Sample, LARGE};

const SPECS: [&str; 2] = ["stripe", "github"];
/// Limits, in seconds: generating, checking the dependencies, checking the crate.
const GENERATE_TIMEOUT: u64 = 300;
const DEPS_TIMEOUT: u64 = 1200;
const CHECK_TIMEOUT: u64 = 1500;

#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Ours,
    OpenapiToRust,
}

impl Tool {
    fn key(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::OpenapiToRust => "openapi-to-rust",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tool::Ours => "ours (client + server + models)",
            Tool::OpenapiToRust => "openapi-to-rust (client + models)",
        }
    }
}

/// A generated crate ready to check.
struct Crate {
    tool: Tool,
    spec: &'static str,
    dir: PathBuf,
    /// The package name (for `cargo clean -p`).
    name: String,
    lines: usize,
}

fn lines_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| e.path())
        .map(|p| if p.is_dir() { lines_under(&p) } else if p.extension().is_some_and(|e| e == "rs") { std::fs::read_to_string(&p).map(|t| t.lines().count()).unwrap_or(0) } else { 0 })
        .sum()
}

fn run(argv: &[String], cwd: Option<&Path>, env: &[(&str, &str)], timeout_s: u64) -> Option<Sample> {
    measure(&Job { argv, cwd, env, timeout_s })
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

/// Generates the crate of `tool` for `spec`; `Err` says why there is none.
fn generate(tool: Tool, spec: &'static str, spec_path: &Path) -> Result<Crate, String> {
    let dir = bench_dir().join("check/crates").join(format!("{}-{spec}", tool.key()));
    let _ = std::fs::remove_dir_all(&dir);
    let name = format!("bench-{}-{spec}", tool.key());
    let spec_path = spec_path.display().to_string();
    let argv = match tool {
        Tool::Ours => strings(&[env!("CARGO_BIN_EXE_generator"), "--spec", &spec_path, "--out", &dir.display().to_string()]),
        Tool::OpenapiToRust => {
            let out = dir.join("src/generated").display().to_string();
            strings(&["openapi-to-rust", "generate", &spec_path, "--output-dir", &out, "--quiet"])
        }
    };
    let sample = run(&argv, None, &[], GENERATE_TIMEOUT).ok_or("not installed")?;
    if sample.outcome != Outcome::Ok {
        return Err(format!("generation {}", sample.outcome));
    }
    let manifest = match tool {
        Tool::Ours => {
            // The generator names the package after the spec; the bench names it after both.
            let text = std::fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
            let old = text.lines().find(|l| l.starts_with("name = ")).ok_or("a package name")?.to_string();
            text.replacen(&old, &format!("name = \"{name}\""), 1)
        }
        Tool::OpenapiToRust => {
            let deps = std::fs::read_to_string(dir.join("src/generated/REQUIRED_DEPS.toml")).map_err(|e| format!("REQUIRED_DEPS.toml: {e}"))?;
            std::fs::write(dir.join("src/lib.rs"), "pub mod generated;\n").map_err(|e| e.to_string())?;
            openapi_to_rust_manifest(&name, &deps)
        }
    };
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let lines = lines_under(&dir.join("src"));
    Ok(Crate { tool, spec, dir, name, lines })
}

/// A manifest with the dependencies `openapi-to-rust` lists (`REQUIRED_DEPS.toml`: a
/// `[dependencies]` table, with comments).
fn openapi_to_rust_manifest(name: &str, required: &str) -> String {
    let deps: String = required
        .lines()
        .skip_while(|l| l.trim() != "[dependencies]")
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .map(|l| format!("{l}\n"))
        .collect();
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}\n[workspace]\n")
}

fn target_dir(tool: Tool) -> PathBuf {
    bench_dir().join(format!("check/target-{}", tool.key()))
}

/// `cargo check` in the crate, with its own target directory.
fn cargo_check(krate: &Crate, timeout_s: u64) -> Option<Sample> {
    let target = target_dir(krate.tool).display().to_string();
    let env = [("CARGO_TARGET_DIR", target.as_str()), ("CARGO_INCREMENTAL", "1")];
    run(&strings(&["cargo", "check", "--quiet"]), Some(&krate.dir), &env, timeout_s)
}

/// Checks the dependencies of `krate` with an empty `lib.rs` (not measured).
fn check_dependencies(krate: &Crate) -> Result<(), String> {
    let lib = krate.dir.join("src/lib.rs");
    let real = krate.dir.join("lib.rs.real");
    std::fs::rename(&lib, &real).map_err(|e| e.to_string())?;
    std::fs::write(&lib, "").map_err(|e| e.to_string())?;
    let sample = cargo_check(krate, DEPS_TIMEOUT);
    std::fs::rename(&real, &lib).map_err(|e| e.to_string())?;
    let sample = sample.ok_or("cargo is missing")?;
    eprintln!("[check] dependencies of {}: {} in {:.0} s", krate.name, sample.outcome, sample.wall);
    match sample.outcome {
        Outcome::Ok => Ok(()),
        other => Err(format!("dependencies {other}: {}", error_line(&sample.stderr))),
    }
}

/// The first compiler error, for the table.
fn error_line(stderr: &str) -> String {
    stderr.lines().find(|l| l.starts_with("error")).unwrap_or("").replace('|', "/").replace('`', "'").chars().take(100).collect()
}

/// One measured check of the crate itself, from clean (dependencies already checked).
fn measure_check(krate: &Crate) -> Option<Sample> {
    let target = target_dir(krate.tool);
    let target_s = target.display().to_string();
    let clean = strings(&["cargo", "clean", "--quiet", "-p", &krate.name]);
    run(&clean, Some(&krate.dir), &[("CARGO_TARGET_DIR", target_s.as_str())], 300)?;
    let prefix = format!("{}-", krate.name.replace('-', "_"));
    if let Ok(entries) = std::fs::read_dir(target.join("debug/incremental")) {
        for entry in entries.flatten().filter(|e| e.file_name().to_string_lossy().starts_with(&prefix)) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let sample = cargo_check(krate, CHECK_TIMEOUT)?;
    eprintln!("[check] {}: {} {:.1} s CPU, {:.0} s wall, {:.0} MB", krate.name, sample.outcome, sample.cpu, sample.wall, sample.rss_mb);
    Some(sample)
}

fn main() {
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let rounds: usize = std::env::var("BENCH_CHECK_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let specs: &[&str] = if quick { &SPECS[..1] } else { &SPECS };
    let mut crates: Vec<Result<Crate, (Tool, &str, String)>> = Vec::new();
    for &spec in specs {
        let file = LARGE.iter().find(|(name, _)| *name == spec).map(|(_, file)| *file).unwrap_or_default();
        for tool in [Tool::Ours, Tool::OpenapiToRust] {
            let krate = match large_spec(file) {
                None => Err("the corpus is not installed".to_string()),
                Some(path) => generate(tool, spec, &path).and_then(|k| check_dependencies(&k).map(|()| k)),
            };
            crates.push(krate.map_err(|why| (tool, spec, why)));
        }
    }
    let mut samples: Vec<Vec<Sample>> = crates.iter().map(|_| Vec::new()).collect();
    for _ in 0..rounds {
        for (krate, samples) in crates.iter().zip(&mut samples) {
            if let Some(sample) = krate.as_ref().ok().and_then(measure_check) {
                samples.push(sample);
            }
        }
    }
    println!("Median of {rounds} run(s) per crate. CPU is user + sys of cargo and rustc; peak RSS is rustc's.\n");
    println!("| spec | crate | lines | outcome | CPU (s) | CPU vs ours | wall (s) | peak RSS (MB) | RSS vs ours |");
    println!("|---|---|---:|---|---:|---:|---:|---:|---:|");
    let mut ours = (f64::NAN, f64::NAN);
    for (krate, samples) in crates.iter().zip(&samples) {
        let (tool, spec) = match krate {
            Ok(k) => (k.tool, k.spec),
            Err((tool, spec, why)) => {
                if *tool == Tool::Ours {
                    ours = (f64::NAN, f64::NAN);
                }
                println!("| {spec} | {} | | {why} | | | | | |", tool.label());
                continue;
            }
        };
        let k = krate.as_ref().ok().map(|k| k.lines).unwrap_or(0);
        let outcome = match samples.first() {
            Some(s) if s.outcome == Outcome::Ok => "ok".to_string(),
            Some(s) => format!("{}: {}", s.outcome, error_line(&s.stderr)),
            None => "not run".to_string(),
        };
        let cpu = median(&samples.iter().map(|s| s.cpu).collect::<Vec<_>>());
        let rss = median(&samples.iter().map(|s| s.rss_mb).collect::<Vec<_>>());
        let wall = median(&samples.iter().map(|s| s.wall).collect::<Vec<_>>());
        if tool == Tool::Ours {
            ours = (cpu, rss);
        }
        let vs = |x: f64, base: f64| if base.is_nan() || x.is_nan() { "–".to_string() } else { format!("{:.2}×", x / base) };
        println!("| {spec} | {} | {k} | {outcome} | {} | {} | {} | {} | {} |", tool.label(), secs(cpu), vs(cpu, ours.0), secs(wall), mb(rss), vs(rss, ours.1));
    }
}
