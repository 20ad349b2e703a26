//! Schema rewriting into OpenAPI 3.0 ([`Schemas`]), shared by the OpenAPI 3.1 conversion
//! (`v31.rs`, whose module docs list the mapping) and the Swagger 2.0 one (`swagger2.rs`).

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use super::pointer_map::Conversion;
use super::v31::{upper_camel, Mode, MAX_DEPTH, METHODS};
use crate::diag::push_pointer;

/// A schema with `$defs`, for `$ref`s to `#/$defs/…` written relative to it.
#[derive(Clone, Debug)]
struct Resource {
    original: String,
    /// `$defs` or `definitions`.
    key: &'static str,
    defs: Vec<String>,
}

/// Rewrites schemas (and the parts of a document that hold them) into OpenAPI 3.0.
pub struct Schemas<'c> {
    pub conv: &'c mut Conversion,
    /// What the document was written in: 2.0 schemas also have `type: file` and
    /// `x-nullable`; 3.0 schemas only get the integer-enum repair.
    mode: Mode,
    /// Names taken in `components/schemas`.
    names: BTreeSet<String>,
    /// `$defs` taken out of schemas, to add to `components/schemas`, with their resources.
    hoisted: Vec<(String, Value, Vec<Resource>)>,
    resources: Vec<Resource>,
    /// `#anchor` and `$id` → original pointer of the schema.
    pub(super) anchors: HashMap<String, String>,
}

impl<'c> Schemas<'c> {
    pub fn new(conv: &'c mut Conversion, mode: Mode, names: BTreeSet<String>) -> Self {
        Schemas { conv, mode, names, hoisted: Vec::new(), resources: Vec::new(), anchors: HashMap::new() }
    }

    fn original(&self, at: &str) -> String {
        self.conv.map.original(at)
    }

    /// A name not taken in `components/schemas`: `base`, else `{parent}{base}`, else numbered.
    pub(super) fn fresh_name(&mut self, base: &str, parent: Option<&str>) -> String {
        let mut candidates = vec![base.to_string()];
        if let Some(p) = parent {
            candidates.push(format!("{p}{}", upper_camel(base)));
        }
        for c in &candidates {
            if !c.is_empty() && !self.names.contains(c) {
                self.names.insert(c.clone());
                return c.clone();
            }
        }
        let stem = candidates.pop().unwrap_or_default();
        for i in 2.. {
            let c = format!("{stem}{i}");
            if !self.names.contains(&c) {
                self.names.insert(c.clone());
                return c;
            }
        }
        stem
    }

    /// `components`: every part that holds schemas.
    pub fn components(&mut self, components: &mut Map<String, Value>) {
        for (section, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else { continue };
            let section_at = push_pointer("/components", section);
            for (key, value) in entries.iter_mut() {
                let at = push_pointer(&section_at, key);
                match section.as_str() {
                    "schemas" => {
                        self.resources.clear();
                        self.schema(value, &at, 0);
                    }
                    "parameters" | "headers" => self.parameter(value, &at),
                    "requestBodies" => self.content_holder(value, &at),
                    "responses" => self.response(value, &at),
                    "pathItems" => self.path_item(value, &at),
                    "callbacks" => self.callback(value, &at),
                    "securitySchemes" => security_scheme(value),
                    _ => {}
                }
            }
        }
    }

    /// Adds the hoisted `$defs` to `components/schemas`, rewriting them in turn.
    pub fn finish(&mut self, root: &mut Map<String, Value>) {
        while !self.hoisted.is_empty() {
            let batch = std::mem::take(&mut self.hoisted);
            let mut done = Vec::new();
            for (name, mut value, resources) in batch {
                self.resources = resources;
                self.schema(&mut value, &push_pointer("/components/schemas", &name), 0);
                done.push((name, value));
            }
            let components = root.entry("components").or_insert_with(|| json!({}));
            if let Value::Object(components) = components {
                if let Value::Object(schemas) = components.entry("schemas").or_insert_with(|| json!({})) {
                    for (name, value) in done {
                        schemas.insert(name, value);
                    }
                }
            }
        }
        self.resources.clear();
    }

