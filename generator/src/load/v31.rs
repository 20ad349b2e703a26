//! OpenAPI 3.1 → OpenAPI 3.0, on load: the generator reads one model (`openapiv3`'s 3.0), so a
//! 3.1 document is rewritten in place into the 3.0 document that means (nearly) the same, and
//! every moved or rebuilt node is recorded in the [`PointerMap`](super::PointerMap) so that diagnostics name the
//! original. The schema rewriting ([`Schemas`]) also serves Swagger 2.0 (`swagger2.rs`).
//!
//! JSON Schema 2020-12 as OpenAPI 3.1 uses it:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [T, U, …]` | `anyOf` of one schema per type (each with its type's keywords), plus `nullable` if `"null"` is there |
//! | `type: "null"`; an `anyOf`/`oneOf` branch `{type: "null"}` | `nullable: true` (the branch is removed) |
//! | `const: v` | `enum: [v]` (`const: null`: `nullable: true`) |
//! | `examples: [a, …]` (schemas) | `example: a` |
//! | `exclusiveMinimum: n` (number) | `minimum: n`, `exclusiveMinimum: true` (the stricter of it and `minimum`); same for maximum |
//! | `$ref` with siblings other than `description`, `summary`, `title`, `example(s)`, `deprecated`, `readOnly`, `writeOnly`, `$comment`, `x-…` | `allOf: [{$ref}]` plus the siblings (with only those siblings it stays a plain `$ref`, so the referenced type keeps its name) |
//! | `$defs` (at any depth) | moved to `components/schemas` (named by their key, or `{Component}{Key}` when taken); `$ref`s to them, absolute or `#/$defs/…` relative to the enclosing schema, rewritten |
//! | `$anchor`, `$id` | `$ref`s to `#anchor`, to an `$id` and to `$id#/pointer` rewritten to JSON pointers |
//! | `contentEncoding: base64`/`base64url` | `format: byte` |
//! | `contentMediaType` of non-text content (no encoding) | `format: binary` (a file) |
//! | boolean schemas | `true` → `{}`; `false` → `{not: {}}` (a `false` property is removed) |
//! | `components/pathItems` | kept: `$ref`s from `paths` resolve to them |
//! | no `paths` | `paths: {}` |
//! | `webhooks` | **no operations are generated** (they are requests the API sends, not ones it serves); an inline payload schema moves to `components/schemas/{Name}Webhook` so that its type is generated, and referenced schemas stay reachable as every component schema is generated; one warning per webhook |
//! | `securitySchemes` `type: mutualTLS` | `type: http`, `scheme: mutual` (not enforced by the generated router) |
//! | `license.identifier`, `info.summary` | ignored |
//! | `jsonSchemaDialect` | removed; a warning unless it is the OpenAPI 3.1 default dialect or plain JSON Schema 2020-12 |
//!
//! Keywords that cannot be typed degrade instead of refusing the document: each one below is
//! dropped, i.e. treated as `{}` (which accepts anything), with a warning; the schema's other
//! keywords still give its type, and a schema with no others becomes an untyped value.
//! `if`/`then`/`else`, `not`, `dependentSchemas`, `dependentRequired`, `propertyNames`,
//! `unevaluatedItems`, `unevaluatedProperties` (a schema; `true`/`false` are dropped
//! silently), `contains`/`minContains`/`maxContains`, `$dynamicRef`/`$recursiveRef`;
//! `patternProperties` (extra properties become untyped: `additionalProperties: true`);
//! `prefixItems` and the array form of `items` (the items become untyped: `items: {}`).
//! A 3.0 leftover such as `nullable: true` keeps working.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::pointer_map::{encode, rewrite_refs_with, Conversion};
use super::schemas::Schemas;
use crate::diag::push_pointer;

/// The dialect OpenAPI 3.1 documents use by default.
pub(super) const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

pub(super) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Deepest schema nesting rewritten (parsers already refuse documents deeper than 128).
pub(super) const MAX_DEPTH: usize = 512;

/// Rewrites an OpenAPI 3.1 document into OpenAPI 3.0, in place.
pub fn convert(doc: &mut Value, conv: &mut Conversion) {
    let Value::Object(root) = doc else { return };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
    }
    if let Some(dialect) = root.remove("jsonSchemaDialect") {
        let plain_2020_12 = dialect.as_str().is_some_and(|d| d.trim_end_matches('#') == "https://json-schema.org/draft/2020-12/schema");
        if dialect.as_str() != Some(OAS_DIALECT) && !plain_2020_12 {
            conv.warn(
                "/jsonSchemaDialect",
                format!("schemas are read as OpenAPI 3.1's JSON Schema 2020-12, not as the dialect {dialect}"),
            );
        }
    }
    let names: BTreeSet<String> = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let mut s = Schemas::new(conv, Mode::OpenApi31, names);
    hoist_webhook_payloads(root, &mut s);

    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (key, item) in paths.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
            s.path_item(item, &push_pointer("/paths", key));
        }
    }
    if let Some(Value::Object(hooks)) = root.get_mut("webhooks") {
        for (key, item) in hooks.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
            s.path_item(item, &push_pointer("/webhooks", key));
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        s.components(components);
    }
    s.finish(root);
    let anchors = std::mem::take(&mut s.anchors);
    let conv = s.conv;
    conv.map.rewrite_refs(doc);
    if !anchors.is_empty() {
        rewrite_refs_with(doc, &|reference| {
            let original = match anchors.get(reference) {
                Some(p) => p.clone(),
                None => {
                    // `$id#/json/pointer`: a pointer inside the identified schema.
                    let (id, fragment) = reference.split_once('#')?;
                    let base = anchors.get(id)?;
                    if !fragment.starts_with('/') {
                        return None;
                    }
                    format!("{base}{fragment}")
                }
            };
            Some(encode(&conv.map.converted(&original)))
        });
    }
}

