//! Swagger 2.0 → OpenAPI 3.0, on load. Builds the 3.0 document that means the same, recording
//! where each node came from in the [`super::pointer_map::PointerMap`] so that diagnostics name
//! the original, and rewrites the document's `$ref`s (`#/definitions/X` →
//! `#/components/schemas/X`, `#/parameters/X` → `#/components/parameters/X`, `#/responses/X` →
//! `#/components/responses/X`).
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `host`, `basePath`, `schemes` | one server per scheme (`https` when none is given), `{scheme}://{host}{basePath}`; no `host`: the relative URL `basePath`. A `{name}` template in `host` or `basePath` (2.0 does not allow it, real specs have it) becomes a server variable whose default is its name, with a warning |
//! | `consumes` / `produces` (global, overridden per operation) | the media types of request and response `content` (`application/json` when none is given) |
//! | `in: body` parameter | `requestBody` with the schema under each consumed media type; its `name` is kept as `x-codegen-request-body-name` |
//! | `in: formData` parameters | `requestBody` with one object schema, a property per parameter (`required` from the parameters); `multipart/form-data` when a parameter is `type: file` (a binary property) or the operation consumes it, else `application/x-www-form-urlencoded` |
//! | other parameters | `schema` built from `type`, `format`, `items`, `enum`, `default` and the limits |
//! | `collectionFormat` (arrays) | query: `csv` (the default) → `style: form, explode: false`; `multi` → `form`, `explode: true`; `ssv` → `spaceDelimited`; `pipes` → `pipeDelimited`; `tsv` (no 3.0 equivalent) → `form`, `explode: false`, i.e. commas, with a warning. Path and header: `csv` → `simple`; anything else has no 3.0 equivalent and is sent comma-separated (`simple`), with a warning. Form fields: `encoding` with `style: form` and `explode` for `multi` |
//! | `definitions`, `parameters`, `responses` | `components/schemas`, `components/parameters` (body and form parameters are inlined where used), `components/responses` |
//! | response `schema`, `headers`, `examples` | `content` per produced media type (a `type: file` schema is binary, under the produced non-JSON media types, else `application/octet-stream`), headers with a `schema`, `example` per media type |
//! | `securityDefinitions` | `basic` → `http`/`basic`; `apiKey` as is; `oauth2` flows `implicit`, `password`, `application` → `clientCredentials`, `accessCode` → `authorizationCode` (missing `scopes` → none) |
//! | schemas | as 3.0, plus `type: file` → binary string, `x-nullable: true` → `nullable`, `discriminator: name` → `discriminator: {propertyName: name}` |
//! | `x-…` extensions | kept where 3.0 has the same object |

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::pointer_map::Conversion;
use super::schemas::Schemas;
use super::v31::Mode;
use crate::diag::push_pointer;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keywords of a non-body parameter (or an items object, or a header) that describe its value.
const VALUE_KEYWORDS: &[&str] = &[
    "type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
    "pattern", "maxItems", "minItems", "uniqueItems", "enum", "multipleOf", "x-nullable",
];

