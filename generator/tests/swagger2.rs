//! Swagger 2.0 documents, converted to OpenAPI 3.0 on load: one fixture per construct
//! (`tests/fixtures/swagger2/`), the IR it lowers to, the converted document where the IR does
//! not show it (parameter styles, OAuth2 flows), diagnostics at the original pointer and
//! line:column, and the real-world 2.0 specs of `tests/corpus/real/swagger2/`.

use std::path::PathBuf;

use generator::ir::{Api, BodyKind, Field, ParamLocation, Prim, SecurityKind, StatusMatch, TypeDef, TypeKind, TypeRef};
use generator::{Generated, Options};
use openapiv3::{Parameter, QueryStyle, ReferenceOr, SecurityScheme};
use serde_json::json;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/swagger2").join(name);
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

fn op<'a>(api: &'a Api, name: &str) -> &'a generator::ir::Operation {
    api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("operation {name}"))
}

#[test]
fn body_parameters_become_request_bodies() {
    let g = generate("body-param.yaml");
    let add = op(&g.api, "add_pet").body.as_ref().expect("body");
    assert_eq!((add.kind, &add.ty, add.required), (BodyKind::Json, &TypeRef::Named("Pet".into()), true));
    assert_eq!(add.description.as_deref(), Some("The pet to add."));
    assert_eq!(add.media_types, ["application/json"]);
    // Per-operation `consumes` overrides the global one.
    let update = op(&g.api, "update_pet").body.as_ref().expect("body");
    assert_eq!(update.media_types, ["application/xml", "application/json"]);
    assert_eq!((update.kind, &update.ty), (BodyKind::Json, &TypeRef::Named("UpdatePetBody".into())));
    let doc = load("body-param.yaml");
    assert_eq!(doc.raw["paths"]["/pets"]["post"]["requestBody"]["x-codegen-request-body-name"], "pet");
    assert!(field(&g.api, "Pet", "name").required);
}

#[test]
fn form_data_parameters_become_form_and_multipart_bodies() {
    let g = generate("form-data.yaml");
    let token = op(&g.api, "token").body.as_ref().expect("body");
    assert_eq!((token.kind, token.media_type.as_str(), token.required), (BodyKind::Form, "application/x-www-form-urlencoded", true));
    let grant = field(&g.api, "TokenBody", "grant_type");
    assert!(grant.required);
    assert!(matches!(&ty(&g.api, "TokenBodyGrantType").kind, TypeKind::Enum { variants, .. } if variants.len() == 2));
    assert_eq!(field(&g.api, "TokenBody", "client_id").doc.as_deref(), Some("The client."));
    assert_eq!(field(&g.api, "TokenBody", "scope").ty, TypeRef::Array(Box::new(TypeRef::Prim(Prim::String))));
    // `type: file`: a binary part of a multipart body.
    let upload = op(&g.api, "upload_avatar").body.as_ref().expect("body");
    assert_eq!((upload.kind, upload.media_type.as_str()), (BodyKind::Multipart, "multipart/form-data"));
    let file = field(&g.api, "UploadAvatarBody", "file");
    assert_eq!((&file.ty, file.required), (&TypeRef::Prim(Prim::Binary), true));
    assert_eq!(
        warnings(&g),
        ["form-data.yaml:11:11: warning at #/paths/~1oauth2~1token/post/parameters/2: `collectionFormat: ssv` has no OpenAPI 3.0 equivalent in a form: the items are sent comma-separated"]
    );
}

#[test]
fn consumes_and_produces_give_media_types() {
    let g = generate("consumes-produces.yaml");
    let report = &op(&g.api, "get_report").responses[0];
    let body = report.body.as_ref().expect("body");
    assert_eq!((body.media_type.as_str(), &body.ty), ("text/csv", &TypeRef::Prim(Prim::String)));
    let pet = op(&g.api, "get_pet").responses[0].body.as_ref().expect("body");
    assert_eq!((pet.media_type.as_str(), &pet.ty), ("application/json", &TypeRef::Named("Pet".into())));
    let xml = op(&g.api, "put_pet_xml").body.as_ref().expect("body");
    assert_eq!((xml.media_type.as_str(), xml.kind), ("application/xml", BodyKind::Text));
}

