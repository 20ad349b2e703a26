//! Pointers of a converted document (Swagger 2.0 or OpenAPI 3.1 turned into OpenAPI 3.0)
//! mapped back to the original document, so that diagnostics name what the user wrote.
//!
//! The map is a table of prefixes: converted prefix → original prefix, and the longest prefix
//! wins (`/components/schemas/Pet/properties/id` → `/definitions/Pet/properties/id` through the
//! entry `/components/schemas/Pet` → `/definitions/Pet`). A pointer under no entry is the same
//! in both documents. Entries recorded as *moves* also map back (original → converted), which
//! rewrites the document's own `$ref`s (`#/definitions/Pet` → `#/components/schemas/Pet`);
//! *derived* entries (a node built from another, e.g. a schema built from a Swagger 2.0
//! parameter, or one branch of a split `type` array) only map forward.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;
use serde_json::Value;

/// What converting a document to OpenAPI 3.0 gives besides the document: the pointer map and
/// warnings about approximations (at converted pointers, mapped back when reported).
#[derive(Debug, Default)]
pub struct Conversion {
    pub map: PointerMap,
    pub warnings: Vec<(String, String)>,
}

impl Conversion {
    /// Records a warning about the converted node at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push((pointer.to_string(), message.into()));
    }
}

/// Converted pointer prefixes → original pointer prefixes, and moves the other way.
#[derive(Debug, Default)]
pub struct PointerMap {
    to_original: HashMap<String, String>,
    to_converted: HashMap<String, String>,
}

impl PointerMap {
    /// True when the document was not converted (every pointer maps to itself).
    pub fn is_empty(&self) -> bool {
        self.to_original.is_empty()
    }

    /// The node at `converted` is the node at `original`, moved: maps both ways.
    pub fn moved(&mut self, converted: &str, original: &str) {
        self.to_original.insert(converted.to_string(), original.to_string());
        self.to_converted.entry(original.to_string()).or_insert_with(|| converted.to_string());
    }

    /// The node at `converted` was built from the node at `original`: maps forward only.
    pub fn derived(&mut self, converted: &str, original: &str) {
        self.to_original.insert(converted.to_string(), original.to_string());
    }

    /// The original pointer of a converted one.
    pub fn original(&self, converted: &str) -> String {
        longest_prefix(&self.to_original, converted)
    }

    /// The converted pointer of an original one (through moves only).
    pub fn converted(&self, original: &str) -> String {
        longest_prefix(&self.to_converted, original)
    }

    /// Rewrites the local `$ref`s (and discriminator mappings) of `doc` that point at a moved
    /// node so that they point at where it is now. A reference whose new target does not exist
    /// is left as written, so that its diagnostic quotes what the user wrote.
    pub fn rewrite_refs(&self, doc: &mut Value) {
        if self.to_converted.is_empty() {
            return;
        }
        rewrite_refs_with(doc, &|reference| {
            let decoded = decode(reference)?;
            let converted = self.converted(&decoded);
            (converted != decoded).then(|| encode(&converted))
        });
    }
}

/// The JSON pointer of a local reference (`#/a/b`, percent-decoded), if it is one.
pub fn decode(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_decode_str(fragment).decode_utf8().ok()?;
    decoded.starts_with('/').then(|| decoded.into_owned())
}

/// A local reference to a JSON pointer (`%` escaped, so that percent-decoding gives it back).
pub fn encode(pointer: &str) -> String {
    format!("#{}", pointer.replace('%', "%25"))
}

/// Replaces each `$ref` (and discriminator mapping value) `r` of `doc` by `new(r)` when that is
/// some local reference that resolves in `doc`.
pub fn rewrite_refs_with(doc: &mut Value, new: &dyn Fn(&str) -> Option<String>) {
    let mut rewrites: Vec<(Vec<PathStep>, String)> = Vec::new();
    collect_refs(doc, &mut |path, reference| {
        if let Some(replacement) = new(reference) {
            if decode(&replacement).is_some_and(|p| resolve(doc, &p).is_some()) {
                rewrites.push((path.to_vec(), replacement));
            }
        }
    });
    for (path, replacement) in rewrites {
        if let Some(slot) = walk_mut(doc, &path) {
            *slot = Value::String(replacement);
        }
    }
}

