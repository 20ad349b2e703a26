//! Bad specs get clear errors (file, JSON pointer, line:column), all of them at once, never a
//! panic; and the command line reports them with exit status 1.

use std::process::Command;

fn errors(text: &str) -> Vec<String> {
    match generator::generate("bad.yaml", text, generator::Options::default()) {
        Ok(_) => panic!("expected diagnostics"),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn invalid_yaml_has_position() {
    let e = errors("openapi: 3.0.3\ninfo:\n  title: [unclosed\n");
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("bad.yaml:"), "{e:?}");
    assert!(e[0].contains("invalid YAML"), "{e:?}");
}

#[test]
fn dangling_refs_are_all_reported_with_pointer_and_position() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Nope'}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    let e = errors(&text);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e.iter().any(|l| l == "bad.yaml:11:24: error at #/paths/~1a/get/responses/200/content/application~1json/schema/$ref: `$ref` `#/components/schemas/Nope` points at nothing"),
        "{e:#?}"
    );
    assert!(e.iter().any(|l| l.contains("#/components/schemas/A/properties/b/$ref") && l.contains("`#/components/schemas/Missing` points at nothing")), "{e:#?}");
}

#[test]
fn unsupported_constructs_name_themselves() {
    let text = format!(
        "{HEAD}paths:\n  /a/{{id:\n    get:\n      responses: {{'200': {{description: ok}}}}\n  /b:\n    get:\n      security: [{{nope: []}}]\n      responses: {{'600': {{description: odd}}, '200': {{description: ok}}}}\n"
    );
    let e = errors(&text);
    assert_eq!(
        e,
        [
            "bad.yaml:5:5: error at #/paths/~1a~1{id/get: path template `/a/{id` has unbalanced braces",
            "bad.yaml:10:19: error at #/paths/~1b/get/responses/600: not an HTTP status code or range",
        ]
    );
}

#[test]
fn an_unknown_security_scheme_is_a_warning() {
    let text = format!("{HEAD}paths:
  /b:
    get:
      security: [{{nope: []}}]
      responses: {{'200': {{description: ok}}}}
");
    let generated = generator::generate("bad.yaml", &text, generator::Options::default()).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.as_warning().to_string()).collect();
    assert_eq!(warnings, ["bad.yaml:6:7: warning at #/paths/~1b/get/security: unknown security scheme `nope`: this requirement is left out"]);
    assert_eq!(generated.api.operations[0].security, [Vec::new()], "the requirement is left out, not the operation");
}

#[test]
fn wrong_shapes_point_at_the_node() {
    let text = format!("{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200': 7\n");
    let e = errors(&text);
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("bad.yaml:7:9: error at #/paths/~1a/get/responses/200:"), "{e:?}");
}

#[test]
fn external_refs_and_other_versions_are_refused() {
    let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'other.yaml#/A'}}\n");
    let e = errors(&text);
    assert!(e[0].contains("external `$ref` `other.yaml#/A` is not supported"), "{e:?}");
    let e = errors("swagger: '1.2'\ninfo: {title: t, version: '1'}\n");
    assert!(e[0].contains("Swagger 1.2 is not supported"), "{e:?}");
    let e = errors("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n");
    assert!(e[0].contains("OpenAPI 4.0.0 is not supported"), "{e:?}");
}

#[test]
fn json_specs_have_positions_too() {
    let e = match generator::generate("bad.json", "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": {\"responses\": 3}}}}", generator::Options::default()) {
        Err(d) => d.to_string(),
        Ok(_) => panic!("expected an error"),
    };
    assert!(e.starts_with("bad.json:1:"), "{e}");
    assert!(e.contains("#/paths/~1a/get/responses"), "{e}");
}

fn generator_cmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_generator"))
}

