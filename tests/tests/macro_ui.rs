//! `#[oauth_api]` as a user sees it: cases in `tests/ui/pass` compile and run, cases in
//! `tests/ui/fail` fail with the errors in their `.stderr` file.
//!
//! trybuild builds the cases in a crate of its own, `<target dir>/tests/trybuild/<package>/`,
//! and that is the `CARGO_MANIFEST_DIR` the macro resolves spec paths against. So the cases
//! name their spec as a user would (`specs/polaris.yaml`), and this test first copies
//! `specs/*.yaml` and the broken fixtures `tests/ui/specs/*.yaml` into `specs/` of that
//! crate, wherever the target directory is.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p oauth-api-tests
//! --test macro_ui`, then read them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target directory, as trybuild finds it (`cargo metadata`).
fn target_dir() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version=1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    PathBuf::from(metadata["target_directory"].as_str().expect("a target_directory"))
}

fn copy_specs(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let dest = to.join(path.file_name().expect("a file name"));
            std::fs::copy(&path, &dest).unwrap_or_else(|e| panic!("{} -> {}: {e}", path.display(), dest.display()));
        }
    }
}

#[test]
fn ui() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crate_dir = target_dir().join("tests/trybuild").join(env!("CARGO_PKG_NAME"));
    let specs = crate_dir.join("specs");
    std::fs::create_dir_all(&specs).expect("creates the trybuild crate's specs/");
    copy_specs(&tests.join("../specs"), &specs);
    copy_specs(&tests.join("ui/specs"), &specs);

    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
