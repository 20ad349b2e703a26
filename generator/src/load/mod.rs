//! Stage 1, loading: spec text → `serde_json::Value` → `openapiv3::OpenAPI`, plus `$ref`
//! resolution and the map from JSON pointers back to line:column for diagnostics.
//!
//! OpenAPI 3.0 documents are read as they are. Swagger 2.0 (`swagger2.rs`) and OpenAPI 3.1
//! (`v31.rs`) documents are converted on load into the OpenAPI 3.0 document that means the same,
//! so that the IR and code generation see one model; a [`PointerMap`] takes every pointer of
//! the converted document back to the original one, so that diagnostics (the loader's, and the
//! IR's through [`Document::diagnostic`]) name what the user wrote, at its line and column.
//! Approximations made on the way are reported as [`Document::warnings`].

mod json;
mod narrow;
mod paths;
mod pointer_map;
mod schemas;
mod swagger2;
mod typed_path;
mod typed_schema;
mod v31;
mod yaml;
mod yaml_block;
mod yaml_syntax;

pub use pointer_map::PointerMap;
pub use typed_schema::Typed;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::diag::{push_pointer, Diagnostic, Diagnostics, Location};

/// The version of the document as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceVersion {
    /// Swagger 2.0, converted to OpenAPI 3.0 on load.
    Swagger2,
    /// OpenAPI 3.0.x, read as it is.
    OpenApi30,
    /// OpenAPI 3.1.x, converted to OpenAPI 3.0 on load.
    OpenApi31,
}

/// A loaded spec: the raw document (for `$ref` lookups) and its typed form.
pub struct Document {
    /// The file name used in diagnostics.
    pub file: String,
    text: String,
    /// The document as JSON, in source order; for Swagger 2.0 and OpenAPI 3.1 documents, the
    /// OpenAPI 3.0 document they were converted into (pointers map back through `map`).
    pub raw: Value,
    /// The typed OpenAPI document. Its component schemas are empty (they are typed from `raw`
    /// as they are lowered), and from [`load_owned`] it has no path items (see
    /// [`Document::path_item`]).
    pub api: OpenAPI,
    /// The version the document was written in.
    pub source: SourceVersion,
    /// Pointers of `raw` → pointers of the document as written (empty for OpenAPI 3.0).
    pub map: PointerMap,
    /// Things the document says that the generated code only approximates, or ignores.
    pub warnings: Vec<Diagnostic>,
    positions: OnceCell<HashMap<String, Location>>,
    /// Whether the path items were taken out of `raw` (see [`Document::take_path_items`]).
    paths_taken: bool,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document").field("file", &self.file).finish_non_exhaustive()
    }
}

/// Replaces the values of `components.schemas` with empty objects; returns them in order.
fn take_component_schemas(raw: &mut Value) -> Vec<Value> {
    match raw.pointer_mut("/components/schemas") {
        Some(Value::Object(schemas)) => schemas.values_mut().map(|v| std::mem::replace(v, Value::Object(Map::new()))).collect(),
        _ => Vec::new(),
    }
}

/// Puts back what [`take_component_schemas`] took.
fn restore_component_schemas(raw: &mut Value, taken: Vec<Value>) {
    if let Some(Value::Object(schemas)) = raw.pointer_mut("/components/schemas") {
        for (slot, value) in schemas.values_mut().zip(taken) {
            *slot = value;
        }
    }
}

/// Parses spec text (YAML or JSON) named `file` into a [`Document`] whose `api` holds the
/// typed path items too (for callers that read the typed document; lowering does not).
pub fn load(file: &str, text: &str) -> Result<Document, Diagnostics> {
    let mut doc = load_owned(file, text.to_string())?;
    let mut items = indexmap::IndexMap::new();
    for (path, raw) in doc.path_items() {
        items.insert(path.clone(), doc.path_item(path, raw)?);
    }
    doc.api.paths.paths = items;
    Ok(doc)
}

