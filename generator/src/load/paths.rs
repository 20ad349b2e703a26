//! Path items, typed one at a time as they are lowered: a large spec's paths are most of its
//! document (Graph beta: 14k path items, 85% of the text), so they are not held typed next to
//! the raw document, and lowering may free each raw one once it is lowered.

use openapiv3::{PathItem, ReferenceOr};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::{load_owned, narrow, Document};
use crate::diag::{push_pointer, Diagnostic, Diagnostics};

/// Whether a key of `paths` names a path item (as `openapiv3` reads it; `x-` keys are
/// extensions, other keys are ignored).
fn is_path_key(key: &str) -> bool {
    key.starts_with('/')
}

/// Replaces `paths` with a copy of it without its path items (to type the rest of the
/// document); returns the original.
pub(super) fn take_for_typing(raw: &mut Value) -> Option<Value> {
    let paths = raw.get_mut("paths")?;
    let rest = match &*paths {
        Value::Object(map) => Value::Object(map.iter().filter(|(k, _)| !is_path_key(k)).map(|(k, v)| (k.clone(), v.clone())).collect()),
        other => other.clone(),
    };
    Some(std::mem::replace(paths, rest))
}

impl Document {
    /// The raw path items of `paths`, in document order, by path (none once
    /// [`Document::take_path_items`] took them).
    pub fn path_items(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.raw.get("paths").and_then(Value::as_object).into_iter().flatten().filter(|(k, _)| is_path_key(k))
    }

    /// The typed form of the raw path item `raw` of `path`. A path item that is not valid
    /// fails as loading the whole document would have: with the first invalid part of the
    /// document, in document order.
    pub fn path_item(&self, path: &str, raw: &Value) -> Result<ReferenceOr<PathItem>, Diagnostics> {
        self.typed(&push_pointer("/paths", path), raw).map_err(|d| Diagnostics(vec![self.first_error().unwrap_or(d)]))
    }

    /// The first part of the document as loaded that fails to type by itself.
    fn first_error(&self) -> Option<Diagnostic> {
        if !self.paths_taken {
            return narrow::first_error(self);
        }
        // Some path items are gone: the document is loaded again (this happens once, and only
        // for a document that is not valid).
        match load_owned(&self.file, self.text.clone()) {
            Ok(doc) => narrow::first_error(&doc),
            Err(Diagnostics(mut diags)) => diags.drain(..).next(),
        }
    }

    /// Takes the path items out of `raw`, in document order, so that the caller can free each
    /// one once it is done with it; `None` (and nothing is taken) when some `$ref` points into
    /// `paths` (or at the whole document), as lowering may then look anywhere in them.
    /// Diagnostics about a part that does not type (see [`Document::path_item`]) stay those of
    /// the whole document.
    pub fn take_path_items(&mut self) -> Option<Vec<(String, Value)>> {
        if refers_into_paths(&self.raw) {
            return None;
        }
        let Some(Value::Object(paths)) = self.raw.get_mut("paths") else { return Some(Vec::new()) };
        let mut items = Vec::new();
        let mut rest = Map::new();
        for (key, value) in std::mem::take(paths) {
            if is_path_key(&key) {
                items.push((key, value));
            } else {
                rest.insert(key, value);
            }
        }
        *paths = rest;
        self.paths_taken = true;
        Some(items)
    }
}

/// Whether some `$ref` of `raw` points into `paths` or at the whole document (iterative:
/// documents may nest deeply).
fn refers_into_paths(raw: &Value) -> bool {
    let mut stack = vec![raw];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let fragment = reference.strip_prefix('#').map(|f| percent_decode_str(f).decode_utf8_lossy());
                    if fragment.is_some_and(|f| f.is_empty() || f == "/paths" || f.starts_with("/paths/")) {
                        return true;
                    }
                }
                stack.extend(map.values().filter(|v| v.is_object() || v.is_array()));
            }
            Value::Array(items) => stack.extend(items.iter().filter(|v| v.is_object() || v.is_array())),
            _ => {}
        }
    }
    false
}
