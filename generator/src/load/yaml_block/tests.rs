//! The block reader against the full parser: wherever it reads a text, its value is the full
//! parser's; what it leaves (`None`) the full parser reads as before.

use std::path::{Path, PathBuf};

use super::parse;
use crate::load::spec_files;
use crate::load::yaml::parse_full;

/// Reads `text` both ways; `true` when the block reader read it (and agreed).
fn agrees(text: &str) -> bool {
    let full = parse_full(text);
    match parse(text) {
        Some(value) => {
            let full = full.unwrap_or_else(|e| panic!("the block reader read what the full parser refuses ({e:?}):\n{text}"));
            assert_eq!(full.documents, 1, "{text}");
            assert_eq!(value, full.value, "the two readers differ on:\n{text}");
            true
        }
        None => false,
    }
}

#[track_caller]
fn read(text: &str) {
    assert!(agrees(text), "left to the full parser:\n{text}");
}

#[track_caller]
fn left(text: &str) {
    assert!(!agrees(text), "read by the block reader:\n{text}");
}

#[test]
fn scalars() {
    read("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: hello world\n200: x\ng: -3\nh: 1e3\ni: null\nj:\n");
    read("url: http://x.y/z?a=b#frag\nt: a:b c#d\nq: \"a \\\"b\\\" \\\\ \\/ \\n \\t \\u00e9 \\x41 \\U0001F600\"\ns: 'it''s'\n");
    read("a: x   # comment\nb: 'y'  # comment\nc: \"z\" # c\n# alone\n  # indented alone\nd: é ü 日本\n");
    // Other control characters are text to both readers.
    read("a: x\u{1}y\u{c}\nb: '\u{7f}'\n");
    read("\"quoted key\": 1\n'single': 2\n\"a\\tb\" : 3\nkey with spaces  : 4\n/paths/{id}: 5\n-x: 6\n?y: 7\n");
    // YAML 1.1 booleans where OpenAPI wants a boolean, strings elsewhere.
    read("required: yes\ndeprecated: Off\nx: yes\non: no\nlist:\n  - yes\n");
    read("a: 1\na: 2\nb: 3\n");
    read("---\na: 1\n");
    read("# head\n\n---\n# more\na: 1\n");
}

#[test]
fn collections() {
    read("a:\n  b:\n    c: 1\n  d: [1, 'two', \"three\", four five, true, ~]\ne: []\nf: {}\ng: [ ]\nh: {}  # empty\n");
    read("a:\n- 1\n- x\nb:\n  - c: 1\n    d: 2\n  -   e: 3\n  -\n    f: 4\n  -\n");
    read("a:\n  - b:\n    - 1\n    c:\n      - d: x\n        e: y\n");
    read("a:\n  -\n  - x\n  - ''\n");
    let deep: String = (0..60).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    read(&format!("{deep}{}v: 1\n", " ".repeat(60)));
}

#[test]
fn block_scalars() {
    read("a: |\n  one\n  two: three # not a comment\n\n  four\nb: 1\n");
    read("a: |-\n    one\n\n\n    two\n\nb: >\n  one\n  two\n\n  three\n\n\nc: >-\n  x\n  y\n# after\nd: 1\n");
    read("s:\n- |\n  x\n- >-\n   y\n   z\n- a: |\n    k\n  b: 1\n");
    read("a:\n  b: |\n    text\n  c: 2\n");
}

#[test]
fn left_to_the_full_parser() {
    // What the subset does not cover.
    left("a: &x 1\nb: *x\n");
    left("a: !!str 1\n");
    left("base: {k: 1}\nc:\n  <<: {k: 2}\n");
    left("a: {b: 1}\n");
    left("a: one\n  two\n");
    left("a: 'one\n  two'\n");
    left("? a\n: 1\n");
    left("a:\tb\n");
    left("a: 1\r\nb: 2\r\n");
    left("a: 1\n---\nb: 2\n");
    left("--- a: 1\n");
    left("%YAML 1.2\n---\na: 1\n");
    left("a: |+\n  x\n\nb: 1\n");
    left("a: |2\n    x\n");
    left("a: >\n  x\n    more\n  y\n");
    left("a: |\n  x");
    left("a: |\n\n  x\n");
    left("a:\n  text on its own line\n");
    left("- 1\n- 2\n");
    left("a: [1, [2]]\n");
    left("a: [-1]\n");
    // Syntax errors keep the full parser's message and position.
    left("a: x y: w\n");
    left("a: [1, 2\nb: 3\n");
    left("a:\n    b: 1\n  c: 2\n");
    left("a: 1\n - b\n");
    left("a: \"\\q\"\n");
}

/// The YAML files under `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = spec_files(dir);
    files.retain(|f| f.extension().is_some_and(|e| e != "json"));
    files
}

