//! Unit tests of the expansion, run with the workspace root as the base directory so that
//! `specs/x.yaml` means the same file as for `cargo run -p generator`.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use super::expand_in;

const SPECS: [&str; 4] = ["polaris", "confluent", "nutanix", "treezor"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("macros/ is in the workspace")
        .to_path_buf()
}

fn expand(args: TokenStream, item: TokenStream) -> syn::Result<syn::ItemMod> {
    expand_in(&root(), args, item).map(|tokens| syn::parse2(tokens).expect("the expansion is a module"))
}

fn expand_err(args: TokenStream, item: TokenStream) -> Vec<String> {
    match expand_in(&root(), args, item) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

/// Whether `item` is the `const _: &str = include_str!(…);` that tracks the spec.
fn is_include(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Const(c) if c.ident == "_" && quote!(#c).to_string().contains("include_str"))
}

/// The items of the module, without the `include_str!` const, formatted as `generated/` is.
fn formatted_items(module: &syn::ItemMod) -> String {
    let items = module.content.as_ref().expect("a body").1.iter().filter(|i| !is_include(i));
    generator::render::format_items(&quote!(#(#items)*)).expect("the expansion parses")
}

/// `generated/src/{name}.rs` split into its `//!` lines and its items.
fn checked_in(name: &str) -> (Vec<String>, String) {
    let path = root().join(format!("generated/src/{name}.rs"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut docs = Vec::new();
    let mut rest = text.as_str();
    while let Some((line, tail)) = rest.split_once('\n') {
        if line.starts_with("//!") {
            docs.push(
                line.trim_start_matches("//!")
                    .strip_prefix(' ')
                    .unwrap_or("")
                    .to_string(),
            );
        } else if !line.starts_with("//") {
            assert!(line.is_empty(), "a blank line follows the header of {name}.rs");
            rest = tail;
            break;
        }
        rest = tail;
    }
    (docs, rest.to_string())
}

/// The text of the module's `#[doc]` attributes, one entry per attribute.
fn docs(module: &syn::ItemMod) -> Vec<String> {
    module
        .attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s), ..
                }) => Some(s.value().strip_prefix(' ').unwrap_or("").to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn module_names(module: &syn::ItemMod) -> Vec<String> {
    module
        .content
        .as_ref()
        .expect("a body")
        .1
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn expansion_is_identical_to_generated() {
    for name in SPECS {
        let path = format!("specs/{name}.yaml");
        let module = expand(
            quote!(#path),
            quote!(
                pub mod api {}
            ),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let (docs_lines, items) = checked_in(name);
        let expanded = formatted_items(&module);
        if expanded != items {
            let line = expanded
                .lines()
                .zip(items.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{name}: the expansion differs from generated/src/{name}.rs at item line {}:\n  macro:     {:?}\n  generated: {:?}",
                line + 1,
                expanded.lines().nth(line),
                items.lines().nth(line)
            );
        }
        assert_eq!(
            docs(&module),
            docs_lines,
            "{name}: the module docs are the `//!` header"
        );
    }
}

#[test]
fn the_spec_is_included_by_absolute_path() {
    let module = expand(
        quote!("specs/polaris.yaml"),
        quote!(
            mod polaris {}
        ),
    )
    .unwrap();
    let items = &module.content.as_ref().unwrap().1;
    let include = items.iter().find(|i| is_include(i)).expect("an include_str! const");
    let text = quote!(#include).to_string();
    let expected = std::fs::canonicalize(root().join("specs/polaris.yaml")).unwrap();
    assert!(text.contains(&format!("{:?}", expected.to_string_lossy())), "{text}");
    assert!(expected.is_absolute());
}

#[test]
fn options_select_client_or_server() {
    let both = expand(
        quote!("specs/treezor.yaml"),
        quote!(
            mod t {}
        ),
    )
    .unwrap();
    assert_eq!(module_names(&both), ["client", "server"]);
    let explicit_both = expand(
        quote!("specs/treezor.yaml", client, server,),
        quote!(
            mod t {}
        ),
    )
    .unwrap();
    assert_eq!(formatted_items(&explicit_both), formatted_items(&both));
    let client = expand(
        quote!("specs/treezor.yaml", client),
        quote!(
            mod t {}
        ),
    )
    .unwrap();
    assert_eq!(module_names(&client), ["client"]);
    let server = expand(
        quote!("specs/treezor.yaml", server,),
        quote!(
            mod t {}
        ),
    )
    .unwrap();
    assert_eq!(module_names(&server), ["server"]);
    let text = formatted_items(&server);
    assert!(!text.contains("reqwest"), "the server-only expansion needs no reqwest");
    let text = formatted_items(&client);
    assert!(!text.contains("axum"), "the client-only expansion needs no axum");
    assert!(!text.contains("base64"), "the client-only expansion needs no base64");
}

#[test]
fn user_items_attributes_and_docs_are_kept() {
    let module = expand(
        quote!("specs/polaris.yaml"),
        quote! {
            /// My docs.
            #[allow(dead_code)]
            pub(crate) mod polaris {
                #![allow(clippy::all)]
                pub const MINE: u8 = 1;
                pub fn helper() -> u8 { MINE }
            }
        },
    )
    .unwrap();
    assert_eq!(docs(&module), ["My docs."], "user docs replace the API's");
    assert_eq!(module.attrs.len(), 3, "doc, allow, and the inner allow");
    assert!(matches!(module.vis, syn::Visibility::Restricted(_)));
    let items = &module.content.as_ref().unwrap().1;
    assert!(matches!(&items[0], syn::Item::Const(c) if c.ident == "MINE"));
    assert!(matches!(&items[1], syn::Item::Fn(f) if f.sig.ident == "helper"));
    assert!(is_include(&items[2]));
    let text = formatted_items(&module);
    assert!(text.contains("pub struct OAuthTokenResponse"));
}

#[test]
fn spec_problems_are_errors_on_the_literal_with_position_and_pointer() {
    let errors = expand_err(
        quote!("tests/ui/specs/dangling_ref.yaml"),
        quote!(
            mod m {}
        ),
    );
    assert!(errors.len() >= 2, "one error per diagnostic: {errors:#?}");
    for e in &errors {
        assert!(e.starts_with("tests/ui/specs/dangling_ref.yaml:"), "{e}");
        assert!(e.contains(": error at #/"), "{e}");
    }
    let errors = expand_err(
        quote!("tests/ui/specs/invalid_yaml.yaml"),
        quote!(
            mod m {}
        ),
    );
    assert!(
        errors[0].starts_with("tests/ui/specs/invalid_yaml.yaml:4:"),
        "{errors:?}"
    );
    assert!(errors[0].contains("invalid YAML"), "{errors:?}");
    let errors = expand_err(
        quote!("specs/missing.yaml"),
        quote!(
            mod m {}
        ),
    );
    assert!(
        errors[0].starts_with("specs/missing.yaml: cannot read the spec:"),
        "{errors:?}"
    );
}

#[test]
fn openapi_31_and_swagger_2_expand() {
    for spec in ["tests/ui/specs/openapi_31.yaml", "tests/ui/specs/swagger_2.yaml"] {
        let module = expand(
            quote!(#spec),
            quote!(
                mod m {}
            ),
        )
        .unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(module_names(&module), ["client", "server"], "{spec}");
    }
}

#[test]
fn argument_errors() {
    let item = quote!(
        mod m {}
    );
    assert!(expand_err(quote!(), item.clone())[0].starts_with("missing the spec path"));
    assert!(expand_err(quote!(SPEC), item.clone())[0].starts_with("the spec path must be a string literal"));
    assert!(
        expand_err(quote!(concat!("a", "b")), item.clone())[0].starts_with("the spec path must be a string literal")
    );
    assert!(expand_err(quote!(b"x.yaml"), item.clone())[0].starts_with("the spec path must be a string literal"));
    assert!(expand_err(quote!(path = "x.yaml"), item.clone())[0].starts_with("the spec path must be a string literal"));
    assert!(expand_err(quote!("specs/polaris.yaml", clinet), item.clone())[0].starts_with("unknown option `clinet`"));
    assert!(expand_err(quote!("specs/polaris.yaml", client, client), item.clone())[0].contains("given twice"));
    assert!(expand_err(quote!("specs/polaris.yaml", client = true), item.clone())[0].starts_with("expected an option"));
    assert!(expand_err(quote!("specs/polaris.yaml",, client), item.clone())[0].starts_with("empty option"));
    // Every argument error is reported, and so is a bad item.
    let errors = expand_err(
        quote!(SPEC, nope),
        quote!(
            struct S;
        ),
    );
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn only_modules_with_a_body() {
    let args = quote!("specs/polaris.yaml");
    let e = expand_err(
        args.clone(),
        quote!(
            mod polaris;
        ),
    );
    assert!(e[0].contains("`mod polaris;` would load `polaris.rs`"), "{e:?}");
    let e = expand_err(
        args.clone(),
        quote!(
            pub struct Polaris;
        ),
    );
    assert!(e[0].ends_with("not a struct"), "{e:?}");
    let e = expand_err(
        args.clone(),
        quote!(
            fn polaris() {}
        ),
    );
    assert!(e[0].ends_with("not a function"), "{e:?}");
    let e = expand_err(
        args,
        quote!(
            use std::fmt;
        ),
    );
    assert!(e[0].ends_with("not this item"), "{e:?}");
}

#[test]
fn literal_from_a_macro_rules_fragment_is_accepted() {
    let lit = proc_macro2::Group::new(proc_macro2::Delimiter::None, quote!("specs/polaris.yaml"));
    assert!(expand(
        quote!(#lit),
        quote!(
            mod m {}
        )
    )
    .is_ok());
}
