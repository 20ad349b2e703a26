//! Finds the innermost part of a document that fails to deserialize on its own.
//!
//! `openapiv3` flattens vendor extensions into most objects, and serde forgets the path of an
//! error inside a flattened struct: a bad `responses` deep in an operation is reported at
//! `/paths`. Walking the document's known structure and deserializing each part by itself
//! recovers the exact pointer.

use openapiv3::{Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
use serde_json::Value;

use super::{Document, Typed};
use crate::diag::{push_pointer, Diagnostic};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The first part (in document order) that fails by itself, with its own error.
pub fn first_error(doc: &Document) -> Option<Diagnostic> {
    let raw = &doc.raw;
    if let Some(Value::Object(paths)) = raw.get("paths") {
        for (key, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let at = push_pointer("/paths", key);
            if let Some(d) = path_item(doc, &at, item) {
                return Some(d);
            }
        }
    }
    if let Some(Value::Object(components)) = raw.get("components") {
        for (section, entries) in components {
            let Value::Object(entries) = entries else { continue };
            let section_at = push_pointer("/components", section);
            for (name, value) in entries {
                let at = push_pointer(&section_at, name);
                let found = match section.as_str() {
                    "schemas" => check::<ReferenceOr<Schema>>(doc, &at, value),
                    "responses" => response(doc, &at, value),
                    "parameters" => check::<ReferenceOr<Parameter>>(doc, &at, value),
                    "requestBodies" => check::<ReferenceOr<RequestBody>>(doc, &at, value),
                    "headers" => check::<ReferenceOr<Header>>(doc, &at, value),
                    "securitySchemes" => check::<ReferenceOr<SecurityScheme>>(doc, &at, value),
                    _ => None,
                };
                if found.is_some() {
                    return found;
                }
            }
        }
    }
    None
}

fn check<T: Typed>(doc: &Document, at: &str, value: &Value) -> Option<Diagnostic> {
    doc.typed::<T>(at, value).err()
}

fn path_item(doc: &Document, at: &str, item: &Value) -> Option<Diagnostic> {
    let Value::Object(map) = item else { return check::<ReferenceOr<PathItem>>(doc, at, item) };
    if let Some(Value::Array(params)) = map.get("parameters") {
        for (i, p) in params.iter().enumerate() {
            let p_at = push_pointer(&push_pointer(at, "parameters"), &i.to_string());
            if let Some(d) = check::<ReferenceOr<Parameter>>(doc, &p_at, p) {
                return Some(d);
            }
        }
    }
    for method in METHODS {
        if let Some(op) = map.get(*method) {
            if let Some(d) = operation(doc, &push_pointer(at, method), op) {
                return Some(d);
            }
        }
    }
    check::<ReferenceOr<PathItem>>(doc, at, item)
}

fn operation(doc: &Document, at: &str, op: &Value) -> Option<Diagnostic> {
    let Value::Object(map) = op else { return check::<Operation>(doc, at, op) };
    if let Some(Value::Array(params)) = map.get("parameters") {
        for (i, p) in params.iter().enumerate() {
            let p_at = push_pointer(&push_pointer(at, "parameters"), &i.to_string());
            if let Some(d) = check::<ReferenceOr<Parameter>>(doc, &p_at, p) {
                return Some(d);
            }
        }
    }
    if let Some(body) = map.get("requestBody") {
        if let Some(d) = check::<ReferenceOr<RequestBody>>(doc, &push_pointer(at, "requestBody"), body) {
            return Some(d);
        }
    }
    match map.get("responses") {
        Some(Value::Object(responses)) => {
            for (code, r) in responses.iter().filter(|(k, _)| !k.starts_with("x-")) {
                if let Some(d) = response(doc, &push_pointer(&push_pointer(at, "responses"), code), r) {
                    return Some(d);
                }
            }
        }
        Some(other) if !other.is_null() => {
            return Some(doc.diagnostic(&push_pointer(at, "responses"), "`responses` must be an object of status codes"));
        }
        _ => {}
    }
    check::<Operation>(doc, at, op)
}

fn response(doc: &Document, at: &str, value: &Value) -> Option<Diagnostic> {
    if let Some(Value::Object(headers)) = value.get("headers") {
        for (name, h) in headers {
            if let Some(d) = check::<ReferenceOr<Header>>(doc, &push_pointer(&push_pointer(at, "headers"), name), h) {
                return Some(d);
            }
        }
    }
    check::<ReferenceOr<Response>>(doc, at, value)
}