#[test]
fn cli_reports_one_line_per_problem_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("generator-diag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let spec = dir.join("bad.yaml");
    std::fs::write(&spec, format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/x'}}\n    B: {{$ref: '#/y'}}\n")).expect("write");
    let out = generator_cmd().args(["--spec"]).arg(&spec).arg("--out").arg(dir.join("out")).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(stderr.lines().all(|l| l.contains("bad.yaml:") && l.contains("points at nothing")), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let missing = generator_cmd().args(["--spec", "/nonexistent/spec.yaml", "--out"]).arg(dir.join("out")).output().expect("runs");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("/nonexistent/spec.yaml: error: cannot read the spec"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_check_names_stale_files() {
    let root = std::env::temp_dir().join(format!("generator-check-{}", std::process::id()));
    std::fs::create_dir_all(root.join("specs")).expect("temp dir");
    std::fs::write(root.join("specs/mini.yaml"), format!("{HEAD}paths: {{}}\n")).expect("write");
    let check = |root: &std::path::Path| generator_cmd().arg("--root").arg(root).arg("--check").output().expect("runs");
    let stale = check(&root);
    assert_eq!(stale.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("generated/src/mini.rs"));
    let write = generator_cmd().arg("--root").arg(&root).output().expect("runs");
    assert!(write.status.success(), "{}", String::from_utf8_lossy(&write.stderr));
    assert!(check(&root).status.success());
    std::fs::write(root.join("generated/src/mini.rs"), "// edited\n").expect("write");
    let edited = check(&root);
    assert_eq!(edited.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&edited.stderr).contains("generated/src/mini.rs"));
    std::fs::remove_dir_all(&root).ok();
}

/// Inputs that once crashed the generator (fuzzing, corpus) now get a clean error, and the
/// corpus reproductions generate or get a diagnostic.
#[test]
fn former_crashes_and_corpus_repros() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus"));
    let mut crashes = 0;
    for entry in std::fs::read_dir(dir.join("crashes")).expect("crashes dir").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("readable");
        let result = generator::generate("crash.yaml", &text, generator::Options::default());
        assert!(result.is_err(), "{} should be refused", entry.path().display());
        crashes += 1;
    }
    assert!(crashes >= 2);
    // Reproductions of corpus failures: these generate; `$ref` cycles that reach no schema
    // are refused with a diagnostic.
    let text = std::fs::read_to_string(dir.join("repros/array-path-parameter.yaml")).expect("readable");
    if let Err(d) = generator::generate("repro.yaml", &text, generator::Options::default()) {
        panic!("array-path-parameter: {d}");
    }
    for name in ["schema-ref-cycle", "parameter-schema-self-ref"] {
        let text = std::fs::read_to_string(dir.join(format!("repros/{name}.yaml"))).expect("readable");
        match generator::generate("repro.yaml", &text, generator::Options::default()) {
            Err(d) => assert!(d.to_string().contains("`$ref` cycle never reaches a schema"), "{d}"),
            Ok(_) => panic!("{name} should be refused"),
        }
    }
}

/// A schema *named* `pattern` is a schema, not a broken `pattern` keyword.
#[test]
fn schemas_named_pattern_are_kept() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Rule: {{type: object, properties: {{p: {{$ref: '#/components/schemas/pattern'}}}}}}\n    pattern: {{type: string, pattern: '^a'}}\n    Bad: {{type: string, pattern: 0}}\n"
    );
    let generated = generator::generate("p.yaml", &text, generator::Options::default()).unwrap_or_else(|d| panic!("{d}"));
    assert!(generated.api.types.contains_key("Pattern"));
}

#[test]
fn an_invalid_path_item_is_reported_as_loading_the_whole_document_reports_it() {
    // Path items are typed one at a time as they are lowered, and freed once lowered (unless a
    // `$ref` points into them): the error is still the first invalid part of the document.
    for more in ["", "  /c:\n    $ref: '#/paths/~1a'\n"] {
        let text = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      responses: {{'200': {{description: ok}}}}\n  /b:\n    get:\n      parameters: [{{name: x, in: nowhere}}]\n      responses: {{'200': {{description: ok}}}}\n{more}"
        );
        let e = errors(&text);
        let loaded = generator::load::load("bad.yaml", &text).map(|_| ()).unwrap_err().to_string();
        assert_eq!(e, std::slice::from_ref(&loaded));
        assert!(loaded.starts_with("bad.yaml:9:20: error at #/paths/~1b/get/parameters/0"), "{loaded}");
    }
}
