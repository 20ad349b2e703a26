//! The server's router state (`Shared<A>`) keeps only what the handlers read. An unread field
//! is a `dead_code` warning in the checked-in output (`generator --spec`), which the macro's
//! expansion does not show, so `tests/tests/fixtures_compile.rs` cannot catch it.

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The names of `Shared`'s fields in the `server` module of `spec`, and the module's tokens.
fn shared_fields(spec: &str) -> (Vec<String>, String) {
    let path = format!("{}/../{spec}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the spec");
    let generated = generator::generate(spec, &text, generator::Options::default()).unwrap_or_else(|d| panic!("{d}"));
    let file: syn::File = syn::parse2(generated.items).expect("generated items parse");
    let server = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "server" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .expect("a server module");
    let shared = server
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == "Shared" => Some(s),
            _ => None,
        })
        .expect("the router state");
    let fields = shared.fields.iter().filter_map(|f| f.ident.as_ref().map(ToString::to_string)).collect();
    let mut tokens = TokenStream::new();
    for item in server {
        item.to_tokens(&mut tokens);
    }
    (fields, tokens.to_string())
}

#[test]
fn every_field_of_the_router_state_is_read() {
    for spec in ["tests/corpus/repros/server-without-request-bodies.yaml", "specs/nutanix.yaml", "specs/treezor.yaml"] {
        let (fields, module) = shared_fields(spec);
        assert!(fields.contains(&"api".to_string()), "{spec}: {fields:?}");
        for field in fields {
            assert!(module.contains(&format!("app . {field}")), "{spec}: `Shared::{field}` is never read");
        }
    }
}
