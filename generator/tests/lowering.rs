//! IR lowering of each schema construct, on `tests/fixtures/constructs.yaml`.

use generator::ir::{
    self, Api, BodyKind, ParamLocation, Prim, StatusMatch, TypeDef, TypeKind, TypeRef,
};

fn api() -> Api {
    let text = include_str!("fixtures/constructs.yaml");
    let doc = generator::load::load("constructs.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    ir::lower(&doc).unwrap_or_else(|d| panic!("{d}"))
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.get(name).unwrap_or_else(|| panic!("type {name} in {:?}", api.types.keys().collect::<Vec<_>>()))
}

fn fields(def: &TypeDef) -> &[ir::Field] {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

fn field<'a>(def: &'a TypeDef, wire: &str) -> &'a ir::Field {
    fields(def).iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("field {wire}"))
}

#[test]
fn structs_keep_field_order_names_docs_and_requiredness() {
    let api = api();
    let thing = ty(&api, "Thing");
    assert_eq!(thing.doc.as_deref(), Some("A thing with every kind of field."));
    let wires: Vec<&str> = fields(thing).iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(wires[..4], ["id", "big", "type", "color"]);
    let id = field(thing, "id");
    assert!(id.required);
    assert_eq!(id.ty, TypeRef::Prim(Prim::I32));
    assert_eq!(id.doc.as_deref(), Some("The id."));
    assert_eq!(field(thing, "big").ty, TypeRef::Prim(Prim::I64));
    assert!(!field(thing, "big").required);
    // Keywords become raw identifiers.
    assert_eq!(field(thing, "type").name, "r#type");
}

#[test]
fn formats_maps_arrays_defaults_and_limits() {
    let api = api();
    let thing = ty(&api, "Thing");
    assert_eq!(field(thing, "created").ty, TypeRef::Prim(Prim::DateTime));
    assert_eq!(field(thing, "homepage").ty, TypeRef::Prim(Prim::String));
    assert_eq!(field(thing, "labels").ty, TypeRef::Map(Box::new(TypeRef::Prim(Prim::String))));
    assert_eq!(field(thing, "scores").ty, TypeRef::Array(Box::new(TypeRef::Prim(Prim::F64))));
    let size = field(thing, "size");
    assert_eq!(size.default, Some(serde_json::json!(3)));
    assert_eq!((size.constraints.minimum, size.constraints.maximum), (Some(1.0), Some(10.0)));
    let name = field(thing, "name");
    assert!(name.nullable);
    assert_eq!(name.constraints.max_length, Some(5));
}

#[test]
fn secrets_are_marked() {
    let api = api();
    let thing = ty(&api, "Thing");
    assert!(field(thing, "client_secret").secret);
    assert!(!field(thing, "name").secret);
}