    pub fn path_item(&mut self, item: &mut Value, at: &str) {
        let Value::Object(item) = item else { return };
        if let Some(Value::Array(params)) = item.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &push_pointer(&push_pointer(at, "parameters"), &i.to_string()));
            }
        }
        for method in METHODS {
            if let Some(op) = item.get_mut(*method) {
                self.operation(op, &push_pointer(at, method));
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, at: &str) {
        let Value::Object(map) = callback else { return };
        for (expression, item) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
            self.path_item(item, &push_pointer(at, expression));
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Value::Object(op) = op else { return };
        if self.mode == Mode::OpenApi31 && !op.contains_key("responses") {
            // Optional in 3.1: the operation declares no response.
            op.insert("responses".into(), json!({}));
        }
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &push_pointer(&push_pointer(at, "parameters"), &i.to_string()));
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.content_holder(body, &push_pointer(at, "requestBody"));
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (code, r) in responses.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                self.response(r, &push_pointer(&push_pointer(at, "responses"), code));
            }
        }
        if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
            for (name, cb) in callbacks.iter_mut() {
                self.callback(cb, &push_pointer(&push_pointer(at, "callbacks"), name));
            }
        }
    }

    /// A parameter or header: its `schema`, or the schemas of its `content`.
    fn parameter(&mut self, param: &mut Value, at: &str) {
        if param.get("$ref").is_some() {
            return;
        }
        if let Some(schema) = param.get_mut("schema") {
            self.schema(schema, &push_pointer(at, "schema"), 0);
        }
        self.content_holder(param, at);
    }

    /// A request body, response, parameter or header with `content`.
    fn content_holder(&mut self, holder: &mut Value, at: &str) {
        if holder.get("$ref").is_some() {
            return;
        }
        let Some(Value::Object(content)) = holder.get_mut("content") else { return };
        let content_at = push_pointer(at, "content");
        for (media, media_type) in content.iter_mut() {
            let media_at = push_pointer(&content_at, media);
            if let Some(schema) = media_type.get_mut("schema") {
                self.schema(schema, &push_pointer(&media_at, "schema"), 0);
            }
            if let Some(Value::Object(encoding)) = media_type.get_mut("encoding") {
                for (name, e) in encoding.iter_mut() {
                    if let Some(Value::Object(headers)) = e.get_mut("headers") {
                        for (h, header) in headers.iter_mut() {
                            let h_at = push_pointer(&push_pointer(&push_pointer(&push_pointer(&media_at, "encoding"), name), "headers"), h);
                            self.parameter(header, &h_at);
                        }
                    }
                }
            }
        }
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        if response.get("$ref").is_some() {
            return;
        }
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for (name, h) in headers.iter_mut() {
                self.parameter(h, &push_pointer(&push_pointer(at, "headers"), name));
            }
        }
        self.content_holder(response, at);
    }

    /// Rewrites one schema (and the schemas inside it) into OpenAPI 3.0.
    pub fn schema(&mut self, v: &mut Value, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Bool(true) => {
                *v = json!({});
                return;
            }
            Value::Bool(false) => {
                *v = json!({ "not": {} });
                return;
            }
            Value::Object(_) => {}
            _ => return,
        }
        let Value::Object(map) = v else { return };
        if self.mode == Mode::OpenApi30 {
            self.integer_enum(map, at);
            self.subschemas(map, at, depth);
            return;
        }

        for key in ["$schema", "$comment", "$vocabulary", "$dynamicAnchor", "$recursiveAnchor", "contentSchema"] {
            map.remove(key);
        }
        self.sanitize(map, at);
        if let Some(Value::String(anchor)) = map.remove("$anchor") {
            let original = self.original(at);
            self.anchors.insert(format!("#{anchor}"), original);
        }
        if let Some(Value::String(id)) = map.remove("$id") {
            let original = self.original(at);
            self.anchors.insert(id, original);
        }
        let pushed = self.hoist_defs(map, at);
        self.reference(map, at);
        if map.contains_key("$ref") {
            // A plain reference (its siblings are documentation only).
            if pushed {
                self.resources.pop();
            }
            return;
        }
        if let Some(c) = map.remove("const") {
            if c.is_null() {
                map.insert("nullable".into(), Value::Bool(true));
            } else if !map.contains_key("enum") {
                map.insert("enum".into(), Value::Array(vec![c]));
            }
        }
        self.types(map, at);
        self.integer_enum(map, at);
        match map.remove("examples") {
            Some(Value::Array(examples)) if !map.contains_key("example") => {
                if let Some(first) = examples.into_iter().next() {
                    map.insert("example".into(), first);
                }
            }
            _ => {}
        }
        for (exclusive, bound, stricter) in [("exclusiveMinimum", "minimum", true), ("exclusiveMaximum", "maximum", false)] {
            if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
                let value = n.as_f64().unwrap_or_default();
                let keep = match map.get(bound).and_then(Value::as_f64) {
                    Some(b) => if stricter { value >= b } else { value <= b },
                    None => true,
                };
                if keep {
                    map.insert(bound.into(), Value::Number(n));
                    map.insert(exclusive.into(), Value::Bool(true));
                } else {
                    map.remove(exclusive);
                }
            }
        }
        content_format(map);
        if let Some(Value::String(property)) = map.get("discriminator") {
            // Swagger 2.0 names the property only.
            let property = property.clone();
            map.insert("discriminator".into(), json!({ "propertyName": property }));
        }
        if self.mode == Mode::Swagger2 {
            swagger2_schema(map);
        }
        self.untypable(map, at);
        for key in ["anyOf", "oneOf"] {
            self.drop_null_branches(map, at, key);
        }
        self.subschemas(map, at, depth);
        if pushed {
            self.resources.pop();
        }
    }

    /// Rewrites the schemas inside a schema ([`SUBSCHEMA_KEYS`]).
    fn subschemas(&mut self, map: &mut Map<String, Value>, at: &str, depth: usize) {
        // Most schemas hold none of these keys: one look at the keys, instead of hashing each
        // name, tells (GitHub's 300,000 lookups were 2% of its generation).
        if !map.keys().any(|key| SUBSCHEMA_KEYS.contains(&key.as_str())) {
            return;
        }
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            props.retain(|_, p| !matches!(p, Value::Bool(false)));
            for (name, p) in props.iter_mut() {
                self.schema(p, &push_pointer(&push_pointer(at, "properties"), name), depth + 1);
            }
        }
        if let Some(additional) = map.get_mut("additionalProperties") {
            if additional.is_object() {
                self.schema(additional, &push_pointer(at, "additionalProperties"), depth + 1);
            }
        }
        if let Some(items) = map.get_mut("items") {
            match items {
                Value::Bool(_) => *items = json!({}),
                _ => self.schema(items, &push_pointer(at, "items"), depth + 1),
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(parts)) = map.get_mut(key) {
                for (i, part) in parts.iter_mut().enumerate() {
                    self.schema(part, &push_pointer(&push_pointer(at, key), &i.to_string()), depth + 1);
                }
            }
        }
        if let Some(not) = map.get_mut("not") {
            // Only 3.0 documents keep `not`.
            self.schema(not, &push_pointer(at, "not"), depth + 1);
        }
    }

    /// `type: integer` with `enum` values that are not integers (`["Primary", "Secondary"]`,
    /// `["0 (User)"]`, seen in real specs): a string enum, with a warning. (Integers written as
    /// strings, `["1", "10"]`, stay an integer enum: the IR reads them as integers.)
    fn integer_enum(&mut self, map: &mut Map<String, Value>, at: &str) {
        if map.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        let Some(Value::Array(values)) = map.get("enum") else { return };
        let not_integer = values.iter().find(|v| match v {
            Value::String(s) => s.trim().parse::<i64>().is_err(),
            _ => false,
        });
        let Some(Value::String(example)) = not_integer else { return };
        let message = format!("`type: integer` with `enum` values that are not integers (`{example}`): read as a string enum");
        let strings: Vec<Value> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(s) => Value::String(s.clone()),
                other => Value::String(other.to_string()),
            })
            .collect();
        map.insert("type".into(), Value::String("string".into()));
        map.insert("enum".into(), Value::Array(strings));
        for key in ["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"] {
            map.remove(key);
        }
        self.conv.warn(at, message);
    }

    /// Takes `$defs` out of the schema, to be added to `components/schemas`.
    fn hoist_defs(&mut self, map: &mut Map<String, Value>, at: &str) -> bool {
        // `definitions` is the older name of `$defs` (draft 7), still written.
        let key = if map.get("$defs").is_some_and(Value::is_object) {
            "$defs"
        } else if map.get("definitions").is_some_and(|d| d.as_object().is_some_and(|d| d.values().all(|v| v.is_object() || v.is_boolean()))) {
            "definitions"
        } else {
            return false;
        };
        let Some(Value::Object(defs)) = map.remove(key) else { return false };
        let original = self.original(at);
        let parent = at.strip_prefix("/components/schemas/").and_then(|rest| rest.split('/').next()).map(|p| p.replace("~1", "/").replace("~0", "~"));
        self.resources.push(Resource { original: original.clone(), key, defs: defs.keys().cloned().collect() });
        let defs_at = push_pointer(&original, key);
        for (key, def) in defs {
            let name = self.fresh_name(&key, parent.as_deref().map(upper_camel).as_deref());
            self.conv.map.moved(&push_pointer("/components/schemas", &name), &push_pointer(&defs_at, &key));
            self.hoisted.push((name, def, self.resources.clone()));
        }
        true
    }

    /// `$ref`: makes `#/$defs/…` absolute; a `$ref` with more than documentation beside it
    /// becomes `allOf: [{$ref}]` plus the siblings.
    fn reference(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(Value::String(reference)) = map.get("$ref") else { return };
        let relative = reference.strip_prefix("#/$defs/").map(|r| ("$defs", r)).or_else(|| reference.strip_prefix("#/definitions/").map(|r| ("definitions", r)));
        if let Some((key, rest)) = relative {
            let first = rest.split('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~");
            if let Some(resource) = self.resources.iter().rev().find(|r| r.key == key && r.defs.contains(&first)) {
                let absolute = format!("#{}/{key}/{rest}", resource.original);
                map.insert("$ref".into(), Value::String(absolute));
            }
        }
        const DOCUMENTATION: &[&str] =
            &["$ref", "description", "summary", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment"];
        if map.keys().all(|k| DOCUMENTATION.contains(&k.as_str()) || k.starts_with("x-")) {
            return;
        }
        let Some(reference) = map.remove("$ref") else { return };
        let original = self.original(at);
        let mut all_of = vec![json!({ "$ref": reference })];
        self.conv.map.derived(&push_pointer(&push_pointer(at, "allOf"), "0"), &original);
        if let Some(Value::Array(existing)) = map.remove("allOf") {
            for (i, part) in existing.into_iter().enumerate() {
                self.conv.map.derived(
                    &push_pointer(&push_pointer(at, "allOf"), &(i + 1).to_string()),
                    &push_pointer(&push_pointer(&original, "allOf"), &i.to_string()),
                );
                all_of.push(part);
            }
        }
        map.insert("allOf".into(), Value::Array(all_of));
    }

    /// `type` arrays and `type: "null"`.
    fn types(&mut self, map: &mut Map<String, Value>, at: &str) {
        let mut nullable = false;
        match map.get("type") {
            Some(Value::Array(types)) => {
                let mut names: Vec<String> = Vec::new();
                for t in types.iter().filter_map(Value::as_str) {
                    if t == "null" {
                        nullable = true;
                    } else if !names.iter().any(|n| n == t) {
                        names.push(t.to_string());
                    }
                }
                match names.len() {
                    0 => {
                        map.remove("type");
                    }
                    1 => {
                        map.insert("type".into(), Value::String(names.remove(0)));
                    }
                    _ if ["anyOf", "oneOf", "allOf"].iter().any(|k| map.contains_key(*k)) => {
                        map.remove("type");
                    }
                    _ => self.split_types(map, at, &names),
                }
            }
            Some(Value::String(t)) if t == "null" => {
                map.remove("type");
                nullable = true;
            }
            _ => {}
        }
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }

    /// `type: [string, integer]` → `anyOf: [{type: string, …}, {type: integer, …}]`, each
    /// branch with its type's keywords and `enum` values.
    fn split_types(&mut self, map: &mut Map<String, Value>, at: &str, types: &[String]) {
        map.remove("type");
        let original = self.original(at);
        let values = map.remove("enum").and_then(|e| if let Value::Array(v) = e { Some(v) } else { None });
        let mut branches = Vec::new();
        for t in types {
            let keywords: &[&str] = match t.as_str() {
                "string" => &["minLength", "maxLength", "pattern", "format", "contentMediaType", "contentEncoding"],
                "number" | "integer" => &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"],
                "array" => &["items", "minItems", "maxItems", "uniqueItems", "prefixItems", "contains", "minContains", "maxContains", "unevaluatedItems"],
                "object" => &[
                    "properties", "required", "additionalProperties", "minProperties", "maxProperties", "patternProperties",
                    "propertyNames", "unevaluatedProperties", "dependentRequired", "dependentSchemas", "discriminator",
                ],
                _ => &[],
            };
            let mut branch = Map::new();
            branch.insert("type".into(), Value::String(t.clone()));
            for k in keywords {
                if let Some(v) = map.get(*k) {
                    branch.insert((*k).into(), v.clone());
                }
            }
            if let Some(values) = &values {
                let of_type: Vec<Value> = values.iter().filter(|v| json_type_matches(v, t)).cloned().collect();
                if of_type.is_empty() {
                    continue;
                }
                branch.insert("enum".into(), Value::Array(of_type));
            }
            branches.push(Value::Object(branch));
        }
        for k in [
            "minLength", "maxLength", "pattern", "format", "contentMediaType", "contentEncoding", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "items", "minItems", "maxItems", "uniqueItems", "prefixItems", "contains", "minContains",
            "maxContains", "unevaluatedItems", "properties", "required", "additionalProperties", "minProperties", "maxProperties",
            "patternProperties", "propertyNames", "unevaluatedProperties", "dependentRequired", "dependentSchemas", "discriminator",
        ] {
            map.remove(k);
        }
        for i in 0..branches.len() {
            self.conv.map.derived(&push_pointer(&push_pointer(at, "anyOf"), &i.to_string()), &original);
        }
        map.insert("anyOf".into(), Value::Array(branches));
    }

    /// Removes `{type: "null"}` branches of `anyOf`/`oneOf`, making the schema nullable.
    fn drop_null_branches(&mut self, map: &mut Map<String, Value>, at: &str, key: &str) {
        let Some(Value::Array(parts)) = map.get(key) else { return };
        if !parts.iter().any(is_null_schema) {
            return;
        }
        let Some(Value::Array(parts)) = map.remove(key) else { return };
        let original = push_pointer(&self.original(at), key);
        let mut kept = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            if is_null_schema(&part) {
                continue;
            }
            if kept.len() != i {
                self.conv.map.derived(&push_pointer(&push_pointer(at, key), &kept.len().to_string()), &push_pointer(&original, &i.to_string()));
            }
            kept.push(part);
        }
        if !kept.is_empty() {
            map.insert(key.into(), Value::Array(kept));
        }
        map.insert("nullable".into(), Value::Bool(true));
    }

    /// Drops keywords whose values are of the wrong kind (`type: {…}`, `required: true`,
    /// `minLength: "5"`, …), which OpenAPI 3.0 readers refuse, with a warning.
    fn sanitize(&mut self, map: &mut Map<String, Value>, at: &str) {
        let mut bad: Vec<String> = Vec::new();
        map.retain(|key, value| {
            let ok = match key.as_str() {
                "type" => value.is_string() || value.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                "required" => value.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                "enum" | "allOf" | "anyOf" | "oneOf" => value.is_array(),
                "properties" => value.is_object(),
                "additionalProperties" | "items" => value.is_object() || value.is_boolean() || (key == "items" && value.is_array()),
                "format" | "title" | "description" => value.is_string(),
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => value.is_u64(),
                "minimum" | "maximum" | "multipleOf" => value.is_number(),
                "exclusiveMinimum" | "exclusiveMaximum" => value.is_number() || value.is_boolean(),
                "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" => value.is_boolean(),
                "discriminator" => value.get("propertyName").is_some_and(Value::is_string) || value.is_string(),
                _ => true,
            };
            if !ok {
                bad.push(format!("`{key}`"));
            }
            ok
        });
        if !bad.is_empty() {
            self.conv.warn(at, format!("{} has a value of the wrong kind: ignored", bad.join(", ")));
        }
    }

    /// Drops the keywords no Rust type can express, with a warning.
    fn untypable(&mut self, map: &mut Map<String, Value>, at: &str) {
        let mut dropped: Vec<&str> = Vec::new();
        for key in [
            "if", "then", "else", "not", "dependentSchemas", "dependentRequired", "propertyNames", "unevaluatedItems", "contains",
            "minContains", "maxContains", "$dynamicRef", "$recursiveRef",
        ] {
            if map.remove(key).is_some() {
                dropped.push(key);
            }
        }
        match map.remove("unevaluatedProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(_) => dropped.push("unevaluatedProperties"),
        }
        let mut notes = Vec::new();
        if map.remove("patternProperties").is_some() {
            dropped.push("patternProperties");
            if !matches!(map.get("additionalProperties"), Some(Value::Bool(true))) {
                map.insert("additionalProperties".into(), Value::Bool(true));
            }
            notes.push("extra properties are untyped");
        }
        let tuple = matches!(map.get("items"), Some(Value::Array(_)));
        if map.remove("prefixItems").is_some() || tuple {
            dropped.push(if tuple { "items (array form)" } else { "prefixItems" });
            map.insert("items".into(), json!({}));
            notes.push("the items are untyped");
        }
        if dropped.is_empty() {
            return;
        }
        let list = dropped.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        let notes = if notes.is_empty() { String::new() } else { format!("; {}", notes.join(", ")) };
        self.conv.warn(at, format!("{list} cannot be typed: ignored (values are not checked against it){notes}"));
    }
}

