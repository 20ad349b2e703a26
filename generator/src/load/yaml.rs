//! YAML to `serde_json::Value`, with an optional index from JSON pointer to line:column.
//!
//! One event-driven pass over the parser of [`super::yaml_syntax`] (`yaml-rust2`'s, patched to
//! accept what libyaml accepts): mapping keys become strings (`200:` and `on:` are the keys
//! `"200"` and `"on"`), plain scalars resolve by the YAML 1.2 core schema, aliases are expanded,
//! merge keys (`<<: *base`, `<<: [*a, *b]`) are applied as PyYAML applies them, the standard
//! tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!binary`) are honoured and other
//! tags ignored. A stream of several documents is read for syntax, but only its first document
//! is kept. The position index is only built when a diagnostic needs it (a second pass), so the
//! fast path allocates nothing for it. Text in the block style most specs use does not reach
//! the parser at all: [`super::yaml_block`] reads it to the same value, line by line.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use super::yaml_syntax::parser::{Event, MarkedEventReceiver, Parser, Tag};

use super::yaml_syntax::scanner::{Marker, TScalarStyle};

use crate::diag::{push_pointer, Location};

/// Deepest nesting accepted (as `serde_json`'s recursion limit): deeper documents are refused
/// instead of overflowing the stack later.
const MAX_DEPTH: usize = 128;

/// Most nodes aliases may copy in all ("billion laughs" documents are refused).
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Number of nodes in `value`.
fn node_count(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(node_count).sum::<usize>(),
        _ => 1,
    }
}

/// A YAML syntax error, with where it happened.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub location: Location,
}

/// A parsed YAML stream: its first document, and how many documents it has.
#[derive(Debug)]
pub struct Parsed {
    pub value: Value,
    pub documents: usize,
}

/// Parses YAML text into a JSON value.
#[cfg(test)]
pub fn parse(text: &str) -> Result<Value, YamlError> {
    parse_stream(text).map(|p| p.value)
}

/// Parses a YAML stream: its first document as a JSON value, and its document count. Text in
/// the block style most specs use is read by [`super::yaml_block`], the rest (and every error)
/// by the full parser.
pub fn parse_stream(text: &str) -> Result<Parsed, YamlError> {
    match super::yaml_block::parse(text) {
        Some(value) => Ok(Parsed { value, documents: 1 }),
        None => parse_full(text),
    }
}

/// [`parse_stream`] by the full parser.
pub(super) fn parse_full(text: &str) -> Result<Parsed, YamlError> {
    let mut builder = Builder::new(false);
    run(text, &mut builder)?;
    Ok(Parsed { value: builder.result.unwrap_or(Value::Null), documents: builder.documents })
}

/// Maps each node's JSON pointer to where it starts (for a mapping entry: where its key starts).
pub fn positions(text: &str) -> HashMap<String, Location> {
    let mut builder = Builder::new(true);
    // A document that parsed once parses again; on error keep what was indexed so far.
    let _ = run(text, &mut builder);
    builder.positions
}

/// Feeds the parser's events to `builder` one by one (the parser's own `load` recurses per
/// nesting level and can overflow the stack on hostile input), stopping at the first error.
fn run(text: &str, builder: &mut Builder) -> Result<(), YamlError> {
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError {
            message: e.info().to_string(),
            location: location(e.marker()),
        })?;
        let end = matches!(event, Event::StreamEnd);
        builder.on_event(event, mark);
        if let Some(e) = builder.error.take() {
            return Err(e);
        }
        if end {
            return Ok(());
        }
    }
}

fn location(m: &Marker) -> Location {
    // yaml-rust2 counts lines from 1 and columns from 0.
    Location { line: m.line(), column: m.col() + 1 }
}