/// [`load`], keeping `text` in the document (for positions in diagnostics) without a copy:
/// a large spec is held once. Path items are left out of `api` (lowering types each one from
/// `raw` as it goes, see [`Document::path_item`]): a large spec's paths are not held twice.
pub fn load_owned(file: &str, mut text: String) -> Result<Document, Diagnostics> {
    while text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let trimmed = text.as_str();
    let is_json = file.ends_with(".json") || trimmed.trim_start().starts_with('{');
    let mut documents = 1;
    let raw = if is_json {
        json::from_str(trimmed).map_err(|e| {
            single(file, "", Some(Location { line: e.line(), column: e.column() }), format!("invalid JSON: {e}"))
        })?
    } else {
        let parsed = yaml::parse_stream(trimmed).map_err(|e| {
            single(file, "", Some(e.location), format!("invalid YAML: {}", e.message))
        })?;
        documents = parsed.documents;
        parsed.value
    };
    let mut doc = Document {
        file: file.to_string(),
        text,
        raw,
        api: OpenAPI::default(),
        source: SourceVersion::OpenApi30,
        map: PointerMap::default(),
        warnings: Vec::new(),
        positions: OnceCell::new(),
        paths_taken: false,
    };
    doc.source = doc.check_version()?;
    let mut conv = pointer_map::Conversion::default();
    if documents > 1 {
        conv.warn("", format!("the YAML stream has {documents} documents: only the first is read"));
    }
    match doc.source {
        SourceVersion::OpenApi30 => v31::repair_3_0(&mut doc.raw, &mut conv),
        SourceVersion::OpenApi31 => v31::convert(&mut doc.raw, &mut conv),
        SourceVersion::Swagger2 => doc.raw = swagger2::convert(&doc.raw, &mut conv),
    }
    if doc.source != SourceVersion::OpenApi30 {
        v31::drop_unknown_schemes(&mut doc.raw, &mut conv);
    }
    doc.map = conv.map;
    if doc.source != SourceVersion::OpenApi30 {
        // Conversion adds levels (`anyOf` for `type` arrays, `allOf` for `$ref` siblings): keep
        // the converted document within the parsers' depth limit, as later stages recurse.
        if let Some(pointer) = deeper_than(&doc.raw, MAX_CONVERTED_DEPTH) {
            return Err(doc.error_at(
                &pointer,
                &format!("the document nests deeper than {MAX_CONVERTED_DEPTH} levels once converted to OpenAPI 3.0"),
            ));
        }
    }
    normalize(&mut doc.raw);
    // Component schemas and path items are typed one by one as they are lowered
    // (`ir::schema`, `ir::lower`): here schemas are read as empty ones, so the typed document
    // holds their names only, and path items are left out (a large spec's schemas and paths
    // are not held twice, nor typed twice).
    let schemas = take_component_schemas(&mut doc.raw);
    let paths = paths::take_for_typing(&mut doc.raw);
    let typed = doc.typed::<OpenAPI>("", &doc.raw);
    if let (Some(slot), Some(paths)) = (doc.raw.get_mut("paths"), paths) {
        *slot = paths;
    }
    restore_component_schemas(&mut doc.raw, schemas);
    match typed {
        Ok(api) => doc.api = api,
        Err(d) => {
            // serde loses the path inside flattened structs: look for the innermost part that
            // fails on its own.
            let narrowed = narrow::first_error(&doc);
            return Err(Diagnostics(vec![narrowed.unwrap_or(d)]));
        }
    }
    doc.warnings = conv.warnings.iter().map(|(pointer, message)| doc.diagnostic(pointer, message)).collect();
    Ok(doc)
}

/// Deepest nesting of a converted document (the YAML and JSON parsers' limit).
const MAX_CONVERTED_DEPTH: usize = 128;

/// The pointer of the first node nested deeper than `limit`, if any (iterative).
fn deeper_than(doc: &Value, limit: usize) -> Option<String> {
    let mut stack: Vec<(&Value, usize)> = vec![(doc, 1)];
    let mut found = false;
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            found = true;
            break;
        }
        match node {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    if !found {
        return None;
    }
    // Again, with pointers, to name the place.
    let mut stack: Vec<(&Value, String)> = vec![(doc, String::new())];
    while let Some((node, pointer)) = stack.pop() {
        if pointer.matches('/').count() >= limit {
            return Some(pointer);
        }
        match node {
            Value::Object(map) => stack.extend(map.iter().map(|(k, v)| (v, push_pointer(&pointer, k)))),
            Value::Array(items) => stack.extend(items.iter().enumerate().map(|(i, v)| (v, push_pointer(&pointer, &i.to_string())))),
            _ => {}
        }
    }
    None
}

