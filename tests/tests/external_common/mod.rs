//! What the tests that build crates outside the workspace share (`external_crate.rs`,
//! `macro_ui.rs`): one target directory, `target/external`, where those crates' dependencies
//! are built once, and a `cargo` that runs there as it would by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// `target/external`, in the target directory this test was built in.
pub fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp")
        .join("external")
}

/// Runs `cargo args…` in `dir` with the shared target dir, and returns its output. The crates
/// built there ask for the same features of their dependencies (`tests/external`'s
/// dependencies and dev-dependencies), so that each dependency is built once.
pub fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir());
    // Not the variables cargo set for this test: build scripts watch some of them (ring's
    // `rerun-if-env-changed=CARGO_PKG_NAME`), and cargo reads those from its own environment,
    // so they would make these builds differ from the same `cargo` run by hand.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_")
            || name.starts_with("CARGO_MANIFEST_")
            || [
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
            ]
            .contains(&name.as_ref())
        {
            command.env_remove(name.as_ref());
        }
    }
    let output = command.output().expect("cargo runs");
    eprintln!(
        "`cargo {}` in {}: {:.1?}",
        args.join(" "),
        dir.display(),
        started.elapsed()
    );
    output
}

pub fn copy_lock(dir: &Path) {
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copies Cargo.lock");
}