/// A collection being built. `pointer` is its JSON pointer when positions are recorded (empty
/// otherwise).
enum Frame {
    Seq { items: Vec<Value>, anchor: usize, pointer: String },
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        anchor: usize,
        pointer: String,
        /// The current key is a plain `<<`: its value is merged in at the end.
        merging: bool,
        /// Values of the merge keys, in order.
        merges: Vec<Value>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    /// Anchored values with their node counts.
    anchors: HashMap<usize, (Value, usize)>,
    /// Nodes copied by aliases so far.
    alias_nodes: usize,
    result: Option<Value>,
    record: bool,
    positions: HashMap<String, Location>,
    error: Option<YamlError>,
    /// Documents started so far; events after the first document are not built.
    documents: usize,
}

impl Builder {
    fn new(record: bool) -> Self {
        Builder {
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            result: None,
            record,
            positions: HashMap::new(),
            error: None,
            documents: 0,
        }
    }

    /// The pointer of the node about to start, or `None` when the next scalar is a mapping key.
    fn next_pointer(&self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Seq { items, pointer, .. }) => {
                Some(push_pointer(pointer, &items.len().to_string()))
            }
            Some(Frame::Map { key: Some(_), merging: true, pointer, .. }) => Some(push_pointer(pointer, "<<")),
            Some(Frame::Map { key: Some(k), pointer, .. }) => Some(push_pointer(pointer, k)),
            Some(Frame::Map { key: None, .. }) => None,
        }
    }

    /// The key of the value about to be pushed, in a mapping.
    fn value_key(&self) -> Option<&str> {
        match self.stack.last() {
            Some(Frame::Map { key: Some(k), .. }) => Some(k),
            _ => None,
        }
    }

    fn push_value(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            let count = node_count(&value);
            self.anchors.insert(anchor, (value.clone(), count));
        }
        match self.stack.last_mut() {
            None => self.result = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, merging, merges, .. }) => {
                if let Some(k) = key.take() {
                    let mergeable = match &value {
                        Value::Object(_) => true,
                        Value::Array(items) => items.iter().all(Value::is_object),
                        _ => false,
                    };
                    if std::mem::take(merging) && mergeable {
                        merges.push(value);
                    } else {
                        map.insert(k, value);
                    }
                }
            }
        }
    }
}

/// Applies merge keys as PyYAML does: the merged mappings' entries first (of `[*a, *b]`, `b`'s
/// then `a`'s, so that `a` wins), then the mapping's own entries, each replacing an earlier value
/// of its key in place.
fn apply_merges(map: Map<String, Value>, merges: Vec<Value>) -> Map<String, Value> {
    if merges.is_empty() {
        return map;
    }
    let mut sources = Vec::new();
    for merge in merges {
        match merge {
            Value::Object(m) => sources.push(m),
            Value::Array(items) => {
                let mut maps: Vec<Map<String, Value>> =
                    items.into_iter().filter_map(|v| if let Value::Object(m) = v { Some(m) } else { None }).collect();
                maps.reverse();
                sources.extend(maps);
            }
            _ => {}
        }
    }
    let mut out = Map::new();
    for source in sources {
        for (k, v) in source {
            out.insert(k, v);
        }
    }
    for (k, v) in map {
        out.insert(k, v);
    }
    out
}

/// The standard tag (`str`, `int`, …) a scalar carries, if any.
fn standard_tag(tag: Option<&Tag>) -> Option<String> {
    let tag = tag?;
    let full = format!("{}{}", tag.handle, tag.suffix);
    full.strip_prefix("tag:yaml.org,2002:").map(str::to_string)
}

/// A scalar's value: by its standard tag when it has one, else quoted scalars are strings and
/// plain ones resolve by the core schema.
fn scalar_value(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    match standard_tag(tag).as_deref() {
        Some("str") => Value::String(text),
        Some("binary") => Value::String(text.split_whitespace().collect()),
        Some("null") => Value::Null,
        Some("bool") => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Value::Bool(true),
            "false" | "no" | "off" => Value::Bool(false),
            _ => Value::String(text),
        },
        Some("int") => match resolve_plain(text.clone()) {
            n @ Value::Number(_) => n,
            _ => Value::String(text),
        },
        Some("float") => match text.trim().parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            None => Value::String(text),
        },
        _ if style == TScalarStyle::Plain => resolve_plain(text),
        _ => Value::String(text),
    }
}