fn single(file: &str, pointer: &str, location: Option<Location>, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic { file: file.to_string(), pointer: pointer.to_string(), location, message }])
}

/// Coerces the few string fields that unquoted YAML often turns into numbers (`version: 1.0`),
/// and drops what the generator does not use but real specs often get wrong: operation
/// `callbacks` and non-string `pattern`s.
fn normalize(raw: &mut Value) {
    fn drop_bad_patterns(value: &mut Value, in_properties: bool) {
        match value {
            Value::Object(map) => {
                // Only a scalar can be a (broken) `pattern` keyword: an object under that key is
                // a schema or parameter *named* `pattern`. Seen on the walk through the members
                // (a lookup in every object of the document would hash `pattern` each time).
                let mut bad_keyword = false;
                for (key, child) in map.iter_mut() {
                    bad_keyword |= key == "pattern" && matches!(child, Value::Number(_) | Value::Bool(_) | Value::Null);
                    drop_bad_patterns(child, !in_properties && key == "properties");
                }
                if !in_properties && bad_keyword {
                    map.remove("pattern");
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| drop_bad_patterns(item, false)),
            _ => {}
        }
    }
    drop_bad_patterns(raw, false);
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for item in paths.values_mut() {
            if let Value::Object(item) = item {
                for op in item.values_mut() {
                    if let Value::Object(op) = op {
                        op.remove("callbacks");
                    }
                }
            }
        }
    }
    fn to_string(v: &mut Value) {
        if let Value::Number(n) = v {
            *v = Value::String(n.to_string());
        }
    }
    if let Some(info) = raw.get_mut("info") {
        for key in ["version", "title"] {
            if let Some(v) = info.get_mut(key) {
                to_string(v);
            }
        }
    }
}

