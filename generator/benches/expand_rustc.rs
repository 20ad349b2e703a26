//! Macro expansion as rustc runs it: what `#[oauth_api("spec.yaml")]` adds to a user's build
//! over the same code checked in, for each spec in `specs/`.
//!
//! `generator/benches/expand.rs` times `generator::generate` in a process of its own, where
//! proc-macro2 keeps tokens itself. Inside rustc every token goes to the compiler instead, so
//! the two do not cost the same: this bench measures the real thing. A scratch crate
//! (`target/bench/expand-rustc/`, depending on the runtime and the macro crate by path, built
//! as Cargo builds them: proc macros unoptimized) is checked with `-Z time-passes`
//! (`RUSTC_BOOTSTRAP=1`) in two forms, taken in turn:
//!
//! - the macro: `#[oauth_api_macros::oauth_api("specs/S")] pub mod api {}`;
//! - checked in: `#[path = "generated/src/S.rs"] pub mod api;` (the macro's output, formatted).
//!
//! rustc's `expand_crate` pass covers the proc macro, reading a module file, and expanding the
//! `model!` and derive macros of the code either way; the difference of the two forms (paired
//! per round) is what the proc macro costs: running it and turning its tokens into syntax,
//! less reading the same code from a file. Wall time of one thread, so it suffers from a busy
//! machine: median of the paired differences.
//!
//! `cargo bench -p generator --bench expand_rustc`; `BENCH_EXPAND_RUNS=N` rounds (default 9, 5 with
//! `BENCH_QUICK=1`).
//! Optional arguments filter the specs by name.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{bench_dir, median, root};

/// The target for one expansion, unoptimized (issue 14), in seconds.
const TARGET: f64 = 0.020;

fn main() {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let runs: usize = std::env::var("BENCH_EXPAND_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(if quick { 5 } else { 9 }).max(1);
    let specs = specs(&filters);
    let Some((_, first)) = specs.first() else {
        println!("No spec in `specs/` with a checked-in module matches {filters:?}.");
        return;
    };
    let dir = bench_dir().join("expand-rustc");
    if let Err(e) = scaffold(&dir) {
        println!("Could not set up the scratch crate in `{}`: {e}", dir.display());
        return;
    }
    // Dependencies (and the proc macro) are built first, not measured.
    write_lib(&dir, &checked_in(first));
    if let Err(e) = check(&dir) {
        println!("Checking the scratch crate failed:\n{e}");
        return;
    }
    println!("Macro expansion in rustc: `expand_crate` of `-Z time-passes`, median of {runs} rounds, in ms of wall time; the macro and the checked-in module taken in turn.\n");
    println!("| spec | with the macro | with the checked-in module | the macro's cost (median of paired differences) |");
    println!("| ---- | -------------: | -------------------------: | ----------------------------------------------: |");
    let mut slowest = 0.0f64;
    for (name, stem) in &specs {
        let (mut with_macro, mut checked, mut differences) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let measured = expand_time(&dir, &macro_form(name)).and_then(|m| Ok((m, expand_time(&dir, &checked_in(stem))?)));
            match measured {
                Ok((m, c)) => {
                    with_macro.push(m);
                    checked.push(c);
                    differences.push(m - c);
                }
                Err(e) => {
                    println!("| `specs/{name}` | failed: {} | | |", e.lines().next().unwrap_or_default());
                    break;
                }
            }
        }
        if differences.is_empty() {
            continue;
        }
        let cost = median(&differences);
        slowest = slowest.max(cost);
        println!("| `specs/{name}` | {} | {} | **{}** |", ms(median(&with_macro)), ms(median(&checked)), ms(cost));
    }
    let verdict = if slowest < TARGET { "within" } else { "OVER" };
    println!("\nSlowest: the macro costs {} ms, {verdict} the {} ms target.", ms(slowest), TARGET * 1000.0);
}

fn ms(seconds: f64) -> String {
    format!("{:.1}", seconds * 1000.0)
}

/// The specs in `specs/` (file name, stem) whose module is checked in, filtered by name.
fn specs(filters: &[String]) -> Vec<(String, String)> {
    let mut specs: Vec<(String, String)> = std::fs::read_dir(root().join("specs"))
        .expect("specs/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p.file_stem()?.to_str()?.to_string())))
        .filter(|(_, stem)| root().join("generated/src").join(format!("{stem}.rs")).exists())
        .filter(|(_, stem)| filters.is_empty() || filters.iter().any(|f| stem.contains(f.as_str())))
        .collect();
    specs.sort();
    specs
}

/// `lib.rs` expanding the macro on `specs/<name>`.
fn macro_form(name: &str) -> String {
    let spec = root().join("specs").join(name);
    format!("#[oauth_api_macros::oauth_api({:?})]\npub mod api {{}}\n", spec.display().to_string())
}

/// `lib.rs` reading the checked-in module of `specs/<stem>.*`.
fn checked_in(stem: &str) -> String {
    let module = root().join("generated/src").join(format!("{stem}.rs"));
    format!("#[path = {:?}]\npub mod api;\n", module.display().to_string())
}

/// The scratch crate: the runtime and the macro crate by path, as `generated/` has them.
fn scaffold(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    let root = root();
    let manifest = format!(
        "[package]\nname = \"expand-rustc\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\noauth-api = {{ path = {:?}, default-features = false, features = [\"client\", \"server\"] }}\n\
         oauth-api-macros = {{ path = {:?} }}\n\n[workspace]\n",
        root.join("runtime").display().to_string(),
        root.join("macros").display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
}

fn write_lib(dir: &Path, text: &str) {
    std::fs::write(dir.join("src/lib.rs"), text).expect("the scratch crate's lib.rs is written");
}

/// A cargo command in the scratch crate, with its own target directory.
fn cargo(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(dir).env("CARGO_TARGET_DIR", target_dir(dir)).env_remove("RUSTFLAGS");
    cmd
}

fn target_dir(dir: &Path) -> PathBuf {
    dir.join("target")
}

fn check(dir: &Path) -> Result<(), String> {
    let output = cargo(dir).args(["check", "-q"]).output().map_err(|e| e.to_string())?;
    match output.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

/// Seconds of rustc's `expand_crate` pass when checking the crate with `lib` as its `lib.rs`.
fn expand_time(dir: &Path, lib: &str) -> Result<f64, String> {
    write_lib(dir, lib);
    let output = cargo(dir)
        .args(["rustc", "--lib", "-q", "--profile=check", "--", "-Z", "time-passes"])
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&output.stderr).into_owned() + &String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(text);
    }
    // `time:   0.075; rss:   62MB ->  124MB (  +62MB)	expand_crate`
    text.lines()
        .filter(|l| l.trim_end().ends_with("\texpand_crate") || l.trim_end().ends_with(" expand_crate"))
        .find_map(|l| l.strip_prefix("time:")?.split(';').next()?.trim().parse().ok())
        .ok_or_else(|| format!("no `expand_crate` line in rustc's output:\n{text}"))
}