impl Builder {
    /// A scalar: a mapping's next key, or a value.
    fn on_scalar(&mut self, text: String, style: TScalarStyle, anchor: usize, tag: Option<Tag>, mark: &Marker) {
        if let Some(Frame::Map { key: key @ None, pointer, map, merging, .. }) = self.stack.last_mut() {
            if self.record {
                self.positions.insert(push_pointer(pointer, &text), location(mark));
                if map.is_empty() {
                    // A block mapping (the document's too) starts where its first key
                    // does (the parser reports the first `:` instead).
                    let first = location(mark);
                    self.positions.entry(pointer.clone()).and_modify(|l| *l = (*l).min(first));
                }
            }
            *merging = text == "<<" && style == TScalarStyle::Plain;
            *key = Some(text);
            return;
        }
        if self.record {
            if let Some(p) = self.next_pointer() {
                self.positions.entry(p).or_insert_with(|| location(mark));
            }
        }
        let mut value = scalar_value(text, style, tag.as_ref());
        if style == TScalarStyle::Plain && tag.is_none() {
            if let Some(b) = yaml11_bool(&value).filter(|_| self.value_key().is_some_and(|k| BOOLEAN_KEYS.contains(&k))) {
                value = Value::Bool(b);
            }
        }
        self.push_value(value, anchor);
    }

    /// An alias: the anchored value again, within the expansion budget.
    fn on_alias(&mut self, id: usize, mark: &Marker) {
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            self.error = Some(YamlError {
                message: "an alias cannot be used as a mapping key".into(),
                location: location(mark),
            });
            return;
        }
        match self.anchors.get(&id) {
            Some((_, count)) if self.alias_nodes + count > MAX_ALIAS_NODES => {
                self.error = Some(YamlError {
                    message: format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                    location: location(mark),
                });
            }
            Some((v, count)) => {
                self.alias_nodes += count;
                let v = v.clone();
                self.push_value(v, 0);
            }
            None => {
                self.error = Some(YamlError {
                    message: "alias refers to an unknown anchor".into(),
                    location: location(mark),
                })
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        if let Event::DocumentStart = ev {
            self.documents += 1;
        }
        if self.documents > 1 {
            return; // only the first document is read
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => self.on_scalar(text, style, anchor, tag, &mark),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.error = Some(YamlError {
                        message: format!("the document nests deeper than {MAX_DEPTH} levels"),
                        location: location(&mark),
                    });
                    return;
                }
                let is_seq = matches!(ev, Event::SequenceStart(..));
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    self.error = Some(YamlError { message: "mapping keys must be scalars".into(), location: location(&mark) });
                    return;
                }
                // Pointers are only needed for the position index.
                let pointer = if self.record { self.next_pointer().unwrap_or_default() } else { String::new() };
                if self.record {
                    self.positions.entry(pointer.clone()).or_insert_with(|| location(&mark));
                }
                self.stack.push(if is_seq {
                    Frame::Seq { items: Vec::new(), anchor, pointer }
                } else {
                    Frame::Map { map: Map::new(), key: None, anchor, pointer, merging: false, merges: Vec::new() }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, anchor, .. }) => (Value::Array(items), anchor),
                    Some(Frame::Map { map, anchor, merges, .. }) => (Value::Object(apply_merges(map, merges)), anchor),
                    None => return,
                };
                self.push_value(value, anchor);
            }
            Event::Alias(id) => self.on_alias(id, &mark),
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// OpenAPI keywords whose value is a boolean: there, a plain `yes`/`no`/`on`/`off` is read as
/// YAML 1.1 (PyYAML, libyaml-based tools) reads it, a boolean. Elsewhere (keys, enum values)
/// these stay strings, as YAML 1.2 says.
pub(super) const BOOLEAN_KEYS: &[&str] = &[
    "required", "deprecated", "nullable", "readOnly", "writeOnly", "explode", "allowEmptyValue", "allowReserved", "uniqueItems",
    "exclusiveMinimum", "exclusiveMaximum", "additionalProperties",
];

