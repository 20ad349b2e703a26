//! OpenAPI 3.1 documents, converted to 3.0 on load: one fixture per construct
//! (`tests/fixtures/openapi31/`), the IR it lowers to, the warnings it gives, diagnostics at
//! the original pointer and line:column, and the real-world 3.1 specs of
//! `tests/corpus/real/openapi31/`.

use std::path::PathBuf;

use generator::ir::{Api, Field, TypeDef, TypeKind, TypeRef, Prim, BodyKind, SecurityKind, StatusMatch};
use generator::{Generated, Options};
use serde_json::json;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi31").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn generate(name: &str) -> Generated {
    generator::generate(name, &fixture(name), Options::default()).unwrap_or_else(|d| panic!("{d}"))
}

fn load(name: &str) -> generator::load::Document {
    generator::load::load(name, &fixture(name)).unwrap_or_else(|d| panic!("{d}"))
}

fn warnings(g: &Generated) -> Vec<String> {
    g.warnings.iter().map(|w| w.as_warning().to_string()).collect()
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.get(name).unwrap_or_else(|| panic!("type {name} in {:?}", api.types.keys().collect::<Vec<_>>()))
}

fn field<'a>(api: &'a Api, type_name: &str, wire: &str) -> &'a Field {
    match &ty(api, type_name).kind {
        TypeKind::Struct { fields, .. } => fields.iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("{type_name}.{wire}")),
        other => panic!("{type_name} is not a struct: {other:?}"),
    }
}