/// Compares the readers on every file; the number the block reader read, and all.
fn compare(files: &[PathBuf]) -> (usize, usize) {
    let mut read = 0;
    let mut all = 0;
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let text = text.trim_start_matches('\u{feff}');
        all += 1;
        let full = parse_full(text);
        if let Some(value) = parse(text) {
            let full = full.unwrap_or_else(|e| panic!("{}: the block reader read what the full parser refuses ({e:?})", file.display()));
            assert_eq!(full.documents, 1, "{}", file.display());
            assert!(value == full.value, "{}: the two readers differ", file.display());
            read += 1;
        }
    }
    (read, all)
}

#[test]
fn every_yaml_file_of_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dirs = ["specs", "generator/tests/fixtures", "tests/corpus/real", "tests/corpus/repros", "tests/corpus/crashes", "tests/ui/specs", "tests/fixtures", "tests/external/specs"];
    let files: Vec<PathBuf> = dirs.iter().flat_map(|d| yaml_files(&root.join(d))).collect();
    let (read, all) = compare(&files);
    assert!(all > 70, "{all} files");
    // The four specs the macro is measured on are all in the subset.
    for spec in ["confluent", "nutanix", "polaris", "treezor"] {
        let text = std::fs::read_to_string(root.join(format!("specs/{spec}.yaml"))).expect("spec");
        assert!(parse(&text).is_some(), "specs/{spec}.yaml is left to the full parser");
    }
    eprintln!("the block reader read {read} of {all} files");
}

/// By hand, on a directory of YAML files (for example the JSON corpus written as YAML by
/// PyYAML, see BENCHMARKS.md): `OAUTH_API_YAML_CORPUS=DIR cargo test --release -p generator
/// --lib yaml_block -- --ignored --nocapture`.
#[test]
#[ignore = "reads a directory named by OAUTH_API_YAML_CORPUS"]
fn every_yaml_file_of_a_corpus() {
    let dir = PathBuf::from(std::env::var_os("OAUTH_API_YAML_CORPUS").expect("OAUTH_API_YAML_CORPUS"));
    let files = yaml_files(&dir);
    assert!(!files.is_empty(), "no YAML under {}", dir.display());
    let (read, all) = compare(&files);
    eprintln!("the block reader read {read} of {all} files");
}

/// Small edits of real spec text (a character inserted or deleted, a line indented
/// differently or repeated), each read both ways: the edits make most of what the block
/// reader must leave alone, and errors. Deterministic; `OAUTH_API_YAML_MUTATIONS` runs more.
#[test]
fn edited_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let rounds: usize = std::env::var("OAUTH_API_YAML_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(150);
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: usize| {
        // xorshift64*
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    };
    let (mut read, mut all) = (0, 0);
    for spec in ["confluent", "nutanix", "polaris", "treezor"] {
        let text = std::fs::read_to_string(root.join(format!("specs/{spec}.yaml"))).expect("spec");
        // An excerpt keeps each round short: up to 80 lines of the mapping a key line starts,
        // taken out of its indentation.
        let lines: Vec<&str> = text.lines().collect();
        let keys: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                let line = lines[i].trim_start();
                !line.starts_with(['-', '#', '|', '>']) && (line.ends_with(':') || line.contains(": "))
            })
            .collect();
        for _ in 0..rounds {
            let from = keys[next(keys.len())];
            let base = lines[from].len() - lines[from].trim_start().len();
            let mut excerpt: Vec<String> = lines[from..]
                .iter()
                .take(80)
                .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= base)
                .map(|l| l.get(base..).unwrap_or("").to_string())
                .collect();
            for _ in 0..1 + next(3) {
                let at = next(excerpt.len());
                match next(4) {
                    0 => {
                        let chars = b" :#-\n\"'|>[]{}&*!,?a0";
                        let inserted = chars[next(chars.len())] as char;
                        let line = &mut excerpt[at];
                        let pos = next(line.len() + 1);
                        if line.is_char_boundary(pos) {
                            line.insert(pos, inserted);
                        }
                    }
                    1 => {
                        let line = &mut excerpt[at];
                        let pos = next(line.len());
                        if line.is_char_boundary(pos) && pos < line.len() && line.is_char_boundary(pos + 1) {
                            line.remove(pos);
                        }
                    }
                    2 => {
                        let line = excerpt[at].clone();
                        excerpt.insert(at, line);
                    }
                    _ => {
                        let line = &mut excerpt[at];
                        if next(2) == 0 {
                            line.insert_str(0, &" ".repeat(1 + next(2)));
                        } else if line.starts_with(' ') {
                            line.remove(0);
                        }
                    }
                }
            }
            let mut doc = excerpt.join("\n");
            doc.push('\n');
            all += 1;
            if agrees(&doc) {
                read += 1;
            }
        }
    }
    eprintln!("the block reader read {read} of {all} edited excerpts");
    assert!(read > all / 4 && read < all, "{read} of {all}");
}
