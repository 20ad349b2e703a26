//! `corpus-roundtrip-gen JOBS.json`: for each job (a spec and the directory of its generated
//! crate in the scratch workspace), generates the crate's `src/lib.rs` with the `generator`
//! library (as `generator --spec` does) and writes
//!
//! - `tests/roundtrip.rs`: one `#[test]` per example the spec gives for a type, calling
//!   `corpus_roundtrip::check::<Type>(example, pattern)` (no file when there is none);
//! - `roundtrip.json`: what each test checks (kind, place, pointers, Rust type, the example);
//! - `converted.json`: the OpenAPI 3.0 document the generator read (Swagger 2.0 and OpenAPI 3.1
//!   are converted on load), against which `run.py` validates the examples.
//!
//! Examples taken (all from the document the generator read, except schema `examples` arrays
//! of OpenAPI 3.1, which the converter reduces to their first item and which are read from
//! the document as written):
//!
//! - schema `example` (3.1: every item of `examples`, and `example`) of every schema that
//!   became a named type (component or inline), decoded into that type;
//! - media-type `example` and `examples.*.value` (`$ref`s to `components/examples` followed) of
//!   JSON request and response bodies, decoded into the body's type (the media type the
//!   generator chose, and the other JSON ones with the same schema); and the schema-level
//!   examples of their schema when it is inline and anonymous (`type: array`, …);
//! - parameter `example` / `examples.*.value` (and inline schema examples) of parameters whose
//!   type contains a model.
//!
//! The pattern each encoding must match (see `corpus-roundtrip`) is the example, walked along
//! its type: members no field declares (and no `additionalProperties`) are dropped, as the
//! generated struct does; `null` for an optional nullable field is dropped (it decodes to
//! `None`, which is not encoded); an optional field absent from the example may come back
//! with its `default`; unions accept what any alternative accepts; date-times compare as
//! instants, `float`s at `f32` precision, case-insensitive enums without case.
//!
//! With `"models_only": true` a job writes the models alone (`Options { client: false, server:
//! false }`): the harness uses that for the round trips of crates whose client or server does not
//! compile (the types are the same).
//!
//! Prints one JSON line per job: `{"dir", "ok", "examples", "written", "error"?, …}`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use generator::ir::{Api, BodyKind, Operation, Prim, StatusMatch, TypeKind, TypeRef};
use generator::load::{self, SourceVersion};
use generator::Options;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::{json, Map, Value};

/// Examples larger than this (JSON text) are left out.
const MAX_EXAMPLE_BYTES: usize = 100_000;
/// Patterns larger than this (nested unions) fall back to plain JSON equality.
const MAX_PATTERN_NODES: usize = 200_000;

struct Example {
    kind: &'static str,
    place: String,
    /// Where the example is: in the document as written for OpenAPI 3.1 schema `examples`,
    /// else in the converted document.
    example_pointer: String,
    /// The schema it should be valid against, in the converted document and as written.
    schema_pointer: String,
    original_schema_pointer: String,
    ty: TypeRef,
    optional: bool,
    value: Value,
}

struct Job {
    spec: PathBuf,
    display: String,
    dir: PathBuf,
    krate: String,
    max_examples: usize,
    /// Models only (no `client`, no `server`): round trips of a crate whose client or server
    /// does not compile.
    models_only: bool,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(jobs_path) = args.get(1) else {
        eprintln!("usage: corpus-roundtrip-gen JOBS.json");
        std::process::exit(2);
    };
    let jobs: Value = serde_json::from_str(&fs::read_to_string(jobs_path).expect("read jobs")).expect("jobs JSON");
    for j in jobs.as_array().expect("a list of jobs") {
        let job = Job {
            spec: PathBuf::from(j["spec"].as_str().expect("spec")),
            display: j["display"].as_str().expect("display").to_string(),
            dir: PathBuf::from(j["dir"].as_str().expect("dir")),
            krate: j["krate"].as_str().expect("krate").to_string(),
            max_examples: j["max_examples"].as_u64().unwrap_or(500) as usize,
            models_only: j["models_only"].as_bool().unwrap_or(false),
        };
        let result = std::panic::catch_unwind(|| run(&job)).unwrap_or_else(|p| {
            let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            json!({"ok": false, "error": format!("panic: {msg}")})
        });
        let mut line = json!({"dir": job.dir.display().to_string()});
        if let (Value::Object(a), Value::Object(b)) = (&mut line, result) {
            a.extend(b);
        }
        println!("{line}");
    }
}

