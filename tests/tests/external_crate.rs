//! `#[oauth_api]` from a crate outside the workspace, as a user has it.
//!
//! - `tests/external/` depends on `oauth-api` alone (plus `tokio` for its tests), as
//!   `macros/README.md` says; its `cargo test` runs a client against a server over 127.0.0.1
//!   for each spec, and the README's examples as doctests.
//! - Changing the spec rebuilds the crate, and leaving it alone does not.
//! - The feature lists of the README suffice: `client` alone builds without axum, `server`
//!   alone without reqwest.
//!
//! Builds go to `target/external` (shared by these runs, kept between them), with the
//! workspace's `Cargo.lock` copied in first so that the versions are the workspace's.

mod external_common;

use std::path::{Path, PathBuf};
use std::process::Output;

use external_common::{cargo, copy_lock, target_dir, workspace_root};

/// Asserts that `output` succeeded, printing what cargo said otherwise; returns stderr+stdout.
fn success(what: &str, output: Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(output.status.success(), "{what} failed:\n{text}");
    text
}

/// A verbose build of the crate with its tests: the dev-dependencies' features too, as
/// `cargo test` built them (a plain `cargo build` would build tokio, and all that depends on
/// it, once more with fewer features).
const BUILD: &[&str] = &["build", "--tests", "-v"];

/// Restores a file's content when dropped, even if the test fails half-way.
struct Restore {
    path: PathBuf,
    content: Vec<u8>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        std::fs::write(&self.path, &self.content).expect("restores the spec");
    }
}

/// Whether a verbose `cargo build` compiled `external-crate` (rather than finding it fresh).
fn compiled(log: &str) -> bool {
    let compiling = log
        .lines()
        .any(|l| l.trim_start().starts_with("Compiling external-crate "));
    let fresh = log.lines().any(|l| l.trim_start().starts_with("Fresh external-crate "));
    assert!(
        compiling != fresh,
        "expected either `Compiling` or `Fresh` for external-crate:\n{log}"
    );
    compiling
}

/// Why cargo rebuilt `external-crate` (its `Dirty` line), if it did.
fn dirty_reason(log: &str) -> Option<&str> {
    log.lines()
        .map(str::trim_start)
        .find(|l| l.starts_with("Dirty external-crate "))
}

#[test]
fn external_crate_tests_pass_and_rebuild_on_spec_change() {
    let dir = workspace_root().join("tests/external");
    let spec = dir.join("specs/polaris.yaml");
    assert_eq!(
        std::fs::read_to_string(&spec).expect("the copied spec"),
        std::fs::read_to_string(workspace_root().join("specs/polaris.yaml")).expect("the spec"),
        "tests/external/specs/polaris.yaml is a copy of specs/polaris.yaml: copy it again"
    );
    copy_lock(&dir);

    // The user's crate: client against server for each spec, the README's examples.
    let log = success("cargo test in tests/external", cargo(&dir, &["test"]));
    for test in ["polaris", "confluent", "nutanix", "treezor"] {
        assert!(
            log.contains(&format!("test {test}_client_against_server ... ok")),
            "{log}"
        );
    }
    assert!(
        !log.contains("warning:"),
        "the user's crate builds without warnings:\n{log}"
    );

    // Rebuild tracking: a fresh crate stays fresh; changing the spec rebuilds it.
    success("cargo build", cargo(&dir, BUILD));
    expect_fresh(&dir);
    {
        let original = std::fs::read(&spec).expect("the copied spec");
        let _restore = Restore {
            path: spec.clone(),
            content: original.clone(),
        };
        let mut touched = original;
        touched.extend_from_slice(b"# touched by tests/tests/external_crate.rs\n");
        std::fs::write(&spec, touched).expect("changes the spec");
        let after_change = success("cargo build", cargo(&dir, BUILD));
        assert!(
            compiled(&after_change),
            "the spec changed, yet external-crate was not rebuilt:\n{after_change}"
        );
        // Rebuilt because of the spec, not for another reason.
        let reason = dirty_reason(&after_change).unwrap_or_default();
        eprintln!("{reason}");
        assert!(
            reason.contains("specs/polaris.yaml") && reason.contains("has changed"),
            "external-crate was rebuilt, but not because of the spec:\n{after_change}"
        );
    }
    // Back to the original content: rebuilt once more, then fresh.
    let restored = success("cargo build", cargo(&dir, BUILD));
    assert!(
        compiled(&restored),
        "the spec was restored, yet external-crate was not rebuilt:\n{restored}"
    );
    expect_fresh(&dir);
}

