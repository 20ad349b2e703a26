//! `#[oauth_api]` as a user sees it: the cases in `tests/ui/pass` compile without warnings and
//! run, the cases in `tests/ui/fail` fail to compile with exactly the errors of their
//! `.stderr` file.
//!
//! The cases are the examples of a crate of their own, `target/external/ui`, written here
//! from `tests/ui/` (cases copied to `ui/pass/` and `ui/fail/`, so that errors name them as
//! the `.stderr` files do; `specs/*.yaml` and the broken fixtures `tests/ui/specs/*.yaml`
//! copied to `specs/`, which the cases name as a user would). Its dependencies are those of
//! `tests/external`, built in the same target directory: `external_crate.rs` and this test
//! build them once between them.
//!
//! After a change to an error message, rewrite the `.stderr` files with
//! `UI=overwrite cargo test -p oauth-api-tests --test macro_ui`, then read them.

mod external_common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use external_common::{cargo, copy_lock, target_dir, workspace_root};
use serde_json::Value;

/// How long a pass case may run.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// A case: `pass` or `fail`, and its file's stem.
struct Case {
    kind: &'static str,
    stem: String,
}

impl Case {
    fn example(&self) -> String {
        format!("{}_{}", self.kind, self.stem)
    }

    fn source(&self) -> PathBuf {
        workspace_root().join(format!("tests/ui/{}/{}.rs", self.kind, self.stem))
    }
}

fn cases(kind: &'static str) -> Vec<Case> {
    let dir = workspace_root().join("tests/ui").join(kind);
    let mut cases: Vec<Case> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| Case { kind, stem: path.file_stem().expect("a file name").to_string_lossy().into_owned() })
        .collect();
    cases.sort_by(|a, b| a.stem.cmp(&b.stem));
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    cases
}

fn copy_yaml(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let dest = to.join(path.file_name().expect("a file name"));
            std::fs::copy(&path, &dest).unwrap_or_else(|e| panic!("{} -> {}: {e}", path.display(), dest.display()));
        }
    }
}

/// The `[dev-dependencies]` section of `tests/external/Cargo.toml`, verbatim: the same
/// features, so the same builds of tokio and all that depends on it.
fn external_dev_dependencies() -> String {
    let manifest = std::fs::read_to_string(workspace_root().join("tests/external/Cargo.toml")).expect("tests/external/Cargo.toml");
    let start = manifest.find("[dev-dependencies]").expect("tests/external has dev-dependencies");
    let rest = &manifest[start..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 1);
    rest[..end].trim_end().to_string()
}

