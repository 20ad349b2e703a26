//! Snapshot tests: every spec in `specs/`, operation by operation, so that a change to
//! generated code shows up in review as a readable diff of the affected operation.
//!
//! For each spec `S` and operation `O` (snake_case method name):
//! - `S__O`: the client method, the server trait method, request struct, decode/handle/encode
//!   functions, and the operation's own types (`{Op}Params`, `{Op}Success`, `{Op}Error`);
//! - `S__O__models`: every model the operation uses, transitively;
//! - `S__module`: the whole generated file; `S__docs`: the Markdown docs.
//!
//! Review and accept changes with `cargo insta review`; CI never accepts snapshots.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use generator::ir::{Api, Operation, Sharing, TypeKind, TypeRef};
use generator::Options;
use syn::{ImplItem, Item, TraitItem};

fn specs() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"));
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("specs/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    specs
}

fn format(items: Vec<Item>) -> String {
    generator::render::format_items(&quote::quote! { #(#items)* }).expect("generated items format")
}

fn module_items<'a>(file: &'a syn::File, name: &str) -> &'a [Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("generated code has a `{name}` module"))
}

/// The name of the type an item defines or implements, if any.
fn item_type_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        // `model! { struct … }`, `string_enum! { kind; enum … }`: the name after the keyword.
        Item::Macro(m) => {
            let tokens: Vec<proc_macro2::TokenTree> = m.mac.tokens.clone().into_iter().collect();
            tokens.windows(2).find_map(|pair| match pair {
                [proc_macro2::TokenTree::Ident(keyword), proc_macro2::TokenTree::Ident(name)] if keyword == "struct" || keyword == "enum" => {
                    Some(name.to_string())
                }
                _ => None,
            })
        }
        _ => None,
    }
}

/// Root items (models and operation types) that define or implement one of `names`, with
/// their `default_*` helper functions.
fn root_items(file: &syn::File, names: &BTreeSet<String>) -> Vec<Item> {
    let prefixes: Vec<String> =
        names.iter().map(|n| format!("default_{}_", heck::ToSnakeCase::to_snake_case(n.as_str()))).collect();
    file.items
        .iter()
        .filter(|item| match item {
            Item::Fn(f) => prefixes.iter().any(|p| f.sig.ident.to_string().starts_with(p)),
            other => item_type_name(other).is_some_and(|n| names.contains(&n)),
        })
        .cloned()
        .collect()
}

fn collect_named(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Array(t) | TypeRef::Map(t) => collect_named(t, out),
        TypeRef::Prim(_) | TypeRef::Any => {}
    }
}

/// Models `op` uses, transitively.
fn models_of(api: &Api, op: &Operation) -> BTreeSet<String> {
    let mut todo = BTreeSet::new();
    for p in &op.params {
        collect_named(&p.ty, &mut todo);
    }
    if let Some(b) = &op.body {
        collect_named(&b.ty, &mut todo);
    }
    for r in &op.responses {
        if let Some(b) = &r.body {
            collect_named(&b.ty, &mut todo);
        }
        for h in &r.headers {
            collect_named(&h.ty, &mut todo);
        }
    }
    let mut done = BTreeSet::new();
    while let Some(name) = todo.pop_first() {
        if !done.insert(name.clone()) {
            continue;
        }
        let Some(def) = api.types.get(&name) else { continue };
        let mut next = BTreeSet::new();
        match &def.kind {
            TypeKind::Struct { fields, additional } => {
                fields.iter().for_each(|f| collect_named(&f.ty, &mut next));
                if let Some(a) = additional {
                    collect_named(a, &mut next);
                }
            }
            TypeKind::Union { variants, .. } => variants.iter().for_each(|v| collect_named(&v.ty, &mut next)),
            TypeKind::Alias { target } => collect_named(target, &mut next),
            TypeKind::Enum { .. } => {}
        }
        todo.extend(next.into_iter().filter(|n| !done.contains(n)));
    }
    done
}