/// The variants of the union `name` is, an alias of a union included (a union that repeats
/// another is an alias of it).
fn union_variants(api: &Api, name: &str) -> Vec<TypeRef> {
    let TypeRef::Named(definition) = api.unaliased(&TypeRef::Named(name.to_string())) else { panic!("{name} is not named") };
    match &ty(api, &definition).kind {
        TypeKind::Union { variants, .. } => variants.iter().map(|v| v.ty.clone()).collect(),
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn enum_values(api: &Api, name: &str) -> Vec<serde_json::Value> {
    match &ty(api, name).kind {
        TypeKind::Enum { variants, .. } => variants.iter().map(|v| v.value.clone()).collect(),
        other => panic!("{name} is not an enum: {other:?}"),
    }
}

#[test]
fn type_arrays_become_nullable_fields_and_unions() {
    let g = generate("type-arrays.yaml");
    let api = &g.api;
    let nickname = field(api, "Thing", "nickname");
    assert_eq!((&nickname.ty, nickname.nullable), (&TypeRef::Prim(Prim::String), true));
    assert_eq!(nickname.constraints.max_length, Some(20));
    // Several types: a union of one branch per type, each with its own keywords.
    let code = field(api, "Thing", "code");
    assert_eq!((&code.ty, code.nullable), (&TypeRef::Named("ThingCode".into()), false));
    assert_eq!(union_variants(api, "ThingCode"), [TypeRef::Prim(Prim::String), TypeRef::Prim(Prim::I64)]);
    let maybe = field(api, "Thing", "maybeCode");
    assert_eq!((&maybe.ty, maybe.nullable), (&TypeRef::Named("ThingMaybeCode".into()), true));
    // The same union as `ThingCode`: an alias of it.
    assert!(matches!(&ty(api, "ThingMaybeCode").kind, TypeKind::Alias { target: TypeRef::Named(n) } if n == "ThingCode"));
    assert_eq!(union_variants(api, "ThingMaybeCode").len(), 2);
    let nothing = field(api, "Thing", "nothing");
    assert_eq!((&nothing.ty, nothing.nullable), (&TypeRef::Any, true));
    // `anyOf`/`oneOf` with a `{type: null}` branch: the other branch, nullable, named.
    let owner = field(api, "Thing", "owner");
    assert_eq!((&owner.ty, owner.nullable), (&TypeRef::Named("Owner".into()), true));
    let previous = field(api, "Thing", "previous");
    assert_eq!((&previous.ty, previous.nullable, previous.boxed), (&TypeRef::Named("Thing".into()), true, true));
    let tags = field(api, "Thing", "tags");
    assert_eq!((&tags.ty, tags.nullable), (&TypeRef::Array(Box::new(TypeRef::Prim(Prim::String))), true));
    assert!(g.warnings.is_empty(), "{:?}", warnings(&g));
}

#[test]
fn const_becomes_a_single_value_enum() {
    let g = generate("const.yaml");
    let api = &g.api;
    assert_eq!(enum_values(api, "GrantType"), [json!("client_credentials")]);
    assert!(matches!(ty(api, "Version").kind, TypeKind::Enum { integer: true, .. }));
    assert_eq!(enum_values(api, "Version"), [json!(2)]);
    assert_eq!(field(api, "Request", "grant_type").ty, TypeRef::Named("GrantType".into()));
    assert_eq!(enum_values(api, "RequestKind"), [json!("token")]);
    assert!(field(api, "Request", "gone").nullable);
}

#[test]
fn schema_examples_become_example() {
    let doc = load("examples.yaml");
    let raw = &doc.raw["components"]["schemas"]["Token"];
    assert_eq!(raw["example"], json!({"access_token": "abc", "expires_in": 3600}));
    assert_eq!(raw["properties"]["access_token"]["example"], "abc");
    // An `example` already there wins.
    assert_eq!(raw["properties"]["expires_in"]["example"], 3600);
    assert!(raw.get("examples").is_none());
    generate("examples.yaml");
}

#[test]
fn numeric_exclusive_bounds_become_3_0_bounds() {
    let g = generate("exclusive-bounds.yaml");
    let ratio = field(&g.api, "Limits", "ratio");
    assert_eq!((ratio.constraints.minimum, ratio.constraints.maximum), (Some(0.0), Some(1.0)));
    // The stricter bound wins.
    let count = field(&g.api, "Limits", "count");
    assert_eq!(count.constraints.minimum, Some(5.0));
    let size = field(&g.api, "Limits", "size");
    assert_eq!(size.constraints.maximum, Some(50.0));
    let doc = load("exclusive-bounds.yaml");
    let props = &doc.raw["components"]["schemas"]["Limits"]["properties"];
    assert_eq!(props["ratio"]["exclusiveMinimum"], true);
    assert_eq!(props["ratio"]["exclusiveMaximum"], true);
    assert!(props["count"].get("exclusiveMinimum").is_none());
    assert_eq!(props["size"]["exclusiveMaximum"], true);
}

#[test]
fn refs_with_documentation_stay_plain_and_others_become_all_of() {
    let g = generate("ref-siblings.yaml");
    let api = &g.api;
    let status = field(api, "Account", "status");
    assert_eq!(status.ty, TypeRef::Named("Status".into()));
    assert_eq!(status.doc.as_deref(), Some("The account's status."));
    let previous = field(api, "Account", "previous_status");
    assert_eq!((&previous.ty, previous.nullable), (&TypeRef::Named("Status".into()), true));
    let default = field(api, "Account", "default_status");
    assert_eq!((&default.ty, &default.default), (&TypeRef::Named("Status".into()), &Some(json!("active"))));
    let doc = load("ref-siblings.yaml");
    let props = &doc.raw["components"]["schemas"]["Account"]["properties"];
    assert_eq!(props["status"]["$ref"], "#/components/schemas/Status");
    assert_eq!(props["previous_status"]["allOf"], json!([{"$ref": "#/components/schemas/Status"}]));
}

#[test]
fn defs_move_to_components_and_refs_follow() {
    let g = generate("defs.yaml");
    let api = &g.api;
    // Nested `$defs` too; names are the keys, or `{Component}{Key}` when taken.
    for name in ["Order", "Line", "Money", "OrderAddress", "Address"] {
        ty(api, name);
    }
    assert_eq!(field(api, "Order", "lines").ty, TypeRef::Array(Box::new(TypeRef::Named("Line".into()))));
    assert_eq!(field(api, "Order", "shipping").ty, TypeRef::Named("OrderAddress".into()));
    // `$ref: '#anchored'` (an `$anchor`).
    assert_eq!(field(api, "Order", "billing").ty, TypeRef::Named("OrderAddress".into()));
    assert_eq!(field(api, "Line", "money").ty, TypeRef::Named("Money".into()));
    assert_eq!(field(api, "OrderAddress", "street").ty, TypeRef::Prim(Prim::String));
    let op = &api.operations[0];
    let body = op.responses[0].body.as_ref().expect("body");
    assert_eq!(body.ty, TypeRef::Array(Box::new(TypeRef::Named("Line".into()))));
}

#[test]
fn content_encoding_and_media_type_give_formats() {
    let g = generate("content-media.yaml");
    let body = g.api.operations[0].body.as_ref().expect("body");
    assert_eq!(body.kind, BodyKind::Multipart);
    assert_eq!(field(&g.api, "PutAvatarBody", "image").ty, TypeRef::Prim(Prim::Binary));
    assert_eq!(field(&g.api, "PutAvatarBody", "caption").ty, TypeRef::Prim(Prim::String));
    let doc = load("content-media.yaml");
    let props = &doc.raw["paths"]["/avatar"]["put"]["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"];
    assert_eq!(props["image"]["format"], "binary");
    assert_eq!(props["thumbnail"]["format"], "byte");
    assert!(props["caption"].get("format").is_none());
}

#[test]
fn path_items_in_components_and_operations_without_responses() {
    let g = generate("path-items.yaml");
    let names: Vec<&str> = g.api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["get_pet", "ping"]);
    let get = &g.api.operations[0];
    assert_eq!(get.path.raw, "/pets/{id}");
    assert_eq!(get.params[0].ty, TypeRef::Prim(Prim::I64));
    assert!(field(&g.api, "GetPet200Response", "name").nullable);
    // `responses` is optional in 3.1: an undeclared success.
    let ping = &g.api.operations[1];
    assert_eq!(ping.responses.len(), 1);
    assert_eq!(ping.responses[0].status, StatusMatch::Code(200));
}

#[test]
fn documents_without_paths_give_models() {
    let g = generate("no-paths.yaml");
    assert!(g.api.operations.is_empty());
    assert_eq!(field(&g.api, "Pet", "name").ty, TypeRef::Prim(Prim::String));
}

#[test]
fn webhooks_keep_their_payload_types_and_warn() {
    let g = generate("webhooks.yaml");
    assert!(g.api.operations.is_empty());
    let id = field(&g.api, "NewPetWebhook", "id");
    assert!(id.required);
    assert!(field(&g.api, "NewPetWebhook", "name").nullable);
    ty(&g.api, "PetGone");
    assert_eq!(
        warnings(&g),
        [
            "webhooks.yaml:5:3: warning at #/webhooks/newPet: webhook `newPet`: no operation is generated for a webhook (a request the API sends, not one it serves); its payload type is `NewPetWebhook`",
            "webhooks.yaml:18:3: warning at #/webhooks/petGone: webhook `petGone`: no operation is generated for a webhook (a request the API sends, not one it serves); its payload type is `#/components/schemas/PetGone`",
        ]
    );
}

#[test]
fn license_identifier_dialect_and_mutual_tls() {
    let g = generate("info-and-dialect.yaml");
    assert!(g.warnings.is_empty(), "{:?}", warnings(&g));
    assert!(matches!(&g.api.security_schemes["mtls"].kind, SecurityKind::OtherHttp { scheme } if scheme == "mutual"));
    assert!(matches!(g.api.security_schemes["oauth"].kind, SecurityKind::OAuth2 { .. }));
    let doc = load("info-and-dialect.yaml");
    assert_eq!(doc.api.info.license.as_ref().map(|l| l.name.as_str()), Some("Apache 2.0"));
    assert_eq!(doc.source, generator::load::SourceVersion::OpenApi31);
    let g = generate("custom-dialect.yaml");
    assert_eq!(
        warnings(&g),
        ["custom-dialect.yaml:2:1: warning at #/jsonSchemaDialect: schemas are read as OpenAPI 3.1's JSON Schema 2020-12, not as the dialect \"http://json-schema.org/draft-07/schema#\""]
    );
}

#[test]
fn untypable_keywords_degrade_with_warnings() {
    let g = generate("untypable.yaml");
    let api = &g.api;
    // The other keywords still type the schema.
    assert_eq!(field(api, "Conditional", "kind").ty, TypeRef::Prim(Prim::String));
    assert!(matches!(&ty(api, "Labels").kind, TypeKind::Alias { target: TypeRef::Map(v) } if **v == TypeRef::Prim(Prim::String)));
    assert!(matches!(&ty(api, "Prefixed").kind, TypeKind::Alias { target: TypeRef::Map(v) } if **v == TypeRef::Any));
    assert!(matches!(&ty(api, "Pair").kind, TypeKind::Alias { target: TypeRef::Array(v) } if **v == TypeRef::Any));
    assert!(matches!(&ty(api, "NotString").kind, TypeKind::Alias { target: TypeRef::Any }));
    assert_eq!(field(api, "Strict", "a").ty, TypeRef::Prim(Prim::String));
    assert_eq!(
        warnings(&g),
        [
            "untypable.yaml:6:5: warning at #/components/schemas/Conditional: `if`, `then`, `else`, `dependentSchemas`, `unevaluatedProperties` cannot be typed: ignored (values are not checked against it)",
            "untypable.yaml:20:5: warning at #/components/schemas/Labels: `propertyNames` cannot be typed: ignored (values are not checked against it)",
            "untypable.yaml:24:5: warning at #/components/schemas/Prefixed: `patternProperties` cannot be typed: ignored (values are not checked against it); extra properties are untyped",
            "untypable.yaml:29:5: warning at #/components/schemas/Pair: `prefixItems` cannot be typed: ignored (values are not checked against it); the items are untyped",
            "untypable.yaml:35:5: warning at #/components/schemas/NotString: `not` cannot be typed: ignored (values are not checked against it)",
        ]
    );
}

#[test]
fn nullable_leftovers_keep_working() {
    let g = generate("nullable-leftover.yaml");
    let bio = field(&g.api, "Profile", "bio");
    assert_eq!((&bio.ty, bio.nullable), (&TypeRef::Prim(Prim::String), true));
    let age = field(&g.api, "Profile", "age");
    assert_eq!((&age.ty, age.nullable), (&TypeRef::Prim(Prim::I64), true));
}

#[test]
fn diagnostics_name_the_original_pointer_and_position() {
    let err = generator::generate("bad.yaml", &fixture("bad.yaml"), Options::default()).err().expect("errors");
    let lines: Vec<String> = err.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            // A relative `#/$defs/…` with no such definition stays as written.
            "bad.yaml:14:23: error at #/paths/~1a/get/responses/200/content/application~1json/schema/properties/b/$ref: `$ref` `#/$defs/Missing` points at nothing",
            // Inside a branch of a split `type` array: the keyword where it was written.
            "bad.yaml:17:29: error at #/paths/~1a/get/responses/200/content/application~1json/schema/properties/c/items/$ref: `$ref` `#/components/schemas/Nope` points at nothing",
            // Inside a `$defs` entry moved to `components/schemas`.
            "bad.yaml:25:17: error at #/components/schemas/Holder/$defs/Inner/properties/x/$ref: `$ref` `#/components/schemas/Gone` points at nothing",
        ]
    );
    // A structural error found while reading the converted document.
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: [string, 'null']}, style: nope}\n";
    let err = generator::generate("s.yaml", text, Options::default()).err().expect("errors").to_string();
    assert!(err.starts_with("s.yaml:7:11: error at #/paths/~1a/get/parameters/0"), "{err}");
}