impl Document {
    fn check_version(&self) -> Result<SourceVersion, Diagnostics> {
        let version = match self.raw.get("openapi") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => return Err(self.error_at("/openapi", "`openapi` must be a version string")),
            None => match self.raw.get("swagger") {
                Some(v) if v.as_str() == Some("2.0") || v.as_f64() == Some(2.0) => return Ok(SourceVersion::Swagger2),
                Some(v) => {
                    return Err(self.error_at(
                        "/swagger",
                        &format!("Swagger {} is not supported; only Swagger 2.0 and OpenAPI 3.0.x and 3.1.x are", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())),
                    ))
                }
                None if !self.raw.is_object() => {
                    return Err(self.error_at("", "the document is not an object"))
                }
                None => return Err(self.error_at("", "missing `openapi` version field")),
            },
        };
        if version.starts_with("3.0") {
            Ok(SourceVersion::OpenApi30)
        } else if version.starts_with("3.1") {
            Ok(SourceVersion::OpenApi31)
        } else {
            Err(self.error_at(
                "/openapi",
                &format!("OpenAPI {version} is not supported; only 3.0.x and 3.1.x (and Swagger 2.0) are"),
            ))
        }
    }

    /// Where the node at `pointer` (of `raw`) is in the source, if known (computed on first use).
    pub fn locate(&self, pointer: &str) -> Option<Location> {
        self.locate_original(&self.map.original(pointer))
    }

    /// Where the node at `pointer` of the document as written is in the source.
    fn locate_original(&self, pointer: &str) -> Option<Location> {
        // JSON is YAML 1.2 flow syntax: the YAML indexer finds JSON positions too.
        let positions = self.positions.get_or_init(|| yaml::positions(&self.text));
        // Fall back to the nearest ancestor that has a position.
        let mut p = pointer;
        loop {
            if let Some(loc) = positions.get(p) {
                return Some(*loc);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// A diagnostic about the node at `pointer`.
    pub fn error_at(&self, pointer: &str, message: &str) -> Diagnostics {
        Diagnostics(vec![self.diagnostic(pointer, message)])
    }

    /// A diagnostic about the node at `pointer` of `raw`, named by its pointer in the document
    /// as written.
    pub fn diagnostic(&self, pointer: &str, message: &str) -> Diagnostic {
        let original = self.map.original(pointer);
        Diagnostic {
            file: self.file.clone(),
            location: self.locate_original(&original),
            pointer: original,
            message: message.to_string(),
        }
    }

    /// Deserializes `value` (found at `pointer`) into `T`, naming the exact failing node.
    pub fn typed<T: Typed>(&self, pointer: &str, value: &Value) -> Result<T, Diagnostic> {
        // Schemas and path items are typed without serde when they can be (see `typed_schema`
        // and `typed_path`).
        if let Some(typed) = T::direct(value) {
            return Ok(typed);
        }
        // Valid documents skip the path tracking, which only serves the diagnostic (and costs
        // the unoptimized proc macro about a third of this).
        if let Ok(typed) = T::deserialize(value) {
            return Ok(typed);
        }
        serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
            let mut at = pointer.to_string();
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Seq { index } => at = push_pointer(&at, &index.to_string()),
                    serde_path_to_error::Segment::Map { key } => at = push_pointer(&at, key),
                    serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
                }
            }
            let message = clean_serde_message(&e.into_inner().to_string());
            let what = match self.source {
                SourceVersion::OpenApi30 => "not a valid OpenAPI 3.0 document here",
                SourceVersion::OpenApi31 => "not valid here (read as OpenAPI 3.0 after conversion from 3.1)",
                SourceVersion::Swagger2 => "not valid here (read as OpenAPI 3.0 after conversion from Swagger 2.0)",
            };
            self.diagnostic(&at, &format!("{what}: {message}"))
        })
    }

    /// The raw node a local `$ref` (`#/components/...`, percent-encoded or not) points at,
    /// with its JSON pointer.
    pub fn resolve_raw(&self, reference: &str) -> Result<(String, &Value), String> {
        self.resolve_raw_within(reference, None)
    }

    /// [`Document::resolve_raw`], where `/paths/{mounted.0}` is the raw path item `mounted.1`
    /// (one taken out of `raw`, see [`Document::take_path_items`]).
    pub fn resolve_raw_within<'a>(&'a self, reference: &str, mounted: Option<(&str, &'a Value)>) -> Result<(String, &'a Value), String> {
        let Some(fragment) = reference.strip_prefix('#') else {
            return Err(format!("external `$ref` `{reference}` is not supported; inline or bundle it"));
        };
        let decoded = percent_decode_str(fragment)
            .decode_utf8()
            .map_err(|_| format!("`$ref` `{reference}` is not valid UTF-8 after percent-decoding"))?;
        let mut node = &self.raw;
        let mut pointer = String::new();
        if decoded.is_empty() {
            return Ok((pointer, node));
        }
        let Some(rest) = decoded.strip_prefix('/') else {
            return Err(format!("`$ref` `{reference}` is not a JSON pointer"));
        };
        // Without a `~`, no token has an escape and the pointer is the decoded fragment itself,
        // copied once at the end rather than token by token.
        let plain = !rest.as_bytes().contains(&b'~');
        let mut under_paths = false;
        for (i, token) in rest.split('/').enumerate() {
            // (Most tokens have no escape: `replace` is slow unoptimized, as a proc macro runs.)
            let token: std::borrow::Cow<'_, str> = if token.as_bytes().contains(&b'~') {
                token.replace("~1", "/").replace("~0", "~").into()
            } else {
                token.into()
            };
            let next = match (node, mounted) {
                (_, Some((path, item))) if i == 1 && under_paths && token == path => Some(item),
                (Value::Object(map), _) => map.get(token.as_ref()),
                (Value::Array(items), _) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            node = next.ok_or_else(|| format!("`$ref` `{reference}` points at nothing"))?;
            under_paths = i == 0 && token == "paths";
            if !plain {
                pointer = push_pointer(&pointer, &token);
            }
        }
        if plain {
            pointer = decoded.into_owned();
        }
        Ok((pointer, node))
    }

    /// Resolves a possibly-referenced item (following chains of `$ref`s) to its typed form and
    /// the pointer it lives at. `pointer` is where `item` itself is.
    /// An item is borrowed, a reference's target typed.
    pub fn resolve<'i, T: Typed + Clone>(
        &self,
        pointer: &str,
        item: &'i ReferenceOr<T>,
    ) -> Result<(String, Cow<'i, T>), Diagnostic> {
        let mut reference = match item {
            ReferenceOr::Item(t) => return Ok((pointer.to_string(), Cow::Borrowed(t))),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        let mut from = pointer.to_string();
        for _ in 0..32 {
            let (target, raw) =
                self.resolve_raw(&reference).map_err(|m| self.diagnostic(&push_pointer(&from, "$ref"), &m))?;
            match raw.get("$ref").and_then(Value::as_str) {
                Some(next) => {
                    reference = next.to_string();
                    from = target;
                }
                None => return Ok((target.clone(), Cow::Owned(self.typed::<T>(&target, raw)?))),
            }
        }
        Err(self.diagnostic(&push_pointer(&from, "$ref"), "`$ref` chain is too long or circular"))
    }
}