fn json_type_matches(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// `{type: "null"}` (or `{type: ["null"]}`, `{const: null}`, `{enum: [null]}`), with at most
/// documentation beside it.
fn is_null_schema(v: &Value) -> bool {
    let Value::Object(map) = v else { return false };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => false,
    };
    let null_value = map.get("const").is_some_and(Value::is_null)
        || map.get("enum").and_then(Value::as_array).is_some_and(|e| e.len() == 1 && e[0].is_null());
    (null_type || null_value)
        && map.keys().all(|k| matches!(k.as_str(), "type" | "const" | "enum" | "description" | "title" | "nullable") || k.starts_with("x-"))
}

/// `contentEncoding` / `contentMediaType` → `format: byte` / `format: binary`.
fn content_format(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") || matches!(map.get("type"), Some(t) if t != "string") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media.as_ref().and_then(Value::as_str)) {
        (Some(e), _) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => "byte",
        (None, Some(m)) if !is_textual(m) => "binary",
        _ => return,
    };
    map.insert("type".into(), Value::String("string".into()));
    map.insert("format".into(), Value::String(format.into()));
}

fn is_textual(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    m.starts_with("text/")
        || m.ends_with("/json")
        || m.ends_with("+json")
        || m.ends_with("/xml")
        || m.ends_with("+xml")
        || m == "application/x-www-form-urlencoded"
}

/// Swagger 2.0 schema keywords: `type: file`, `x-nullable`.
fn swagger2_schema(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), Value::String("string".into()));
        map.insert("format".into(), Value::String("binary".into()));
    }
    if map.get("x-nullable") == Some(&Value::Bool(true)) {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// `type: mutualTLS` (3.1) → an HTTP scheme the generated code leaves to the implementation.
fn security_scheme(scheme: &mut Value) {
    if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
        if let Value::Object(map) = scheme {
            map.insert("type".into(), Value::String("http".into()));
            map.insert("scheme".into(), Value::String("mutual".into()));
        }
    }
}

/// The keys of a schema whose values are schemas that [`Schemas::subschemas`] rewrites.
const SUBSCHEMA_KEYS: &[&str] = &["properties", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "not"];