/// Client method, server pieces and operation types of `op`.
fn operation_snapshot(file: &syn::File, op: &Operation) -> String {
    let mut out = String::new();
    // A type shared with an earlier operation is shown with the alias naming it.
    let shared = [&op.params_sharing, &op.success_sharing, &op.error_sharing].into_iter().filter_map(|s| match s {
        Sharing::AliasOf(target) => Some(target.clone()),
        _ => None,
    });
    let own: BTreeSet<String> =
        [&op.params_type, &op.success_type, &op.error_type].into_iter().flatten().cloned().chain(shared).collect();
    // The enum decoding the operation's errors: its own, or the one it shares.
    let error_enum = match &op.error_sharing {
        Sharing::AliasOf(target) => Some(target.clone()),
        _ => op.error_type.clone(),
    };
    out.push_str("// ---- operation types (module root)\n");
    out.push_str(&format(root_items(file, &own)));

    out.push_str("\n// ---- client\n");
    let client = module_items(file, "client");
    let method = client
        .iter()
        .filter_map(|item| match item {
            Item::Impl(i) if item_type_name(item).as_deref() == Some("Client") => Some(i),
            _ => None,
        })
        .flat_map(|i| i.items.iter())
        .find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == op.name.trim_start_matches("r#") => Some(f.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("client has a method `{}`", op.name));
    out.push_str(&format(vec![syn::parse_quote! { impl Client { #method } }]));
    // The impls decoding and sending the operation's errors: its enum's, or the one it shares.
    let for_error_enum = |item: &&Item| {
        matches!(item, Item::Impl(i) if i.trait_.is_some()) && item_type_name(item).is_some_and(|name| Some(&name) == error_enum.as_ref())
    };
    out.push_str(&format(client.iter().filter(for_error_enum).cloned().collect()));

    out.push_str("\n// ---- server\n");
    let server = module_items(file, "server");
    let snake = op.name.trim_start_matches("r#");
    let trait_method = server
        .iter()
        .find_map(|item| match item {
            Item::Trait(t) if t.ident == "Api" => t.items.iter().find_map(|ti| match ti {
                TraitItem::Fn(f) if f.sig.ident == snake => Some(f.clone()),
                _ => None,
            }),
            _ => None,
        })
        .unwrap_or_else(|| panic!("server trait has `{snake}`"));
    let request = format!("{}Request", op.type_name);
    let fns = [format!("handle_{snake}"), format!("decode_{snake}"), format!("encode_{snake}")];
    let mut items: Vec<Item> = vec![syn::parse_quote! { pub trait Api { #trait_method } }];
    items.extend(server.iter().filter(|item| match item {
        Item::Struct(s) => s.ident == request,
        Item::Fn(f) => fns.iter().any(|n| f.sig.ident == n),
        Item::Impl(_) => for_error_enum(item),
        _ => false,
    }).cloned());
    out.push_str(&format(items));
    out
}

/// Checks one snapshot, recording its name on mismatch instead of stopping.
fn check(failures: &mut Vec<String>, name: String, value: String) {
    if catch_unwind(AssertUnwindSafe(|| insta::assert_snapshot!(name.clone(), value))).is_err() {
        failures.push(name);
    }
}

fn check_spec(path: &PathBuf, failures: &mut Vec<String>) {
    let stem = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name").to_string();
    let display = format!("specs/{}", path.file_name().and_then(|s| s.to_str()).unwrap_or_default());
    let text = std::fs::read_to_string(path).expect("spec is readable");
    let generated = generator::generate(&display, &text, Options::default()).unwrap_or_else(|d| panic!("{d}"));
    let module = generator::render::module_file(&generated.api, &generated.items, &display).expect("renders");
    let file: syn::File = syn::parse2(generated.items.clone()).expect("generated items parse");

    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.set_input_file(path);
    settings.bind(|| {
        for op in &generated.api.operations {
            let name = format!("{stem}__{}", op.name.trim_start_matches("r#"));
            check(failures, name.clone(), operation_snapshot(&file, op));
            let models = models_of(&generated.api, op);
            check(failures, format!("{name}__models"), format(root_items(&file, &models)));
        }
        check(failures, format!("{stem}__module"), module);
        let docs = generator::docs::render(&generated.api, &stem).expect("docs render");
        let all_docs: Vec<String> = docs.iter().map(|(file, text)| format!("==== {file}\n{text}")).collect();
        check(failures, format!("{stem}__docs"), all_docs.join("\n"));
    });
}

/// One helper over every spec; every mismatching snapshot is named, not just the first.
#[test]
fn snapshots_of_every_spec() {
    let mut failures = Vec::new();
    for spec in specs() {
        check_spec(&spec, &mut failures);
    }
    assert!(failures.is_empty(), "snapshot mismatches (review with `cargo insta review`):\n{}", failures.join("\n"));
}

/// Every snapshot of one spec by name, computed from `text` (without insta).
fn snapshot_contents(stem: &str, display: &str, text: &str) -> std::collections::BTreeMap<String, String> {
    let generated = generator::generate(display, text, Options::default()).unwrap_or_else(|d| panic!("{d}"));
    let file: syn::File = syn::parse2(generated.items.clone()).expect("generated items parse");
    let mut out = std::collections::BTreeMap::new();
    for op in &generated.api.operations {
        let name = format!("{stem}__{}", op.name.trim_start_matches("r#"));
        out.insert(name.clone(), operation_snapshot(&file, op));
        out.insert(format!("{name}__models"), format(root_items(&file, &models_of(&generated.api, op))));
    }
    out.insert(format!("{stem}__module"), generator::render::module_file(&generated.api, &generated.items, display).expect("renders"));
    let docs = generator::docs::render(&generated.api, stem).expect("docs render");
    let all_docs: Vec<String> = docs.iter().map(|(file, text)| format!("==== {file}\n{text}")).collect();
    out.insert(format!("{stem}__docs"), all_docs.join("\n"));
    out
}

/// The snapshot as stored, without insta's header.
fn stored(name: &str) -> String {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots")).join(format!("{name}.snap"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
    body.trim_end().to_string()
}

/// A one-line change to a parameter's description fails exactly the snapshots of its
/// operation, the module and the docs.
#[test]
fn one_line_change_fails_exactly_the_affected_snapshots() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/nutanix.yaml")).expect("spec");
    let unchanged = snapshot_contents("nutanix", "specs/nutanix.yaml", &text);
    assert!(unchanged.iter().all(|(name, content)| stored(name) == content.trim_end()), "stored snapshots are current");
    let edited = text.replacen(
        "        - name: token_type_hint\n          in: query\n",
        "        - name: token_type_hint\n          in: query\n          description: A hint about the type of the token\n",
        1,
    );
    assert_ne!(edited, text, "the spec still has the line this test edits");
    let changed: Vec<String> = snapshot_contents("nutanix", "specs/nutanix.yaml", &edited)
        .into_iter()
        .filter(|(name, content)| stored(name) != content.trim_end())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(changed, ["nutanix__docs", "nutanix__module", "nutanix__oauth_revoke_token_post"]);
}