/// A verbose `cargo build` finds `external-crate` fresh. Builds that are dirty because a
/// source of the workspace changed meanwhile (someone editing `generator/`) are retried.
fn expect_fresh(dir: &Path) {
    for _ in 0..3 {
        let log = success("cargo build", cargo(dir, BUILD));
        if !compiled(&log) {
            return;
        }
        let reason = dirty_reason(&log).unwrap_or_default().to_string();
        let workspace_edited = log.lines().map(str::trim_start).any(|l| {
            (l.starts_with("Dirty generator ") || l.starts_with("Dirty oauth-api-macros ")) && l.contains("has changed")
        });
        assert!(
            workspace_edited,
            "nothing changed, yet external-crate was rebuilt ({reason}):\n{log}"
        );
        eprintln!("rebuilt because the workspace changed meanwhile ({reason}); trying again");
    }
    panic!("external-crate never became fresh");
}

/// One crate with a trimmed feature list: `(name, features of oauth-api, modules)`.
type Variant = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const VARIANTS: &[Variant] = &[
    (
        "client-only",
        r#""client", "macros""#,
        &[("polaris", "client"), ("confluent", "client"), ("nutanix", "client"), ("treezor", "client")],
    ),
    (
        "server-only",
        r#""server", "macros""#,
        &[("polaris", "server"), ("confluent", "server"), ("nutanix", "server"), ("treezor", "server")],
    ),
];

#[test]
fn trimmed_feature_lists_suffice() {
    let root = std::fs::canonicalize(workspace_root()).expect("the workspace root");
    let dir = target_dir().join("variants");
    let members: Vec<String> = VARIANTS.iter().map(|(name, _, _)| format!("{name:?}")).collect();
    std::fs::create_dir_all(&dir).expect("creates the variants' workspace");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .expect("writes the variants' workspace");
    copy_lock(&dir);
    for (name, features, modules) in VARIANTS {
        let crate_dir = dir.join(name);
        std::fs::create_dir_all(crate_dir.join("src")).expect("creates a variant");
        let manifest = format!(
            "[package]\nname = \"variant-{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\noauth-api = {{ path = {:?}, default-features = false, features = [{features}] }}\n",
            root.join("runtime").to_string_lossy()
        );
        std::fs::write(crate_dir.join("Cargo.toml"), manifest).expect("writes a variant's manifest");
        let mut lib = String::from("#![deny(warnings)]\nuse oauth_api::oauth_api;\n");
        for (spec, option) in *modules {
            let path = root.join(format!("specs/{spec}.yaml"));
            let option = if option.is_empty() {
                String::new()
            } else {
                format!(", {option}")
            };
            lib.push_str(&format!(
                "\n#[oauth_api({:?}{option})]\npub mod {spec} {{}}\n",
                path.to_string_lossy()
            ));
        }
        std::fs::write(crate_dir.join("src/lib.rs"), lib).expect("writes a variant's lib.rs");
    }
    // One variant at a time, so that features are resolved for it alone.
    for (name, _, _) in VARIANTS {
        let package = format!("variant-{name}");
        success(&format!("cargo check -p {package}"), cargo(&dir, &["check", "-p", &package]));
        let tree = success(&format!("cargo tree -p {package}"), cargo(&dir, &["tree", "-p", &package, "-e", "normal", "--prefix", "none"]));
        let absent = if *name == "client-only" { "axum v" } else { "reqwest v" };
        assert!(!tree.lines().any(|l| l.starts_with(absent)), "{package} builds {absent}:\n{tree}");
    }
}

/// The proc macro compiles only what expansion needs: no template engine (tera, pest, regex)
/// and no formatter (prettyplease), which only `cargo run -p generator` uses.
#[test]
fn the_macro_depends_only_on_what_expansion_needs() {
    let tree = success(
        "cargo tree -p oauth-api-macros",
        cargo(&workspace_root(), &["tree", "-p", "oauth-api-macros", "-e", "normal", "--prefix", "none", "--offline"]),
    );
    assert!(tree.lines().any(|l| l.starts_with("generator v")), "{tree}");
    for heavy in ["tera v", "pest v", "regex v", "prettyplease v"] {
        assert!(!tree.lines().any(|l| l.starts_with(heavy)), "the macro builds {heavy}:\n{tree}");
    }
}