fn run(job: &Job) -> Value {
    let text = match fs::read_to_string(&job.spec) {
        Ok(t) => t,
        Err(e) => return json!({"ok": false, "error": format!("cannot read: {e}")}),
    };
    let options = if job.models_only { Options { client: false, server: false } } else { Options::default() };
    let generated = match generator::generate(&job.display, &text, options) {
        Ok(g) => g,
        Err(d) => return json!({"ok": false, "error": format!("generation failed: {d}")}),
    };
    let lib = match generator::render::module_file(&generated.api, &generated.items, &job.display) {
        Ok(l) => l,
        Err(d) => return json!({"ok": false, "error": format!("rendering failed: {d}")}),
    };
    let doc = match load::load(&job.display, &text) {
        Ok(d) => d,
        Err(d) => return json!({"ok": false, "error": format!("loading failed: {d}")}),
    };
    let original = (doc.source == SourceVersion::OpenApi31).then(|| parse_original(&job.spec, &text)).flatten();
    let mut collector = Collector { api: &generated.api, doc: &doc, original: original.as_ref(), seen: BTreeSet::new(), out: Vec::new(), too_large: 0 };
    collector.collect();
    let Collector { out: examples, too_large, .. } = collector;
    let found = examples.len();

    fs::create_dir_all(job.dir.join("src")).expect("mkdir src");
    // Models alone may leave the root's imports unused (they serve the client and server):
    // warnings are not what this crate is checked for (its full version was).
    let lib = if job.models_only { format!("#![allow(warnings)] // models only, for the round trips\n{lib}") } else { lib };
    write_if_changed(&job.dir.join("src/lib.rs"), &lib);
    fs::write(job.dir.join("converted.json"), serde_json::to_string(&doc.raw).expect("JSON")).expect("write converted.json");
    let tests_dir = job.dir.join("tests");

    let krate = Ident::new(&job.krate, Span::call_site());
    let mut manifest = Vec::new();
    let mut tests = Vec::new();
    let mut fallback_patterns = 0;
    let mut dropped_examples = 0;
    for (i, ex) in examples.iter().take(job.max_examples).enumerate() {
        let name = format!("{}_{:04}_{}", job.krate, i + 1, slug(&ex.place));
        let mut nodes = 0;
        let mut dropped = 0;
        let mut pattern = Pattern { api: &generated.api, nodes: &mut nodes, dropped: &mut dropped }.of(&ex.ty, &ex.value, ex.optional, 0);
        if nodes > MAX_PATTERN_NODES {
            pattern = json!({"$rt": "json", "v": ex.value});
            fallback_patterns += 1;
        }
        if dropped > 0 {
            dropped_examples += 1;
        }
        let ty = rust_type(&ex.ty, &krate);
        let ty = if ex.optional { quote! { ::std::option::Option<#ty> } } else { ty };
        let fn_name = Ident::new(&name, Span::call_site());
        let input = serde_json::to_string(&ex.value).expect("JSON");
        let pattern_text = serde_json::to_string(&pattern).expect("JSON");
        tests.push(quote! {
            #[test]
            fn #fn_name() {
                ::corpus_roundtrip::check::<#ty>(#input, #pattern_text);
            }
        });
        manifest.push(json!({
            "test": name,
            "kind": ex.kind,
            "place": ex.place,
            "example_pointer": ex.example_pointer,
            "schema_pointer": ex.schema_pointer,
            "original_schema_pointer": ex.original_schema_pointer,
            "rust_type": ty.to_string().replace(' ', ""),
            "undeclared_members_dropped": dropped,
            "value": ex.value,
        }));
    }
    if !tests.is_empty() {
        let file = quote! {
            //! Round-trip tests of the spec's examples, written by `corpus-roundtrip-gen`.
            #![allow(non_snake_case)]
            #(#tests)*
        };
        let text = match syn::parse2::<syn::File>(file.clone()) {
            Ok(f) => prettyplease::unparse(&f),
            Err(_) => file.to_string(),
        };
        fs::create_dir_all(&tests_dir).expect("mkdir tests");
        write_if_changed(&tests_dir.join("roundtrip.rs"), &format!("// @generated by corpus-roundtrip-gen from `{}`.\n{text}", job.display));
    } else {
        let _ = fs::remove_dir_all(&tests_dir);
    }
    let source = match doc.source {
        SourceVersion::Swagger2 => "swagger-2.0",
        SourceVersion::OpenApi30 => "openapi-3.0",
        SourceVersion::OpenApi31 => "openapi-3.1",
    };
    let manifest = json!({
        "spec": job.spec.display().to_string(),
        "display": job.display,
        "source_version": source,
        "original_parsed": original.is_some(),
        "examples_found": found,
        "examples_written": manifest.len(),
        "examples_too_large": too_large,
        "fallback_patterns": fallback_patterns,
        "examples": manifest,
    });
    fs::write(job.dir.join("roundtrip.json"), serde_json::to_string(&manifest).expect("JSON")).expect("write roundtrip.json");
    json!({"ok": true, "examples": found, "written": tests.len(), "too_large": too_large,
           "with_undeclared_members": dropped_examples, "source_version": source})
}

/// Writes `text` unless the file already holds it (so that cargo does not rebuild the crate).
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

/// The document as written (OpenAPI 3.1 only: its schema `examples` arrays).
fn parse_original(path: &Path, text: &str) -> Option<Value> {
    let text = text.trim_start_matches('\u{feff}');
    let is_json = path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    if is_json {
        return serde_json::from_str(text).ok();
    }
    let docs = yaml_rust2::YamlLoader::load_from_str(text).ok()?;
    docs.first().map(yaml_to_json)
}

fn yaml_to_json(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Real(s) => s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or_else(|| Value::String(s.clone())),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    out.chars().take(40).collect::<String>().trim_end_matches('_').to_string()
}

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust spelling of a type, from the test crate (as the generator's `rust_type`).
fn rust_type(ty: &TypeRef, krate: &Ident) -> TokenStream {
    match ty {
        TypeRef::Named(n) => {
            let n = ident(n);
            quote! { ::#krate::#n }
        }
        TypeRef::Prim(p) => match p {
            Prim::String => quote! { String },
            Prim::DateTime => quote! { ::oauth_api::__private::chrono::DateTime<::oauth_api::__private::chrono::Utc> },
            Prim::Date => quote! { ::oauth_api::__private::chrono::NaiveDate },
            Prim::Binary => quote! { Vec<u8> },
            Prim::Bool => quote! { bool },
            Prim::I32 => quote! { i32 },
            Prim::I64 => quote! { i64 },
            Prim::U32 => quote! { u32 },
            Prim::U64 => quote! { u64 },
            Prim::F32 => quote! { f32 },
            Prim::F64 => quote! { f64 },
        },
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, krate);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, krate);
            quote! { ::std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Any => quote! { ::oauth_api::__private::serde_json::Value },
    }
}

fn has_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(t) | TypeRef::Map(t) => has_model(t),
        _ => false,
    }
}

fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// The node at a JSON pointer (not percent-decoded).
fn at<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(doc);
    }
    let mut node = doc;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn is_json_media(mt: &str) -> bool {
    let mt = mt.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mt == "application/json" || mt.ends_with("+json") || mt.ends_with("/json") || mt == "*/*"
}

struct Collector<'a> {
    api: &'a Api,
    doc: &'a load::Document,
    original: Option<&'a Value>,
    seen: BTreeSet<String>,
    out: Vec<Example>,
    too_large: usize,
}

impl Collector<'_> {
    fn collect(&mut self) {
        let typed: BTreeSet<&str> = self.api.types.values().map(|t| t.pointer.as_str()).collect();
        for t in self.api.types.values() {
            self.schema_examples(&t.pointer, &TypeRef::Named(t.name.clone()), &format!("schema {}", t.name));
        }
        for op in &self.api.operations {
            self.operation(op, &typed);
        }
    }

    /// `(pointer, node)` of a raw node, following `$ref`s (a few levels).
    fn deref(&self, pointer: &str) -> Option<(String, &Value)> {
        let mut pointer = pointer.to_string();
        for _ in 0..8 {
            let node = at(&self.doc.raw, &pointer)?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => pointer = self.doc.resolve_raw(r).ok()?.0,
                None => return Some((pointer, node)),
            }
        }
        None
    }

    fn nullable(&self, schema_pointer: &str) -> bool {
        let direct = at(&self.doc.raw, schema_pointer).and_then(|s| s.get("nullable")).and_then(Value::as_bool) == Some(true);
        direct || self.deref(schema_pointer).and_then(|(_, s)| s.get("nullable")?.as_bool()) == Some(true)
    }

    fn add(&mut self, kind: &'static str, place: String, example_pointer: String, schema_pointer: &str, ty: &TypeRef, value: Value) {
        if !self.seen.insert(example_pointer.clone()) {
            return;
        }
        if serde_json::to_string(&value).map(|s| s.len()).unwrap_or(0) > MAX_EXAMPLE_BYTES {
            self.too_large += 1;
            return;
        }
        let optional = value.is_null() && self.nullable(schema_pointer);
        self.out.push(Example {
            kind,
            place,
            example_pointer,
            schema_pointer: schema_pointer.to_string(),
            original_schema_pointer: self.doc.map.original(schema_pointer),
            ty: ty.clone(),
            optional,
            value,
        });
    }

    /// Schema-level examples of the schema at `pointer` (converted document).
    fn schema_examples(&mut self, pointer: &str, ty: &TypeRef, place: &str) {
        if let Some(original) = self.original {
            let op = self.doc.map.original(pointer);
            if let Some(node) = at(original, &op).filter(|n| n.is_object()) {
                if let Some(Value::Array(items)) = node.get("examples") {
                    for (i, v) in items.iter().enumerate() {
                        self.add("schema", format!("{place} examples[{i}]"), push(&push(&op, "examples"), &i.to_string()), pointer, ty, v.clone());
                    }
                }
                if let Some(v) = node.get("example") {
                    self.add("schema", format!("{place} example"), push(&op, "example"), pointer, ty, v.clone());
                }
                return;
            }
        }
        if let Some(v) = at(&self.doc.raw, pointer).and_then(|n| n.get("example")) {
            self.add("schema", format!("{place} example"), push(pointer, "example"), pointer, ty, v.clone());
        }
    }

    /// `example` and `examples.*.value` of a media type or parameter object at `pointer`.
    fn object_examples(&mut self, kind: &'static str, pointer: &str, schema_pointer: &str, ty: &TypeRef, place: &str, typed: &BTreeSet<&str>) {
        let Some(node) = at(&self.doc.raw, pointer) else { return };
        if let Some(v) = node.get("example") {
            self.add(kind, format!("{place} example"), push(pointer, "example"), schema_pointer, ty, v.clone());
        }
        if let Some(Value::Object(examples)) = node.get("examples") {
            let names: Vec<String> = examples.keys().cloned().collect();
            for name in names {
                let Some((ex_pointer, ex)) = self.deref(&push(&push(pointer, "examples"), &name)) else { continue };
                if let Some(v) = ex.get("value") {
                    let v = v.clone();
                    self.add(kind, format!("{place} examples.{name}"), push(&ex_pointer, "value"), schema_pointer, ty, v);
                }
            }
        }
        // The schema's own examples, when it is inline and no named type covers it.
        if let Some(schema) = node.get("schema") {
            if schema.get("$ref").is_none() && !typed.contains(schema_pointer) {
                self.schema_examples(schema_pointer, ty, &format!("{place} schema"));
            }
        }
    }

    /// The JSON media types of a `content` map whose examples the generated type is for: the
    /// one the generator chose, and the others with the same schema.
    fn media_types(&self, content: Option<&Value>, chosen: &str) -> Vec<String> {
        let Some(content) = content.and_then(Value::as_object) else { return Vec::new() };
        let schema_of = |mt: &str| content.get(mt).and_then(|m| m.get("schema")).cloned();
        let chosen_schema = schema_of(chosen);
        content.keys().filter(|m| *m == chosen || (is_json_media(m) && schema_of(m) == chosen_schema)).cloned().collect()
    }

    fn operation(&mut self, op: &Operation, typed: &BTreeSet<&str>) {
        let label = format!("{} {}", op.method.as_str(), op.path.raw);
        if let Some(body) = op.body.as_ref().filter(|b| b.kind == BodyKind::Json) {
            if let Some((rb, node)) = self.deref(&push(&op.pointer, "requestBody")) {
                let media = self.media_types(node.get("content"), &body.media_type);
                for mt in &media {
                    let mp = push(&push(&rb, "content"), mt);
                    self.object_examples("request", &mp, &push(&mp, "schema"), &body.ty, &format!("{label} request {mt}"), typed);
                }
            }
        }
        let responses: Vec<(String, Value)> = at(&self.doc.raw, &push(&op.pointer, "responses"))
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        for r in &op.responses {
            let Some(body) = r.body.as_ref().filter(|b| b.kind == BodyKind::Json) else { continue };
            let key = responses.iter().map(|(k, _)| k).find(|k| match r.status {
                StatusMatch::Code(c) => k.trim() == c.to_string(),
                StatusMatch::Range(d) => k.trim().eq_ignore_ascii_case(&format!("{d}XX")),
                StatusMatch::Default => k.trim() == "default",
            });
            let Some(key) = key else { continue };
            let Some((rp, node)) = self.deref(&push(&push(&op.pointer, "responses"), key)) else { continue };
            let media = self.media_types(node.get("content"), &body.media_type);
            for mt in &media {
                let mp = push(&push(&rp, "content"), mt);
                self.object_examples("response", &mp, &push(&mp, "schema"), &body.ty, &format!("{label} response {} {mt}", r.status.label()), typed);
            }
        }
        // Parameters whose type holds a model: at the operation, then at its path item.
        let path_item = op.pointer.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default();
        for p in op.params.iter().filter(|p| has_model(&p.ty)) {
            let location = format!("{:?}", p.location).to_ascii_lowercase();
            let mut found = None;
            for owner in [&op.pointer, &path_item] {
                let list = push(owner, "parameters");
                let n = at(&self.doc.raw, &list).and_then(Value::as_array).map(Vec::len).unwrap_or(0);
                for i in 0..n {
                    if let Some((pp, node)) = self.deref(&push(&list, &i.to_string())) {
                        if node.get("name").and_then(Value::as_str) == Some(&p.wire_name) && node.get("in").and_then(Value::as_str) == Some(&location) {
                            found = Some(pp);
                            break;
                        }
                    }
                }
                if found.is_some() {
                    break;
                }
            }
            if let Some(pp) = found {
                self.object_examples("parameter", &pp, &push(&pp, "schema"), &p.ty, &format!("{label} parameter {}", p.wire_name), typed);
            }
        }
    }
}