/// Shortens serde's messages about untagged enums into something a spec author can act on.
fn clean_serde_message(message: &str) -> String {
    if message.starts_with("data did not match any variant of untagged enum ReferenceOr") {
        "neither a `$ref` nor a valid object of the expected kind".to_string()
    } else {
        message.to_string()
    }
}

/// The spec files (`.json`, `.yaml`, `.yml`) under `dir`, sorted: the tests that compare two
/// ways of reading specs read the repository's and, by hand, a corpus's.
#[cfg(test)]
pub(crate) fn spec_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = "openapi: 3.0.3\ninfo: {title: t, version: 1.0}\npaths: {}\ncomponents:\n  schemas:\n    'a/b':\n      type: string\n    'c d':\n      type: integer\n";

    #[test]
    fn loads_yaml_and_coerces_numeric_version() {
        let doc = load("mini.yaml", MINI).unwrap();
        assert_eq!(doc.api.info.version, "1.0");
    }

    #[test]
    fn resolves_escaped_and_percent_encoded_pointers() {
        let doc = load("mini.yaml", MINI).unwrap();
        let (p, v) = doc.resolve_raw("#/components/schemas/a~1b").unwrap();
        assert_eq!(p, "/components/schemas/a~1b");
        assert_eq!(v["type"], "string");
        let (_, v) = doc.resolve_raw("#/components/schemas/c%20d").unwrap();
        assert_eq!(v["type"], "integer");
    }

    #[test]
    fn dangling_and_external_refs_are_errors() {
        let doc = load("mini.yaml", MINI).unwrap();
        assert!(doc.resolve_raw("#/components/schemas/nope").unwrap_err().contains("points at nothing"));
        assert!(doc.resolve_raw("other.yaml#/x").unwrap_err().contains("external"));
    }

    #[test]
    fn invalid_yaml_names_file_and_position() {
        let err = load("bad.yaml", "openapi: 3.0.0\ninfo: [\n").unwrap_err();
        let line = err.to_string();
        assert!(line.starts_with("bad.yaml:"), "{line}");
        assert!(line.contains("invalid YAML"), "{line}");
    }

    #[test]
    fn other_versions_are_refused_and_2_0_and_3_1_converted() {
        let err = load("s.yaml", "swagger: '1.2'\n").unwrap_err();
        assert!(err.to_string().contains("s.yaml:1:1: error at #/swagger: Swagger 1.2 is not supported"), "{err}");
        let err = load("s.yaml", "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n").unwrap_err();
        assert!(err.to_string().contains("only 3.0.x and 3.1.x"), "{err}");
        let doc = load("s.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        assert_eq!((doc.source, doc.api.openapi.as_str()), (SourceVersion::Swagger2, "3.0.3"));
        let doc = load("s.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n").unwrap();
        assert_eq!((doc.source, doc.api.openapi.as_str()), (SourceVersion::OpenApi31, "3.0.3"));
    }

    #[test]
    fn structural_errors_point_at_the_node() {
        let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n";
        let err = load("p.yaml", text).unwrap_err();
        let s = err.to_string();
        assert!(s.starts_with("p.yaml:6:7: error at #/paths/~1a/get/responses"), "{s}");
    }
}
