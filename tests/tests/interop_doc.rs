//! `INTEROP.md` matches the interop tests: every test a row names exists as a `fn` in
//! `tests/tests/interop_*.rs`, and every test of `interop_peers/`, `interop_oauth2.rs` and
//! `interop_clients.rs` is the test of exactly one row.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The test files whose every test must be a row.
const COVERED: &[&str] = &["interop_peers", "interop_oauth2", "interop_clients"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// The source of test target `name`: `tests/tests/{name}.rs`, or the files of
/// `tests/tests/{name}/` (a target split into modules) in name order.
fn test_source(name: &str) -> std::io::Result<String> {
    let dir = root().join("tests/tests").join(name);
    if !dir.is_dir() {
        return std::fs::read_to_string(root().join("tests/tests").join(format!("{name}.rs")));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|f| f.extension().is_some_and(|e| e == "rs"));
    files.sort();
    let mut source = String::new();
    for file in files {
        source.push_str(&std::fs::read_to_string(file)?);
        source.push('\n');
    }
    Ok(source)
}

/// The tests a row names: `` `file::function` `` in its last cell, with the row's line number.
fn rows(markdown: &str) -> Vec<(usize, String, String)> {
    let mut rows = Vec::new();
    // Outside a table: `None`; in one: whether it is a row table (its header ends in `test`).
    let mut table: Option<bool> = None;
    for (index, line) in markdown.lines().enumerate() {
        let line = line.trim();
        if !line.starts_with('|') {
            table = None;
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue; // the separator line
        }
        match table {
            None => {
                table = Some(cells.last() == Some(&"test"));
                continue; // the header line
            }
            Some(false) => continue,
            Some(true) => {}
        }
        let last = cells.last().copied().unwrap_or_default();
        let named: Vec<&str> = last.split('`').skip(1).step_by(2).collect();
        assert_eq!(
            named.len(),
            1,
            "INTEROP.md:{}: a row names one test as `file::function`: {line}",
            index + 1
        );
        let (file, function) = named[0].split_once("::").unwrap_or_else(|| {
            panic!(
                "INTEROP.md:{}: `{}` is not `file::function`",
                index + 1,
                named[0]
            )
        });
        rows.push((index + 1, file.to_string(), function.to_string()));
    }
    rows
}

/// The names of the `#[test]` / `#[tokio::test]` functions of a Rust file.
fn tests_in(source: &str) -> Vec<String> {
    let mut tests = Vec::new();
    let mut pending = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
            pending = true;
        } else if pending {
            if let Some(name) = function_name(line) {
                tests.push(name.to_string());
                pending = false;
            }
        }
    }
    tests
}

/// The name of the function a line declares, if it does.
fn function_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("pub ").unwrap_or(line);
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

/// Whether `source` declares a function `name`.
fn declares(source: &str, name: &str) -> bool {
    source
        .lines()
        .any(|line| function_name(line.trim()) == Some(name))
}

#[test]
fn interop_md_matches_the_tests() {
    let markdown = std::fs::read_to_string(root().join("INTEROP.md"))
        .expect("INTEROP.md at the repository root");
    let rows = rows(&markdown);
    assert!(!rows.is_empty(), "INTEROP.md has no rows");

    // Every test a row names exists.
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    let mut named: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (line, file, function) in &rows {
        assert!(
            file.starts_with("interop_"),
            "INTEROP.md:{line}: `{file}` is not a tests/tests/interop_*.rs file"
        );
        let source = sources.entry(file.clone()).or_insert_with(|| {
            test_source(file)
                .unwrap_or_else(|e| panic!("INTEROP.md:{line}: tests/tests/{file}: {e}"))
        });
        assert!(
            declares(source, function),
            "INTEROP.md:{line}: no `fn {function}` in tests/tests/{file}"
        );
        if let Some(first) = named.insert((file.clone(), function.clone()), *line) {
            panic!("INTEROP.md:{line}: `{file}::{function}` is already the test of line {first}");
        }
    }

    // Every test is a row.
    let mut missing = Vec::new();
    for file in COVERED {
        let source = test_source(file).unwrap_or_else(|e| panic!("tests/tests/{file}: {e}"));
        let tests = tests_in(&source);
        assert!(
            !tests.is_empty() || *file == "interop_clients",
            "no tests found in {file}.rs"
        );
        missing.extend(
            tests
                .into_iter()
                .filter(|t| !named.contains_key(&(file.to_string(), t.clone())))
                .map(|t| format!("{file}::{t}")),
        );
    }
    assert!(
        missing.is_empty(),
        "tests without a row in INTEROP.md: {missing:#?}"
    );
}

#[test]
fn the_checker_reads_rows_and_tests() {
    let markdown = "text\n\n| a | test |\n| --- | --- |\n| x | `interop_peers::one` |\n\n| other | table |\n| - | - |\n| y | z |\n";
    assert_eq!(
        rows(markdown),
        vec![(5, "interop_peers".to_string(), "one".to_string())]
    );
    let source =
        "#[tokio::test]\nasync fn one() {}\n\n#[test]\n#[ignore]\nfn two() {}\n\nfn helper() {}\n";
    assert_eq!(tests_in(source), ["one", "two"]);
    assert!(declares(source, "helper"));
    assert!(!declares(source, "three"));
}