/// The pattern an encoding of `value` (decoded as `ty`) must match.
struct Pattern<'a> {
    api: &'a Api,
    nodes: &'a mut usize,
    /// Members dropped because no field declares them.
    dropped: &'a mut usize,
}

impl Pattern<'_> {
    fn of(&mut self, ty: &TypeRef, value: &Value, optional: bool, depth: usize) -> Value {
        *self.nodes += 1;
        if (optional && value.is_null()) || depth > 200 || *self.nodes > MAX_PATTERN_NODES {
            return exact(value);
        }
        match ty {
            TypeRef::Any | TypeRef::Prim(Prim::Binary) => exact(value),
            TypeRef::Prim(Prim::DateTime) if value.is_string() => json!({"$rt": "dt", "v": value}),
            TypeRef::Prim(Prim::F32) if value.is_number() => json!({"$rt": "f32", "v": value}),
            TypeRef::Prim(_) => exact(value),
            TypeRef::Array(inner) => match value {
                Value::Array(items) => json!({"$rt": "arr", "i": items.iter().map(|v| self.of(inner, v, false, depth + 1)).collect::<Vec<_>>()}),
                _ => exact(value),
            },
            TypeRef::Map(inner) => match value {
                Value::Object(m) => {
                    let members: Map<String, Value> = m.iter().map(|(k, v)| (k.clone(), self.of(inner, v, false, depth + 1))).collect();
                    json!({"$rt": "obj", "m": members, "may": {}})
                }
                _ => exact(value),
            },
            TypeRef::Named(n) => {
                let Some(def) = self.api.types.get(n) else { return exact(value) };
                match &def.kind {
                    TypeKind::Alias { target } => self.of(target, value, false, depth + 1),
                    TypeKind::Enum { case_insensitive: true, .. } if value.is_string() => json!({"$rt": "ci", "v": value}),
                    TypeKind::Enum { .. } => exact(value),
                    TypeKind::Union { variants, .. } => {
                        let alts: Vec<Value> = variants.iter().map(|v| self.of(&v.ty, value, false, depth + 1)).collect();
                        json!({"$rt": "alt", "a": alts})
                    }
                    TypeKind::Struct { fields, additional } => {
                        let Value::Object(m) = value else { return exact(value) };
                        let mut members = Map::new();
                        for (k, v) in m {
                            if let Some(f) = fields.iter().find(|f| &f.wire_name == k) {
                                if v.is_null() && !f.required && f.nullable {
                                    continue; // `None`: not encoded
                                }
                                let inner = self.of(&f.ty, v, f.nullable || !f.required, depth + 1);
                                members.insert(k.clone(), inner);
                            } else if let Some(t) = additional {
                                members.insert(k.clone(), self.of(t, v, false, depth + 1));
                            } else {
                                *self.dropped += 1;
                            }
                        }
                        let may: Map<String, Value> = fields
                            .iter()
                            .filter(|f| !f.required && !m.contains_key(&f.wire_name))
                            .filter_map(|f| Some((f.wire_name.clone(), f.default.clone()?)))
                            .collect();
                        json!({"$rt": "obj", "m": members, "may": may})
                    }
                }
            }
        }
    }
}

/// A pattern that matches `value` itself (numbers numerically, objects as maps).
fn exact(value: &Value) -> Value {
    match value {
        Value::Object(_) | Value::Array(_) => json!({"$rt": "json", "v": value}),
        other => other.clone(),
    }
}