/// The YAML 1.1 boolean a plain `yes`/`no`/`on`/`off` spells, if `value` is one.
pub(super) fn yaml11_bool(value: &Value) -> Option<bool> {
    match value.as_str() {
        Some("yes" | "Yes" | "YES" | "on" | "On" | "ON") => Some(true),
        Some("no" | "No" | "NO" | "off" | "Off" | "OFF") => Some(false),
        _ => None,
    }
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
pub(super) fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let bytes = text.as_bytes();
    let digits = bytes.strip_prefix(b"-").or_else(|| bytes.strip_prefix(b"+")).unwrap_or(bytes);
    // Every number below starts with a digit or `.` once its sign is off: most scalars are
    // words, told apart here (a proc macro runs this unoptimized).
    if !matches!(digits.first(), Some(b'0'..=b'9' | b'.')) {
        return Value::String(text);
    }
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(u) = text.trim_start_matches('+').parse::<u64>() {
            return Value::Number(u.into());
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Value::Number(i.into());
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Value::Number(i.into());
        }
    }
    if is_float(digits) {
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_float(s: &[u8]) -> bool {
    let (mantissa, exponent) = match s.iter().position(|&b| b == b'e' || b == b'E') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = mantissa.splitn(2, |&b| b == b'.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    let all_digits = |p: &[u8]| p.iter().all(u8::is_ascii_digit);
    let mantissa_ok = all_digits(int)
        && frac.is_none_or(all_digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(b"-").or_else(|| e.strip_prefix(b"+")).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok && (frac.is_some() || exponent.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_resolve_by_core_schema() {
        let v = parse("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: hello\n200: x\ng: -3\nh: 1e3\n").unwrap();
        assert_eq!(
            v,
            json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": "1", "f": "hello", "200": "x", "g": -3, "h": 1000.0})
        );
    }

    #[test]
    fn plain_scalars_keep_their_inner_spaces() {
        let text = "a: one two  three\nb: one #not part of it\nc: one two \nd: x http://y z:w\ne: one\n  two three\nf: g - h ? i\n";
        let v = parse(text).unwrap();
        let expected = json!({"a": "one two  three", "b": "one", "c": "one two", "d": "x http://y z:w", "e": "one two three", "f": "g - h ? i"});
        assert_eq!(v, expected);
        let p = positions(text);
        assert_eq!(p["/b"], Location { line: 2, column: 1 });
        assert_eq!(p["/f"], Location { line: 7, column: 1 });
        // `: ` ends a plain scalar: here, where a value cannot start a mapping.
        let e = parse("a: x y: w\n").unwrap_err();
        assert_eq!((e.message.as_str(), e.location), ("mapping values are not allowed in this context", Location { line: 1, column: 7 }));
    }

    #[test]
    fn aliases_expand() {
        let v = parse("a: &x {k: [1, 2]}\nb: *x\n").unwrap();
        assert_eq!(v, json!({"a": {"k": [1, 2]}, "b": {"k": [1, 2]}}));
    }

    #[test]
    fn positions_point_at_keys_and_items() {
        let text = "paths:\n  /a:\n    get:\n      x: [1, 2]\n";
        let p = positions(text);
        assert_eq!(p["/paths"], Location { line: 1, column: 1 });
        assert_eq!(p["/paths/~1a/get"], Location { line: 3, column: 5 });
        assert_eq!(p["/paths/~1a/get/x/1"], Location { line: 4, column: 14 });
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let bomb = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/crashes/oom-yaml-alias-expansion.yaml"))
            .expect("crash input");
        assert!(parse(&bomb).unwrap_err().message.contains("aliases expand to more than"));
        let deep = format!("a: {}1{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).unwrap_err().message.contains("nests deeper than 128"));
        let ok = format!("a: {}1{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.location.line >= 1, "{e:?}");
    }
}