#[test]
fn definitions_become_component_schemas() {
    let g = generate("definitions.yaml");
    let api = &g.api;
    assert!(field(api, "Animal", "kind").required);
    assert!(field(api, "Animal", "nickname").nullable, "x-nullable");
    assert_eq!(field(api, "Animal", "picture").ty, TypeRef::Prim(Prim::Binary));
    assert_eq!(field(api, "Cat", "lives").ty, TypeRef::Prim(Prim::I32));
    assert!(field(api, "Cat", "kind").required, "allOf through a rewritten $ref");
    let list = op(api, "list_animals").responses[0].body.as_ref().expect("body");
    assert_eq!(list.ty, TypeRef::Array(Box::new(TypeRef::Named("Animal".into()))));
    let doc = load("definitions.yaml");
    assert_eq!(doc.raw["components"]["schemas"]["Animal"]["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(doc.raw["components"]["schemas"]["Cat"]["allOf"][0]["$ref"], "#/components/schemas/Animal");
}

#[test]
fn shared_parameters_and_responses() {
    let g = generate("shared.yaml");
    for name in ["list_pets", "create_pet"] {
        let limit = &op(&g.api, name).params[0];
        assert_eq!((limit.wire_name.as_str(), limit.location, &limit.ty), ("limit", ParamLocation::Query, &TypeRef::Prim(Prim::I32)));
    }
    // A shared body parameter is inlined where it is used.
    let body = op(&g.api, "create_pet").body.as_ref().expect("body");
    assert_eq!((&body.ty, body.required), (&TypeRef::Named("Pet".into()), true));
    let not_found = op(&g.api, "list_pets").responses.iter().find(|r| r.status == StatusMatch::Code(404)).expect("404");
    assert_eq!(not_found.body.as_ref().map(|b| &b.ty), Some(&TypeRef::Named("Error".into())));
    let doc = load("shared.yaml");
    assert_eq!(doc.raw["paths"]["/pets"]["parameters"][0]["$ref"], "#/components/parameters/limit");
    assert_eq!(doc.raw["paths"]["/pets"]["get"]["responses"]["404"]["$ref"], "#/components/responses/NotFound");
    assert!(doc.raw["components"]["parameters"].get("petBody").is_none());
}

#[test]
fn collection_formats_become_styles() {
    let g = generate("collection-format.yaml");
    let params = &op(&g.api, "get_items").params;
    let explode: Vec<(&str, bool)> = params.iter().map(|p| (p.wire_name.as_str(), p.explode)).collect();
    assert_eq!(
        explode,
        [("ids", false), ("csv", false), ("multi", true), ("ssv", false), ("pipes", false), ("tsv", false), ("X-Tags", false)]
    );
    let doc = load("collection-format.yaml");
    let item = doc.api.paths.paths.get("/items/{ids}").and_then(ReferenceOr::as_item).expect("path item");
    let styles: Vec<Option<QueryStyle>> = item.get.as_ref().expect("get").parameters.iter()
        .filter_map(ReferenceOr::as_item)
        .filter_map(|p| match p { Parameter::Query { style, .. } => Some(Some(style.clone())), _ => None })
        .collect();
    assert_eq!(
        styles,
        [Some(QueryStyle::Form), Some(QueryStyle::Form), Some(QueryStyle::SpaceDelimited), Some(QueryStyle::PipeDelimited), Some(QueryStyle::Form)]
    );
    assert_eq!(
        warnings(&g),
        [
            "collection-format.yaml:13:11: warning at #/paths/~1items~1{ids}/get/parameters/5: `collectionFormat: tsv` has no OpenAPI 3.0 equivalent: the items are sent comma-separated",
            "collection-format.yaml:14:11: warning at #/paths/~1items~1{ids}/get/parameters/6: `collectionFormat: pipes` has no OpenAPI 3.0 equivalent in the header: the items are sent comma-separated",
        ]
    );
}

#[test]
fn host_base_path_and_schemes_become_servers() {
    let g = generate("servers.yaml");
    let urls: Vec<&str> = g.api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["https://api.example.com/t/{tenant-domain}/api/v1", "http://api.example.com/t/{tenant-domain}/api/v1"]);
    assert_eq!(g.api.servers[0].variables, [("tenant-domain".to_string(), "tenant-domain".to_string())]);
    assert_eq!(
        warnings(&g),
        ["servers.yaml:4:1: warning at #/basePath: `{tenant-domain}` is a template, which Swagger 2.0 does not allow here: it became the server variable `tenant-domain`, whose default is its name"]
    );
    let g = generate("relative-server.yaml");
    assert_eq!(g.api.servers.iter().map(|s| s.url.as_str()).collect::<Vec<_>>(), ["/api"]);
}

#[test]
fn security_definitions_become_schemes_with_the_four_flows() {
    let g = generate("security.yaml");
    let kinds = &g.api.security_schemes;
    assert!(matches!(kinds["basic"].kind, SecurityKind::Basic));
    assert_eq!(kinds["basic"].description.as_deref(), Some("HTTP Basic."));
    assert!(matches!(&kinds["key"].kind, SecurityKind::ApiKey { name, location: ParamLocation::Header } if name == "X-API-Key"));
    for name in ["implicit", "password", "application", "accessCode"] {
        assert!(matches!(kinds[name].kind, SecurityKind::OAuth2 { .. }), "{name}");
    }
    let doc = load("security.yaml");
    let schemes = &doc.api.components.as_ref().expect("components").security_schemes;
    let flows = |name: &str| match schemes.get(name).and_then(ReferenceOr::as_item) {
        Some(SecurityScheme::OAuth2 { flows, .. }) => flows.clone(),
        other => panic!("{name}: {other:?}"),
    };
    let implicit = flows("implicit").implicit.expect("implicit");
    assert_eq!(implicit.authorization_url, "https://auth.example.com/authorize");
    assert_eq!(implicit.scopes.get("read").map(String::as_str), Some("Read things"));
    assert_eq!(flows("password").password.expect("password").token_url, "https://auth.example.com/token");
    let application = flows("application").client_credentials.expect("application → clientCredentials");
    assert!(application.scopes.contains_key("admin"));
    let code = flows("accessCode").authorization_code.expect("accessCode → authorizationCode");
    assert_eq!((code.authorization_url.as_str(), code.token_url.as_str()), ("https://auth.example.com/authorize", "https://auth.example.com/token"));
    assert!(code.scopes.is_empty(), "no `scopes`: none");
    // An undefined scheme is dropped from the requirement, with a warning.
    assert_eq!(
        warnings(&g),
        ["security.yaml:46:11: warning at #/paths/~1legacy/get/security/0: security scheme `undefined_scheme` is not defined: this requirement ignores it"]
    );
    assert_eq!(doc.raw["paths"]["/me"]["get"]["security"], json!([{"accessCode": ["read"]}, {"basic": []}]));
}

#[test]
fn responses_get_content_headers_and_examples() {
    let g = generate("responses.yaml");
    let created = &op(&g.api, "create_token").responses;
    let first = &created[0];
    assert_eq!(first.status, StatusMatch::Code(201));
    assert_eq!(first.body.as_ref().map(|b| &b.ty), Some(&TypeRef::Named("CreateToken201Response".into())));
    let headers: Vec<(&str, &TypeRef)> = first.headers.iter().map(|h| (h.wire_name.as_str(), &h.ty)).collect();
    assert_eq!(headers, [("Location", &TypeRef::Prim(Prim::String)), ("X-Rate-Limit", &TypeRef::Prim(Prim::I32))]);
    assert_eq!(first.headers[0].description.as_deref(), Some("Where the token is."));
    assert_eq!(created[1].status, StatusMatch::Default);
    // A `type: file` response is binary.
    let file = op(&g.api, "download").responses[0].body.as_ref().expect("body");
    assert_eq!((file.media_type.as_str(), &file.ty), ("application/octet-stream", &TypeRef::Prim(Prim::Binary)));
    let doc = load("responses.yaml");
    assert_eq!(doc.raw["paths"]["/tokens"]["post"]["responses"]["201"]["content"]["application/json"]["example"], json!({"token": "abc"}));
}

#[test]
fn extensions_are_kept() {
    let doc = load("extensions.yaml");
    let raw = &doc.raw;
    assert_eq!(raw["x-top"], 1);
    assert_eq!(raw["info"]["x-logo"], "logo.png");
    assert_eq!(raw["paths"]["x-path-ext"], json!({"a": 1}));
    assert_eq!(raw["paths"]["/a"]["x-item"], true);
    assert_eq!(raw["paths"]["/a"]["get"]["x-op"], "op");
    assert_eq!(raw["paths"]["/a"]["get"]["parameters"][0]["x-param"], "p");
    assert_eq!(raw["paths"]["/a"]["get"]["responses"]["200"]["x-resp"], "r");
    assert_eq!(raw["components"]["schemas"]["A"]["x-schema"], "s");
    assert_eq!(raw["components"]["schemas"]["A"]["properties"]["b"]["x-omitempty"], true);
    assert_eq!(doc.api.extensions.get("x-top"), Some(&json!(1)));
    let g = generate("extensions.yaml");
    assert_eq!(field(&g.api, "A", "b").ty, TypeRef::Prim(Prim::String));
}

#[test]
fn diagnostics_name_the_original_pointer_and_position() {
    let err = generator::generate("bad.yaml", &fixture("bad.yaml"), Options::default()).err().expect("errors");
    let lines: Vec<String> = err.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            // In a body parameter's schema (now a request body).
            "bad.yaml:12:23: error at #/paths/~1pets/post/parameters/0/schema/properties/owner/$ref: `$ref` `#/definitions/Owner` points at nothing",
            // In a response schema (now under `content`).
            "bad.yaml:16:20: error at #/paths/~1pets/post/responses/200/schema/$ref: `$ref` `#/definitions/Missing` points at nothing",
            // In `definitions` (now `components/schemas`).
            "bad.yaml:21:13: error at #/definitions/Pet/properties/tag/$ref: `$ref` `#/definitions/Tag` points at nothing",
        ]
    );
    // A structural error found while reading the converted document.
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, type: string}\n      responses:\n        '200': {description: [not, text]}\n";
    let err = generator::generate("s.yaml", text, Options::default()).err().expect("errors").to_string();
    assert!(err.starts_with("s.yaml:9:9: error at #/paths/~1a/get/responses/200"), "{err}");
    assert!(err.contains("after conversion from Swagger 2.0"), "{err}");
}

#[test]
fn real_world_swagger_2_specs_generate() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real/swagger2");
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
    assert_eq!(count, 6);
    // Hydra's token endpoint: a form body with `grant_type`.
    let text = std::fs::read_to_string(dir.join("ory-hydra-api-swagger.json")).expect("hydra");
    let g = generator::generate("hydra.json", &text, Options::default()).expect("hydra");
    let token = g.api.operations.iter().find(|o| o.path.raw == "/oauth2/token").expect("token operation");
    let body = token.body.as_ref().expect("token body");
    assert_eq!(body.kind, BodyKind::Form);
    let TypeRef::Named(name) = &body.ty else { panic!("{:?}", body.ty) };
    assert!(matches!(&g.api.types[name].kind, TypeKind::Struct { fields, .. } if fields.iter().any(|f| f.wire_name == "grant_type" && f.required)));
}
