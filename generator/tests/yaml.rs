//! YAML as libyaml (and so PyYAML) accepts it, as real specs are written: one test per case,
//! each loading a small OpenAPI document through the public loader. Diagnostics keep their
//! line:column; the alias-bomb and nesting limits are tested in `diagnostics.rs`
//! (`former_crashes_and_corpus_repros`) and in the loader's unit tests.

use generator::load::{load, Document};
use serde_json::json;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

fn doc(body: &str) -> Document {
    let text = format!("{HEAD}{body}");
    load("y.yaml", &text).unwrap_or_else(|d| panic!("{d}\n---\n{text}"))
}

fn x(body: &str) -> serde_json::Value {
    doc(body).raw["x-v"].clone()
}

#[test]
fn flow_mapping_closed_at_the_parent_key_indentation() {
    // The Apache Polaris spec: the closing brace sits at the indentation of `ex:`'s parent.
    assert_eq!(x("x-v:\n  ex: {\n    \"b\": \"ab\"\n  }\n"), json!({"ex": {"b": "ab"}}));
    assert_eq!(x("x-v:\n  a:\n    b: {\n  c: 1\n}\n"), json!({"a": {"b": {"c": 1}}}));
}

#[test]
fn flow_content_indented_less_than_its_key() {
    assert_eq!(x("x-v:\n  b: [\n1, 2]\n"), json!({"b": [1, 2]}));
    assert_eq!(x("x-v:\n  b: [\n {\n c: 1\n }\n]\n"), json!({"b": [{"c": 1}]}));
    assert_eq!(x("x-v:\n  - [\n 1]\n"), json!([[1]]));
}

#[test]
fn quoted_scalars_continued_at_a_lower_indentation() {
    assert_eq!(x("x-v:\n  b: \"one\ntwo\"\n"), json!({"b": "one two"}));
    assert_eq!(x("x-v:\n  b: 'one\n two'\n"), json!({"b": "one two"}));
    assert_eq!(x("x-v: \"one\n\ttwo\"\n"), json!("one two"));
}

#[test]
fn tabs_after_colons_and_inside_flow_collections() {
    assert_eq!(x("x-v:\t1\n"), json!(1));
    assert_eq!(x("x-v: {a:\t1,\tb: 2}\n"), json!({"a": 1, "b": 2}));
    assert_eq!(x("x-v: [\n\t1,\n\t2\n]\n"), json!([1, 2]));
    assert_eq!(x("x-v: 1\t# comment\n"), json!(1));
}

#[test]
fn yaml_1_1_boolean_words() {
    // Keys stay strings (`on:` is the key "on", not `true`); so do values in general.
    assert_eq!(x("x-v:\n  on: 1\n  yes: 2\n  off: no\n"), json!({"on": 1, "yes": 2, "off": "no"}));
    // Where OpenAPI wants a boolean, `yes`/`no`/`on`/`off` are booleans, as PyYAML reads them.
    let d = doc("components:\n  parameters:\n    q:\n      name: q\n      in: query\n      required: yes\n      deprecated: Off\n      schema: {type: string, nullable: YES}\n      x-quoted: 'yes'\n");
    let q = &d.raw["components"]["parameters"]["q"];
    assert_eq!((&q["required"], &q["deprecated"], &q["schema"]["nullable"], &q["x-quoted"]), (&json!(true), &json!(false), &json!(true), &json!("yes")));
}

#[test]
fn merge_keys() {
    let v = x("x-base: &base {a: 1, b: 1}\nx-v:\n  <<: *base\n  b: 2\n  c: 3\n");
    assert_eq!(v, json!({"a": 1, "b": 2, "c": 3}));
    // A list of mappings: the earlier one wins.
    let v = x("x-a: &a {k: a, x: 1}\nx-b: &b {k: b, y: 2}\nx-v:\n  <<: [*a, *b]\n");
    assert_eq!(v["k"], "a");
    assert_eq!((&v["x"], &v["y"]), (&json!(1), &json!(2)));
    // A quoted `<<` is a plain key.
    assert_eq!(x("x-v:\n  '<<': {a: 1}\n"), json!({"<<": {"a": 1}}));
    // Merged into a schema that lowers.
    let text = format!("{HEAD}components:\n  schemas:\n    Base: &base\n      type: object\n      properties:\n        id: {{type: string}}\n    Thing:\n      <<: *base\n      description: A thing.\n");
    let g = generator::generate("y.yaml", &text, generator::Options::default()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(g.api.types["Thing"].doc.as_deref(), Some("A thing."));
}

#[test]
fn document_markers_directives_and_streams() {
    let d = load("y.yaml", &format!("%YAML 1.1\n---\n{HEAD}x-v: 1\n...\n")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(d.raw["x-v"], 1);
    assert!(d.warnings.is_empty());
    // Several documents: the first is read, with a warning.
    let d = load("y.yaml", &format!("---\n{HEAD}x-v: 1\n---\nother: 2\n")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(d.raw["x-v"], 1);
    assert!(d.raw.get("other").is_none());
    let w: Vec<String> = d.warnings.iter().map(|w| w.as_warning().to_string()).collect();
    assert_eq!(w, ["y.yaml:2:1: warning at #/: the YAML stream has 2 documents: only the first is read"]);
}

#[test]
fn standard_tags() {
    let v = x("x-v:\n  bin: !!binary |\n    R0lGODlh\n    AQABAAAA\n  str: !!str 12\n  int: !!int '7'\n  float: !!float '1'\n  bool: !!bool 'true'\n  null: !!null ''\n  verbatim: !<tag:yaml.org,2002:str> 3\n  custom: !thing value\n");
    assert_eq!(
        v,
        json!({"bin": "R0lGODlhAQABAAAA", "str": "12", "int": 7, "float": 1.0, "bool": true, "null": null, "verbatim": "3", "custom": "value"})
    );
}

#[test]
fn crlf_line_ends_and_byte_order_mark() {
    let text = format!("\u{feff}{}x-v:\r\n  a: 1\r\n", HEAD.replace('\n', "\r\n"));
    let d = load("y.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(d.raw["x-v"], json!({"a": 1}));
}

#[test]
fn positions_stay_right_around_the_lenient_constructs() {
    let text = format!("{HEAD}x-e:\n  ex: {{\n    \"b\": \"ab\"\n  }}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Nope'}}\n");
    let err = generator::generate("y.yaml", &text, generator::Options::default()).err().expect("dangling ref").to_string();
    assert_eq!(err, "y.yaml:13:13: error at #/components/schemas/A/properties/b/$ref: `$ref` `#/components/schemas/Nope` points at nothing");
}

#[test]
fn what_libyaml_refuses_is_still_refused_with_a_position() {
    for (text, line) in [("x-v:\n\tb: 1\n", 5), ("x-v: [1, 2]]\n", 4), ("x-v: @a\n", 4), ("x-v: 1\n... x\n", 5)] {
        let err = load("y.yaml", &format!("{HEAD}{text}")).err().unwrap_or_else(|| panic!("{text:?} loaded")).to_string();
        assert!(err.starts_with(&format!("y.yaml:{line}:")) && err.contains("invalid YAML"), "{text:?}: {err}");
    }
}