/// Writes the crate of the cases to `dir`, replacing what an earlier run left.
fn write_crate(dir: &Path, cases: &[&Case]) {
    let root = std::fs::canonicalize(workspace_root()).expect("the workspace root");
    for sub in ["ui", "specs", "src"] {
        let path = dir.join(sub);
        if path.exists() {
            std::fs::remove_dir_all(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    for sub in ["ui/pass", "ui/fail", "specs", "src"] {
        std::fs::create_dir_all(dir.join(sub)).expect("creates the cases' crate");
    }
    copy_yaml(&root.join("specs"), &dir.join("specs"));
    copy_yaml(&root.join("tests/ui/specs"), &dir.join("specs"));
    std::fs::write(dir.join("src/lib.rs"), "//! The examples are the cases.\n").expect("writes src/lib.rs");
    let mut manifest = format!(
        "[package]\nname = \"ui-cases\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\nautoexamples = false\n\n\
         [dependencies]\noauth-api = {{ path = {:?} }}\nserde_json = \"1\"\n\n{}\n",
        root.join("runtime").to_string_lossy(),
        external_dev_dependencies()
    );
    for case in cases {
        let to = format!("ui/{}/{}.rs", case.kind, case.stem);
        std::fs::copy(case.source(), dir.join(&to)).expect("copies a case");
        manifest.push_str(&format!("\n[[example]]\nname = {:?}\npath = {to:?}\n", case.example()));
    }
    manifest.push_str("\n[workspace]\n");
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("writes the cases' manifest");
    copy_lock(dir);
}

/// `cargo build --message-format=json` of `examples`: whether it succeeded, and the rendered
/// diagnostics of each example, in order.
fn build(dir: &Path, examples: &[String]) -> (bool, Vec<(String, String)>) {
    let mut args = vec!["build", "--message-format=json"];
    for example in examples {
        args.extend(["--example", example]);
    }
    let output = cargo(dir, &args);
    let mut diagnostics = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let target = message["target"]["name"].as_str().unwrap_or_default().to_string();
        let text = message["message"]["message"].as_str().unwrap_or_default();
        // rustc's summary lines, not diagnostics of the case.
        if text.starts_with("aborting due to") || text.starts_with("For more information about") {
            continue;
        }
        let rendered = message["message"]["rendered"].as_str().unwrap_or_default().to_string();
        diagnostics.push((target, rendered));
    }
    if !output.status.success() && diagnostics.is_empty() {
        panic!("cargo build failed without diagnostics:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    (output.status.success(), diagnostics)
}

/// Runs a built example, bounded by [`RUN_LIMIT`]; returns whether it exited successfully, and
/// what it printed.
fn run(dir: &Path, example: &str) -> (bool, String) {
    let binary = target_dir().join("debug/examples").join(example);
    let mut child = Command::new(&binary)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    let started = Instant::now();
    loop {
        if child.try_wait().expect("waits for the case").is_some() {
            break;
        }
        if started.elapsed() > RUN_LIMIT {
            child.kill().ok();
            child.wait().ok();
            panic!("{example} ran longer than {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("the case's output");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[test]
fn ui() {
    let pass = cases("pass");
    let fail = cases("fail");
    let dir = target_dir().join("ui");
    write_crate(&dir, &pass.iter().chain(&fail).collect::<Vec<_>>());
    let mut failures = Vec::new();

    // Pass cases: one build, no diagnostics at all, then each runs to a successful exit.
    let examples: Vec<String> = pass.iter().map(Case::example).collect();
    let (built, diagnostics) = build(&dir, &examples);
    for (target, rendered) in &diagnostics {
        failures.push(format!("pass case {target}: {rendered}"));
    }
    if built {
        for case in &pass {
            let (ok, text) = run(&dir, &case.example());
            if !ok {
                failures.push(format!("pass case {} did not run to success:\n{text}", case.stem));
            }
        }
    } else {
        failures.push("the pass cases do not build".to_string());
    }

    // Fail cases: each alone, so that each fails for its own reasons.
    let overwrite = std::env::var("UI").is_ok_and(|v| v == "overwrite");
    for case in &fail {
        let (built, diagnostics) = build(&dir, &[case.example()]);
        if built {
            failures.push(format!("fail case {} compiled", case.stem));
            continue;
        }
        let actual: Vec<&str> = diagnostics.iter().filter(|(t, _)| *t == case.example()).map(|(_, r)| r.trim_end()).collect();
        let actual = actual.join("\n\n") + "\n";
        let expected_path = case.source().with_extension("stderr");
        if overwrite {
            std::fs::write(&expected_path, &actual).expect("writes the .stderr file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected.trim_end() != actual.trim_end() {
            failures.push(format!(
                "fail case {}: the errors differ from {}\n--- expected\n{expected}\n--- actual\n{actual}",
                case.stem,
                expected_path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The section the cases' crate copies is the whole `[dev-dependencies]` table.
#[test]
fn dev_dependencies_are_read_whole() {
    let section = external_dev_dependencies();
    assert!(section.starts_with("[dev-dependencies]\n"), "{section}");
    assert!(section.contains("tokio"), "{section}");
    assert!(!section[1..].contains("\n["), "{section}");
}