/// Converts a Swagger 2.0 document into an OpenAPI 3.0 one.
pub fn convert(src: &Value, conv: &mut Conversion) -> Value {
    let Value::Object(root) = src else { return src.clone() };
    let mut out = Map::new();
    out.insert("openapi".into(), Value::String("3.0.3".into()));
    if let Some(info) = root.get("info") {
        out.insert("info".into(), info.clone());
    }
    let servers = servers(root, conv);
    if !servers.is_empty() {
        out.insert("servers".into(), Value::Array(servers));
    }
    for key in ["tags", "externalDocs", "security"] {
        if let Some(v) = root.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    copy_extensions(root, &mut out);
    let consumes = media_types(root.get("consumes"));
    let produces = media_types(root.get("produces"));
    let definitions = root.get("definitions").and_then(Value::as_object);
    let names: BTreeSet<String> = definitions.map(|d| d.keys().cloned().collect()).unwrap_or_default();
    let mut c = Converter { s: Schemas::new(conv, Mode::Swagger2, names), root };

    let mut components = Map::new();
    if let Some(definitions) = definitions {
        let mut schemas = Map::new();
        for (key, schema) in definitions {
            let at = push_pointer("/components/schemas", key);
            c.s.conv.map.moved(&at, &push_pointer("/definitions", key));
            let mut schema = schema.clone();
            c.s.schema(&mut schema, &at, 0);
            schemas.insert(key.clone(), schema);
        }
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(Value::Object(params)) = root.get("parameters") {
        let mut out_params = Map::new();
        for (key, p) in params {
            if is_body_or_form(p) {
                continue; // inlined into the operations that use it
            }
            let at = push_pointer("/components/parameters", key);
            c.s.conv.map.moved(&at, &push_pointer("/parameters", key));
            out_params.insert(key.clone(), c.parameter(p, &at));
        }
        if !out_params.is_empty() {
            components.insert("parameters".into(), Value::Object(out_params));
        }
    }
    if let Some(Value::Object(responses)) = root.get("responses") {
        let mut out_responses = Map::new();
        for (key, r) in responses {
            let at = push_pointer("/components/responses", key);
            c.s.conv.map.moved(&at, &push_pointer("/responses", key));
            out_responses.insert(key.clone(), c.response(r, &at, &push_pointer("/responses", key), &produces));
        }
        components.insert("responses".into(), Value::Object(out_responses));
    }
    if let Some(Value::Object(definitions)) = root.get("securityDefinitions") {
        let mut schemes = Map::new();
        for (key, d) in definitions {
            let at = push_pointer("/components/securitySchemes", key);
            c.s.conv.map.moved(&at, &push_pointer("/securityDefinitions", key));
            schemes.insert(key.clone(), c.security_scheme(d, &at));
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }

    let mut paths = Map::new();
    if let Some(Value::Object(src_paths)) = root.get("paths") {
        for (key, item) in src_paths {
            let at = push_pointer("/paths", key);
            let converted = if key.starts_with("x-") { item.clone() } else { c.path_item(item, &at, &consumes, &produces) };
            paths.insert(key.clone(), converted);
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    c.s.finish(&mut out);
    let mut doc = Value::Object(out);
    c.s.conv.map.rewrite_refs(&mut doc);
    doc
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (k, v) in from.iter().filter(|(k, _)| k.starts_with("x-")) {
        to.insert(k.clone(), v.clone());
    }
}

fn media_types(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

fn is_body_or_form(p: &Value) -> bool {
    matches!(p.get("in").and_then(Value::as_str), Some("body" | "formData"))
}

fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// `servers` from `host`, `basePath` and `schemes`.
fn servers(root: &Map<String, Value>, conv: &mut Conversion) -> Vec<Value> {
    let host = root.get("host").and_then(Value::as_str);
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = if base == "/" && host.is_some() { "" } else { base };
    let mut urls = Vec::new();
    match host {
        Some(host) => {
            let mut schemes = media_types(root.get("schemes"));
            if schemes.is_empty() {
                schemes.push("https".into());
            }
            for scheme in schemes {
                urls.push(format!("{scheme}://{host}{base}"));
            }
        }
        None if !base.is_empty() => urls.push(base.to_string()),
        None => return Vec::new(),
    }
    conv.map.derived("/servers", if host.is_some() { "/host" } else { "/basePath" });
    let mut servers = Vec::new();
    for url in urls {
        let mut server = Map::new();
        let mut variables = Map::new();
        let mut rest = url.as_str();
        while let Some(open) = rest.find('{') {
            let Some(len) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + len];
            if !name.is_empty() && !variables.contains_key(name) {
                variables.insert(name.to_string(), json!({ "default": name }));
                let at = if host.is_some_and(|h| h.contains(&format!("{{{name}}}"))) { "/host" } else { "/basePath" };
                if servers.is_empty() {
                    conv.warn(
                        at,
                        format!("`{{{name}}}` is a template, which Swagger 2.0 does not allow here: it became the server variable `{name}`, whose default is its name"),
                    );
                }
            }
            rest = &rest[open + len + 1..];
        }
        server.insert("url".into(), Value::String(url.clone()));
        if !variables.is_empty() {
            server.insert("variables".into(), Value::Object(variables));
        }
        servers.push(Value::Object(server));
    }
    servers
}

struct Converter<'c, 'r> {
    s: Schemas<'c>,
    root: &'r Map<String, Value>,
}

/// A parameter of an operation with where it was written.
struct Param<'r> {
    /// Original pointer of the parameter object (the shared one for a `$ref`).
    original: String,
    /// The parameter as written (`$ref` objects of non-body parameters are kept as they are).
    value: &'r Value,
    /// The parameter object itself, through a `$ref` if it is one.
    resolved: &'r Value,
}

impl<'r> Param<'r> {
    fn key(&self) -> (String, String) {
        let get = |k: &str| self.resolved.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        (get("name"), get("in"))
    }
    fn location(&self) -> &str {
        self.resolved.get("in").and_then(Value::as_str).unwrap_or_default()
    }
}

impl<'r> Converter<'_, 'r> {
    /// The parameters at `at/parameters` (path item or operation), resolved through shared ones.
    fn params(&self, list: Option<&'r Value>, at: &str) -> Vec<Param<'r>> {
        let Some(Value::Array(items)) = list else { return Vec::new() };
        items
            .iter()
            .enumerate()
            .map(|(i, value)| {
                let original = push_pointer(&push_pointer(at, "parameters"), &i.to_string());
                let shared = value
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/parameters/"))
                    .map(|name| name.replace("~1", "/").replace("~0", "~"))
                    .and_then(|name| Some((name.clone(), self.root.get("parameters")?.get(&name)?)));
                match shared {
                    Some((name, resolved)) => Param { original: if is_body_or_form(resolved) { push_pointer("/parameters", &name) } else { original }, value, resolved },
                    None => Param { original, value, resolved: value },
                }
            })
            .collect()
    }

    fn path_item(&mut self, item: &'r Value, at: &str, consumes: &[String], produces: &[String]) -> Value {
        let Value::Object(item) = item else { return item.clone() };
        let mut out = Map::new();
        if let Some(r) = item.get("$ref") {
            out.insert("$ref".into(), r.clone());
        }
        let shared = self.params(item.get("parameters"), at);
        let plain: Vec<&Param> = shared.iter().filter(|p| !is_body_or_form(p.resolved)).collect();
        if !plain.is_empty() {
            let mut list = Vec::new();
            for p in plain {
                let new_at = push_pointer(&push_pointer(at, "parameters"), &list.len().to_string());
                list.push(self.plain_parameter(p, &new_at));
            }
            out.insert("parameters".into(), Value::Array(list));
        }
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                let op_at = push_pointer(at, method);
                let converted = self.operation(op, &op_at, &shared, consumes, produces);
                out.insert((*method).into(), converted);
            }
        }
        copy_extensions(item, &mut out);
        Value::Object(out)
    }

    /// A non-body parameter of an operation or path item, now at `at`.
    fn plain_parameter(&mut self, p: &Param, at: &str) -> Value {
        if p.value.get("$ref").is_some() {
            if p.original != at {
                self.s.conv.map.moved(at, &p.original);
            }
            return p.value.clone();
        }
        if p.original != at {
            self.s.conv.map.moved(at, &p.original);
        }
        self.parameter(p.resolved, at)
    }

    fn operation(&mut self, op: &'r Value, at: &str, shared: &[Param<'r>], consumes: &[String], produces: &[String]) -> Value {
        let Value::Object(op) = op else { return op.clone() };
        let mut out = Map::new();
        for key in ["tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security"] {
            if let Some(v) = op.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        let own_consumes = media_types(op.get("consumes"));
        let consumes = if own_consumes.is_empty() { consumes.to_vec() } else { own_consumes };
        let own_produces = media_types(op.get("produces"));
        let produces = if own_produces.is_empty() { produces.to_vec() } else { own_produces };

        let own = self.params(op.get("parameters"), at);
        // Path-level parameters apply unless the operation redefines them (same name and place).
        let mut all: Vec<&Param> = shared.iter().filter(|s| !own.iter().any(|o| o.key() == s.key())).collect();
        let inherited_plain = all.len();
        all.extend(own.iter());
        let mut params = Vec::new();
        for p in all.iter().skip(inherited_plain).filter(|p| !is_body_or_form(p.resolved)) {
            let new_at = push_pointer(&push_pointer(at, "parameters"), &params.len().to_string());
            params.push(self.plain_parameter(p, &new_at));
        }
        if !params.is_empty() {
            out.insert("parameters".into(), Value::Array(params));
        }
        let body: Vec<&Param> = all.iter().copied().filter(|p| p.location() == "body").collect();
        let form: Vec<&Param> = all.iter().copied().filter(|p| p.location() == "formData").collect();
        let body_at = push_pointer(at, "requestBody");
        if let Some(b) = body.first() {
            out.insert("requestBody".into(), self.body(b, &body_at, &consumes));
        } else if !form.is_empty() {
            out.insert("requestBody".into(), self.form(&form, &body_at, at, &consumes));
        }
        let mut responses = Map::new();
        if let Some(Value::Object(src)) = op.get("responses") {
            for (code, r) in src {
                let r_at = push_pointer(&push_pointer(at, "responses"), code);
                let converted = if code.starts_with("x-") { r.clone() } else { self.response(r, &r_at, &r_at, &produces) };
                responses.insert(code.clone(), converted);
            }
        }
        out.insert("responses".into(), Value::Object(responses));
        copy_extensions(op, &mut out);
        Value::Object(out)
    }

    /// An `in: body` parameter → a request body.
    fn body(&mut self, p: &Param, at: &str, consumes: &[String]) -> Value {
        self.s.conv.map.moved(at, &p.original);
        let param = p.resolved;
        let mut out = Map::new();
        for key in ["description", "required"] {
            if let Some(v) = param.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        if let Some(name) = param.get("name") {
            out.insert("x-codegen-request-body-name".into(), name.clone());
        }
        let mut media = consumes.to_vec();
        if media.is_empty() {
            media.push("application/json".into());
        }
        let schema = param.get("schema").cloned().unwrap_or_else(|| json!({}));
        let mut content = Map::new();
        for (i, m) in media.iter().enumerate() {
            let schema_at = push_pointer(&push_pointer(&push_pointer(at, "content"), m), "schema");
            let original = push_pointer(&p.original, "schema");
            if i == 0 {
                self.s.conv.map.moved(&schema_at, &original);
            } else {
                self.s.conv.map.derived(&schema_at, &original);
            }
            let mut schema = schema.clone();
            self.s.schema(&mut schema, &schema_at, 0);
            content.insert(m.clone(), json!({ "schema": schema }));
        }
        out.insert("content".into(), Value::Object(content));
        copy_extensions(param.as_object().unwrap_or(&Map::new()), &mut out);
        Value::Object(out)
    }

    /// `in: formData` parameters → a form request body with one object schema.
    fn form(&mut self, params: &[&Param], at: &str, op_at: &str, consumes: &[String]) -> Value {
        self.s.conv.map.derived(at, &push_pointer(op_at, "parameters"));
        let has_file = params.iter().any(|p| p.resolved.get("type").and_then(Value::as_str) == Some("file"));
        let forms: Vec<String> = consumes
            .iter()
            .filter(|m| matches!(essence(m).as_str(), "multipart/form-data" | "application/x-www-form-urlencoded"))
            .filter(|m| !has_file || essence(m) == "multipart/form-data")
            .cloned()
            .collect();
        let media = if !forms.is_empty() {
            forms
        } else if has_file {
            vec!["multipart/form-data".to_string()]
        } else {
            vec!["application/x-www-form-urlencoded".to_string()]
        };
        let mut content = Map::new();
        for (i, m) in media.iter().enumerate() {
            let media_at = push_pointer(&push_pointer(at, "content"), m);
            let schema_at = push_pointer(&media_at, "schema");
            self.s.conv.map.derived(&schema_at, &push_pointer(op_at, "parameters"));
            let mut properties = Map::new();
            let mut required = Vec::new();
            let mut encoding = Map::new();
            for p in params {
                let (name, _) = p.key();
                let prop_at = push_pointer(&push_pointer(&schema_at, "properties"), &name);
                if i == 0 {
                    self.s.conv.map.moved(&prop_at, &p.original);
                } else {
                    self.s.conv.map.derived(&prop_at, &p.original);
                }
                let mut schema = value_schema(p.resolved);
                if let Some(d) = p.resolved.get("description") {
                    schema.insert("description".into(), d.clone());
                }
                let mut schema = Value::Object(schema);
                self.s.schema(&mut schema, &prop_at, 0);
                properties.insert(name.clone(), schema);
                if p.resolved.get("required") == Some(&Value::Bool(true)) {
                    required.push(Value::String(name.clone()));
                }
                if p.resolved.get("type").and_then(Value::as_str) == Some("array") {
                    let format = p.resolved.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
                    if format != "csv" && format != "multi" && i == 0 {
                        self.s.conv.warn(
                            &prop_at,
                            format!("`collectionFormat: {format}` has no OpenAPI 3.0 equivalent in a form: the items are sent comma-separated"),
                        );
                    }
                    encoding.insert(name.clone(), json!({ "style": "form", "explode": format == "multi" }));
                }
            }
            let mut schema = Map::new();
            schema.insert("type".into(), Value::String("object".into()));
            schema.insert("properties".into(), Value::Object(properties));
            if !required.is_empty() {
                schema.insert("required".into(), Value::Array(required));
            }
            let mut media_type = Map::new();
            media_type.insert("schema".into(), Value::Object(schema));
            if !encoding.is_empty() {
                media_type.insert("encoding".into(), Value::Object(encoding));
            }
            content.insert(m.clone(), Value::Object(media_type));
        }
        let mut out = Map::new();
        if params.iter().any(|p| p.resolved.get("required") == Some(&Value::Bool(true))) {
            out.insert("required".into(), Value::Bool(true));
        }
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    /// A non-body parameter → a 3.0 parameter with a `schema` and, for arrays, a style.
    fn parameter(&mut self, p: &Value, at: &str) -> Value {
        let Value::Object(param) = p else { return p.clone() };
        let mut out = Map::new();
        for key in ["name", "in", "description", "required", "allowEmptyValue", "deprecated"] {
            if let Some(v) = param.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
        let schema_at = push_pointer(at, "schema");
        let original = self.s.conv.map.original(at);
        self.s.conv.map.derived(&schema_at, &original);
        let mut schema = Value::Object(value_schema(p));
        self.s.schema(&mut schema, &schema_at, 0);
        out.insert("schema".into(), schema);
        if param.get("type").and_then(Value::as_str) == Some("array") {
            let format = param.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
            let style = match (location, format) {
                ("query", "csv") => Some(("form", false)),
                ("query", "multi") => Some(("form", true)),
                ("query", "ssv") => Some(("spaceDelimited", false)),
                ("query", "pipes") => Some(("pipeDelimited", false)),
                ("query", _) => {
                    self.s.conv.warn(at, format!("`collectionFormat: {format}` has no OpenAPI 3.0 equivalent: the items are sent comma-separated"));
                    Some(("form", false))
                }
                (_, "csv") => Some(("simple", false)),
                _ => {
                    self.s.conv.warn(
                        at,
                        format!("`collectionFormat: {format}` has no OpenAPI 3.0 equivalent in the {location}: the items are sent comma-separated"),
                    );
                    Some(("simple", false))
                }
            };
            if let Some((style, explode)) = style {
                out.insert("style".into(), Value::String(style.into()));
                out.insert("explode".into(), Value::Bool(explode));
            }
        }
        copy_extensions(param, &mut out);
        Value::Object(out)
    }

    /// A response: `schema` → `content` per produced media type, headers with schemas.
    fn response(&mut self, r: &Value, at: &str, original: &str, produces: &[String]) -> Value {
        let Value::Object(src) = r else { return r.clone() };
        if src.contains_key("$ref") {
            return r.clone();
        }
        let mut out = Map::new();
        out.insert("description".into(), src.get("description").cloned().unwrap_or_else(|| Value::String(String::new())));
        if let Some(Value::Object(headers)) = src.get("headers") {
            let mut out_headers = Map::new();
            for (name, h) in headers {
                let h_at = push_pointer(&push_pointer(at, "headers"), name);
                let schema_at = push_pointer(&h_at, "schema");
                self.s.conv.map.derived(&schema_at, &push_pointer(&push_pointer(original, "headers"), name));
                let mut header = Map::new();
                if let Some(d) = h.get("description") {
                    header.insert("description".into(), d.clone());
                }
                let mut schema = Value::Object(value_schema(h));
                self.s.schema(&mut schema, &schema_at, 0);
                header.insert("schema".into(), schema);
                if let Value::Object(h) = h {
                    copy_extensions(h, &mut header);
                }
                out_headers.insert(name.clone(), Value::Object(header));
            }
            out.insert("headers".into(), Value::Object(out_headers));
        }
        if let Some(schema) = src.get("schema") {
            let file = schema.get("type").and_then(Value::as_str) == Some("file");
            let mut media = produces.to_vec();
            if file {
                // A file is not JSON, whatever the global `produces` says.
                media.retain(|m| !essence(m).ends_with("json"));
            }
            if media.is_empty() {
                media.push(if file { "application/octet-stream" } else { "application/json" }.into());
            }
            let examples = src.get("examples").and_then(Value::as_object);
            let mut content = Map::new();
            for (i, m) in media.iter().enumerate() {
                let schema_at = push_pointer(&push_pointer(&push_pointer(at, "content"), m), "schema");
                if i == 0 {
                    self.s.conv.map.moved(&schema_at, &push_pointer(original, "schema"));
                } else {
                    self.s.conv.map.derived(&schema_at, &push_pointer(original, "schema"));
                }
                let mut schema = schema.clone();
                self.s.schema(&mut schema, &schema_at, 0);
                let mut media_type = Map::new();
                media_type.insert("schema".into(), schema);
                if let Some(example) = examples.and_then(|e| e.get(m)) {
                    media_type.insert("example".into(), example.clone());
                }
                content.insert(m.clone(), Value::Object(media_type));
            }
            out.insert("content".into(), Value::Object(content));
        }
        copy_extensions(src, &mut out);
        Value::Object(out)
    }

    fn security_scheme(&mut self, d: &Value, at: &str) -> Value {
        let Value::Object(src) = d else { return d.clone() };
        let mut out = Map::new();
        match src.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), Value::String("http".into()));
                out.insert("scheme".into(), Value::String("basic".into()));
            }
            Some("apiKey") => {
                for key in ["type", "name", "in"] {
                    if let Some(v) = src.get(key) {
                        out.insert(key.into(), v.clone());
                    }
                }
            }
            Some("oauth2") => {
                let flow = src.get("flow").and_then(Value::as_str).unwrap_or_default();
                let (name, urls): (&str, &[&str]) = match flow {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => return d.clone(), // not a 2.0 flow: reported when the document is read
                };
                let mut f = Map::new();
                for url in urls {
                    match src.get(*url) {
                        Some(v) => {
                            f.insert((*url).into(), v.clone());
                        }
                        None => {
                            self.s.conv.warn(at, format!("the `{flow}` flow has no `{url}`"));
                            f.insert((*url).into(), Value::String(String::new()));
                        }
                    }
                }
                f.insert("scopes".into(), src.get("scopes").filter(|s| s.is_object()).cloned().unwrap_or_else(|| json!({})));
                out.insert("type".into(), Value::String("oauth2".into()));
                out.insert("flows".into(), json!({ name: Value::Object(f) }));
            }
            _ => return d.clone(),
        }
        if let Some(v) = src.get("description") {
            out.insert("description".into(), v.clone());
        }
        copy_extensions(src, &mut out);
        Value::Object(out)
    }
}

/// The schema of a non-body parameter, an items object or a header: its value keywords (the
/// items' too, without their `collectionFormat`).
fn value_schema(p: &Value) -> Map<String, Value> {
    let mut schema = Map::new();
    let Value::Object(p) = p else { return schema };
    for key in VALUE_KEYWORDS {
        if let Some(v) = p.get(*key) {
            let v = if *key == "items" { Value::Object(value_schema(v)) } else { v.clone() };
            schema.insert((*key).into(), v);
        }
    }
    if let Some(Value::String(r)) = p.get("$ref") {
        // An items object may be a schema reference.
        schema.insert("$ref".into(), Value::String(r.clone()));
    }
    schema
}