#[test]
fn closed_open_and_integer_enums() {
    let api = api();
    match &ty(&api, "Color").kind {
        TypeKind::Enum { variants, open: false, integer: false, .. } => {
            let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
            assert_eq!(names, ["Red", "Green", "DarkBlue"]);
            assert_eq!(variants[2].value, "dark-blue");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&ty(&api, "Mood").kind, TypeKind::Enum { open: true, .. }));
    match &ty(&api, "Level").kind {
        TypeKind::Enum { variants, integer: true, .. } => assert_eq!(variants[0].name, "V1"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unions_with_and_without_discriminator() {
    let api = api();
    match &ty(&api, "Shape").kind {
        TypeKind::Union { variants, discriminator: None } => {
            assert_eq!(variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["Circle", "Square"]);
            assert_eq!(variants[0].properties, ["radius"]);
        }
        other => panic!("{other:?}"),
    }
    match &ty(&api, "Pet").kind {
        TypeKind::Union { discriminator: Some(d), .. } => {
            assert_eq!(d.property, "kind");
            assert_eq!(d.mapping, [("Dog".to_string(), 1), ("kitty".to_string(), 0)]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn all_of_is_merged() {
    let api = api();
    let named = ty(&api, "Named");
    let wires: Vec<(&str, bool)> = fields(named).iter().map(|f| (f.wire_name.as_str(), f.required)).collect();
    assert_eq!(wires, [("radius", true), ("label", true)]);
}

#[test]
fn inline_objects_are_named_from_their_place_and_recursion_is_boxed() {
    let api = api();
    let thing = ty(&api, "Thing");
    assert_eq!(field(thing, "inline_obj").ty, TypeRef::Named("ThingInlineObj".into()));
    assert!(field(thing, "child").boxed);
    assert!(!field(thing, "color").boxed);
    assert!(matches!(ty(&api, "Ids").kind, TypeKind::Alias { target: TypeRef::Array(_) }));
}

#[test]
fn operations_parameters_bodies_and_responses() {
    let api = api();
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["create_thing", "get_noid"], "missing operationId derived from method + path");
    let op = &api.operations[0];
    let params: Vec<(&str, ParamLocation, bool)> =
        op.params.iter().map(|p| (p.name.as_str(), p.location, p.required)).collect();
    assert_eq!(
        params,
        [
            ("thing_id", ParamLocation::Path, true),
            ("tags", ParamLocation::Query, false),
            ("x_trace", ParamLocation::Header, false),
            ("session", ParamLocation::Cookie, false),
        ]
    );
    assert_eq!(op.params_type.as_deref(), Some("CreateThingParams"));
    let body = op.body.as_ref().expect("body");
    assert_eq!((body.kind, body.ty.clone()), (BodyKind::Json, TypeRef::Named("Thing".into())));
    let statuses: Vec<StatusMatch> = op.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [StatusMatch::Code(201), StatusMatch::Range(4), StatusMatch::Default]);
    assert_eq!(op.responses[0].headers[0].name, "location");
    assert!(op.responses[0].headers[0].required);
    assert_eq!(op.success_type.as_deref(), Some("CreateThingSuccess"), "a success with headers needs an enum");
    assert_eq!(op.error_type.as_deref(), Some("CreateThingError"));
    let noid = &api.operations[1];
    assert_eq!(noid.responses[0].body.as_ref().map(|b| b.kind), Some(BodyKind::Text));
    assert_eq!(noid.success_type, None);
}

#[test]
fn generation_is_deterministic() {
    let text = include_str!("fixtures/constructs.yaml");
    let a = generator::generate("c.yaml", text, generator::Options::default()).expect("generates");
    let b = generator::generate("c.yaml", text, generator::Options::default()).expect("generates");
    let render = |g: &generator::Generated| generator::render::module_file(&g.api, &g.items, "c.yaml").expect("renders");
    assert_eq!(render(&a), render(&b));
}

#[test]
fn lowering_that_frees_path_items_gives_the_same_ir() {
    // `lower_consuming` (what the command line and the macro run) frees each raw path item once
    // it is lowered; a description next to a `$ref` inside a path item is still read.
    let sibling = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  s: {$ref: '#/components/schemas/S', description: Next to the reference.}\ncomponents:\n  schemas:\n    S: {type: object, properties: {x: {type: string}}}\n";
    for (name, text) in [("constructs.yaml", include_str!("fixtures/constructs.yaml")), ("sibling.yaml", sibling)] {
        let kept = ir::lower(&generator::load::load(name, text).unwrap_or_else(|d| panic!("{d}"))).unwrap_or_else(|d| panic!("{d}"));
        let mut doc = generator::load::load_owned(name, text.to_string()).unwrap_or_else(|d| panic!("{d}"));
        let freed = ir::lower_consuming(&mut doc).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(doc.path_items().count(), 0, "{name}: the path items are freed");
        assert_eq!(serde_json::to_string(&kept).unwrap(), serde_json::to_string(&freed).unwrap(), "{name}");
        if name == "sibling.yaml" {
            let doc = api_fields(&freed).find(|f| f.wire_name == "s").and_then(|f| f.doc.clone());
            assert_eq!(doc.as_deref(), Some("Next to the reference."));
        }
    }
}

#[test]
fn path_items_stay_when_a_ref_points_into_them() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}}\n  /b:\n    get:\n      responses: {'200': {$ref: '#/paths/~1a/get/responses/200'}}\n";
    let mut doc = generator::load::load_owned("into-paths.yaml", text.to_string()).unwrap_or_else(|d| panic!("{d}"));
    let api = ir::lower_consuming(&mut doc).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(doc.path_items().count(), 2);
    assert_eq!(api.operations.len(), 2);
    assert!(api.operations.iter().all(|op| op.responses[0].body.is_some()), "{:?}", api.operations);
}

fn api_fields(api: &Api) -> impl Iterator<Item = &ir::Field> {
    api.types.values().flat_map(|def| match &def.kind {
        TypeKind::Struct { fields, .. } => fields.as_slice(),
        _ => &[],
    })
}

/// Two string enums of the same values are one kind, made once: the second is an alias of the
/// first. The same values in an open enum (`x-extensible-enum`) are another kind, whose
/// unknown values' variant keeps the name `Other`.
#[test]
fn enums_of_the_same_values_share_one_kind_unless_one_is_open() {
    let text = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Closed: { type: string, enum: [other, x] }
    Open: { type: string, x-extensible-enum: [other, x] }
    Same: { type: string, enum: [other, x] }
"#;
    let doc = generator::load::load("enums.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let api = ir::lower(&doc).unwrap_or_else(|d| panic!("{d}"));
    let variants = |name: &str| match &ty(&api, name).kind {
        TypeKind::Enum { variants, open, .. } => (variants.iter().map(|v| v.name.clone()).collect::<Vec<_>>(), *open),
        other => panic!("{name} is not an enum: {other:?}"),
    };
    assert_eq!(variants("Closed"), (vec!["Other".to_string(), "X".to_string()], false));
    assert_eq!(variants("Open"), (vec!["Other2".to_string(), "X".to_string()], true));
    assert!(matches!(&ty(&api, "Same").kind, TypeKind::Alias { target: TypeRef::Named(t) } if t == "Closed"));
}

/// A cycle of structs is broken once, at the first field in name order that closes it: the
/// second struct's field back to the first stays unboxed. A cycle through a union's variant or
/// an alias is broken at the struct's field; a field that is a list already has indirection.
#[test]
fn a_cycle_is_boxed_at_its_first_field_only() {
    let text = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    A: { type: object, properties: { b: { $ref: "#/components/schemas/B" }, n: { type: integer } } }
    B: { type: object, properties: { a: { $ref: "#/components/schemas/A" } } }
    C: { type: object, properties: { d: { $ref: "#/components/schemas/D" }, list: { type: array, items: { $ref: "#/components/schemas/C" } } } }
    D: { oneOf: [{ $ref: "#/components/schemas/E" }, { type: string }] }
    E: { $ref: "#/components/schemas/F" }
    F: { type: object, properties: { c: { $ref: "#/components/schemas/C" } } }
    Own: { type: object, properties: { own: { $ref: "#/components/schemas/Own" } } }
"##;
    let doc = generator::load::load("cycles.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let api = ir::lower(&doc).unwrap_or_else(|d| panic!("{d}"));
    let boxed = |ty_name: &str, wire: &str| field(ty(&api, ty_name), wire).boxed;
    assert!(boxed("A", "b"));
    assert!(!boxed("A", "n"));
    assert!(!boxed("B", "a"), "the cycle A → B → A is broken at A.b already");
    assert!(boxed("C", "d"), "C → D (union) → E → F → C");
    assert!(!boxed("C", "list"));
    assert!(!boxed("F", "c"));
    assert!(boxed("Own", "own"));
}