/// Removes, with a warning, the schemes a security requirement names but the document does
/// not define (Swagger UI ignores them too; OpenAPI 3.0 documents are refused instead).
pub fn drop_unknown_schemes(doc: &mut Value, conv: &mut Conversion) {
    let defined: BTreeSet<String> = doc
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let check = |security: &mut Value, at: &str, conv: &mut Conversion| {
        let Value::Array(requirements) = security else { return };
        for (i, requirement) in requirements.iter_mut().enumerate() {
            let Value::Object(requirement) = requirement else { continue };
            let unknown: Vec<String> = requirement.keys().filter(|k| !defined.contains(*k)).cloned().collect();
            for name in unknown {
                requirement.remove(&name);
                conv.warn(
                    &push_pointer(&push_pointer(at, "security"), &i.to_string()),
                    format!("security scheme `{name}` is not defined: this requirement ignores it"),
                );
            }
        }
    };
    let Value::Object(root) = doc else { return };
    if let Some(security) = root.get_mut("security") {
        check(security, "", conv);
    }
    let mut items: Vec<(String, &mut Value)> = Vec::new();
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        items.extend(paths.iter_mut().map(|(k, v)| (push_pointer("/paths", k), v)));
    }
    for (at, item) in items {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            if let Some(security) = item.get_mut(*method).and_then(|op| op.get_mut("security")) {
                check(security, &push_pointer(&at, method), conv);
            }
        }
    }
}

/// Moves the inline payload schema of each webhook to `components/schemas`, and warns that
/// webhooks get no operations.
fn hoist_webhook_payloads(root: &mut Map<String, Value>, s: &mut Schemas) {
    let Some(Value::Object(hooks)) = root.get_mut("webhooks") else { return };
    let mut moved: Vec<(String, Value)> = Vec::new();
    for (key, item) in hooks.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
        let item_at = push_pointer("/webhooks", key);
        let Value::Object(item) = item else { continue };
        let methods: Vec<&str> = METHODS.iter().copied().filter(|m| item.contains_key(*m)).collect();
        let mut kept = Vec::new();
        for method in &methods {
            let Some(Value::Object(content)) = item.get_mut(*method).and_then(|op| op.get_mut("requestBody")).and_then(|b| b.get_mut("content")) else {
                continue;
            };
            let Some((media, media_type)) = content.iter_mut().find(|(_, m)| m.get("schema").is_some()) else { continue };
            let media = media.clone();
            let Some(schema) = media_type.get_mut("schema") else { continue };
            if schema.get("$ref").is_some() {
                if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
                    kept.push(format!("`{r}`"));
                }
                continue;
            }
            let base = if methods.len() > 1 { format!("{key} {method} webhook") } else { format!("{key} webhook") };
            let name = s.fresh_name(&upper_camel(&base), None);
            let original = push_pointer(&push_pointer(&push_pointer(&push_pointer(&push_pointer(&item_at, method), "requestBody"), "content"), &media), "schema");
            s.conv.map.moved(&push_pointer("/components/schemas", &name), &original);
            let payload = std::mem::replace(schema, json!({ "$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")) }));
            kept.push(format!("`{name}`"));
            moved.push((name, payload));
        }
        let payload = if kept.is_empty() { String::new() } else { format!("; its payload type is {}", kept.join(", ")) };
        s.conv.warn(
            &item_at,
            format!("webhook `{key}`: no operation is generated for a webhook (a request the API sends, not one it serves){payload}"),
        );
    }
    if moved.is_empty() {
        return;
    }
    let components = root.entry("components").or_insert_with(|| json!({}));
    if let Value::Object(components) = components {
        let schemas = components.entry("schemas").or_insert_with(|| json!({}));
        if let Value::Object(schemas) = schemas {
            for (name, payload) in moved {
                schemas.insert(name, payload);
            }
        }
    }
}

/// `"new pet webhook"` → `"NewPetWebhook"` (the IR sanitizes names again later).
pub(super) fn upper_camel(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The version a document is written in, for [`Schemas`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// OpenAPI 3.0 documents are read as they are, but for one repair: see
/// [`Schemas::integer_enum`].
pub fn repair_3_0(doc: &mut Value, conv: &mut Conversion) {
    let Value::Object(root) = doc else { return };
    let mut s = Schemas::new(conv, Mode::OpenApi30, BTreeSet::new());
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (key, item) in paths.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
            s.path_item(item, &push_pointer("/paths", key));
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        s.components(components);
    }
}