fn longest_prefix(map: &HashMap<String, String>, pointer: &str) -> String {
    if map.is_empty() {
        return pointer.to_string();
    }
    let mut p = pointer;
    loop {
        if let Some(mapped) = map.get(p) {
            return format!("{mapped}{}", &pointer[p.len()..]);
        }
        match p.rfind('/') {
            Some(i) => p = &p[..i],
            None => return pointer.to_string(),
        }
    }
}

/// The node at an (unescaped-on-the-fly) JSON pointer.
pub fn resolve<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    let mut node = doc;
    if pointer.is_empty() {
        return Some(node);
    }
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

/// Calls `found` with the path and text of every `$ref` string and every discriminator
/// mapping value that is a local reference. Iterative: documents may nest deeply.
fn collect_refs(doc: &Value, found: &mut dyn FnMut(&[PathStep], &str)) {
    let mut stack: Vec<(&Value, Vec<PathStep>)> = vec![(doc, Vec::new())];
    while let Some((node, path)) = stack.pop() {
        let child = |step: PathStep| {
            let mut p = path.clone();
            p.push(step);
            p
        };
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    found(&child(PathStep::Key("$ref".into())), r);
                }
                if let Some(Value::Object(mapping)) = map.get("discriminator").and_then(|d| d.get("mapping")) {
                    for (k, v) in mapping {
                        if let Value::String(r) = v {
                            let mut p = child(PathStep::Key("discriminator".into()));
                            p.extend([PathStep::Key("mapping".into()), PathStep::Key(k.clone())]);
                            found(&p, r);
                        }
                    }
                }
                for (k, v) in map {
                    if v.is_object() || v.is_array() {
                        stack.push((v, child(PathStep::Key(k.clone()))));
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    if v.is_object() || v.is_array() {
                        stack.push((v, child(PathStep::Index(i))));
                    }
                }
            }
            _ => {}
        }
    }
}

fn walk_mut<'v>(doc: &'v mut Value, path: &[PathStep]) -> Option<&'v mut Value> {
    let mut node = doc;
    for step in path {
        node = match (node, step) {
            (Value::Object(map), PathStep::Key(k)) => map.get_mut(k)?,
            (Value::Array(items), PathStep::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn longest_prefix_wins_and_unmapped_pointers_stay() {
        let mut m = PointerMap::default();
        m.moved("/components/schemas/Pet", "/definitions/Pet");
        m.derived("/components/schemas/Pet/anyOf/0", "/definitions/Pet");
        assert_eq!(m.original("/components/schemas/Pet/properties/id"), "/definitions/Pet/properties/id");
        assert_eq!(m.original("/components/schemas/Pet/anyOf/0/items"), "/definitions/Pet/items");
        assert_eq!(m.original("/paths/~1a"), "/paths/~1a");
        assert_eq!(m.converted("/definitions/Pet/properties/id"), "/components/schemas/Pet/properties/id");
        // Derived entries do not map back.
        assert_eq!(m.converted("/definitions/Pet"), "/components/schemas/Pet");
    }

    #[test]
    fn refs_are_rewritten_only_when_they_resolve() {
        let mut doc = json!({"components": {"schemas": {"Pet": {"type": "object"}}}, "a": [{"$ref": "#/definitions/Pet"}, {"$ref": "#/definitions/Nope"}], "b": {"discriminator": {"mapping": {"p": "#/definitions/Pet"}}}});
        let mut m = PointerMap::default();
        m.moved("/components/schemas/Pet", "/definitions/Pet");
        m.rewrite_refs(&mut doc);
        assert_eq!(doc["a"][0]["$ref"], "#/components/schemas/Pet");
        assert_eq!(doc["a"][1]["$ref"], "#/definitions/Nope");
        assert_eq!(doc["b"]["discriminator"]["mapping"]["p"], "#/components/schemas/Pet");
    }
}