#[test]
fn the_command_line_prints_warnings_and_succeeds() {
    let out_dir = std::env::temp_dir().join(format!("openapi31-cli-{}", std::process::id()));
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi31/untypable.yaml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .expect("run generator");
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!("{}:35:5: warning at #/components/schemas/NotString: `not` cannot be typed", spec.display());
    assert!(stderr.lines().any(|l| l.starts_with(&expected)), "{stderr}");
}

#[test]
fn real_world_openapi_3_1_specs_generate() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real/openapi31");
    let mut count = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).expect("corpus dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("read spec");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let g = generator::generate(&name, &text, Options::default()).unwrap_or_else(|d| panic!("{name}:\n{d}"));
        assert!(!g.api.operations.is_empty(), "{name}");
        count += 1;
    }
    assert_eq!(count, 5);
}

#[test]
fn integer_enums_with_string_values_are_read_as_integers() {
    // trakt.tv (OpenAPI 3.0): `type: integer` with `enum: ["1", …]`; 3.1 likewise.
    for version in ["3.0.3", "3.1.0"] {
        let text = format!("openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Rating:\n      type: integer\n      enum: ['1', '2', '10']\n");
        let g = generator::generate("r.yaml", &text, Options::default()).unwrap_or_else(|d| panic!("{d}"));
        assert!(matches!(ty(&g.api, "Rating").kind, TypeKind::Enum { integer: true, .. }));
        assert_eq!(enum_values(&g.api, "Rating"), [json!(1), json!(2), json!(10)]);
    }
    // Values that are not integers (azure.com, visualstudio.com): a string enum, with a warning.
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    KeyType:\n      type: integer\n      format: int32\n      enum: [Primary, Secondary]\n";
    let g = generator::generate("k.yaml", text, Options::default()).unwrap_or_else(|d| panic!("{d}"));
    assert!(matches!(ty(&g.api, "KeyType").kind, TypeKind::Enum { integer: false, .. }));
    assert_eq!(enum_values(&g.api, "KeyType"), [json!("Primary"), json!("Secondary")]);
    assert_eq!(
        warnings(&g),
        ["k.yaml:6:5: warning at #/components/schemas/KeyType: `type: integer` with `enum` values that are not integers (`Primary`): read as a string enum"]
    );
}

#[test]
fn conversions_that_nest_too_deeply_are_refused() {
    // Each `type` array adds levels (`anyOf`, a branch); the converted document stays within
    // the parsers' depth limit so that later stages cannot overflow the stack.
    let mut schema = "{\"type\":\"string\"}".to_string();
    for _ in 0..100 {
        schema = format!("{{\"type\":[\"array\",\"string\"],\"items\":{schema}}}");
    }
    let text = format!("{{\"openapi\":\"3.1.0\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"components\":{{\"schemas\":{{\"A\":{schema}}}}}}}");
    let err = generator::generate("deep.json", &text, Options::default()).err().expect("refused").to_string();
    assert!(err.starts_with("deep.json:1:") && err.contains("#/components/schemas/A/items/items/"), "{err}");
    assert!(err.ends_with("the document nests deeper than 128 levels once converted to OpenAPI 3.0"), "{err}");
}
