//! `#[oauth_api("spec.yaml")]`: generate an OAuth API's models, client and server stub inside
//! a module of your crate, from an OpenAPI 3.0 spec.
//!
//! ```ignore
//! use oauth_api_macros::oauth_api;
//!
//! #[oauth_api("specs/nutanix.yaml")]
//! pub mod nutanix {}
//! ```
//!
//! The path is relative to the directory of your crate's `Cargo.toml` (`CARGO_MANIFEST_DIR`).
//! Options may follow it, separated by commas: `client` emits only the client (no `axum`
//! needed), `server` only the server stub (no `reqwest` needed); with none, both. Items you
//! write inside the module are kept; the generated ones follow them. The crate is rebuilt
//! when the spec changes.
//!
//! This crate is a thin shim: all code generation is in the `generator` library, which also
//! writes `generated/` (`cargo run -p generator`), so both give the same items. Every problem,
//! in the arguments or in the spec, is a compile error on the path literal or the offending
//! option, naming the spec file, the JSON pointer and the line:column of the problem.

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::{Item, LitStr};

/// Generates the models, client and server stub of an OpenAPI 3.0 spec inside the module it
/// is applied to.
///
/// `#[oauth_api("path/to/spec.yaml")]`, `#[oauth_api("path/to/spec.yaml", client)]` or
/// `#[oauth_api("path/to/spec.yaml", server)]` on `mod name { … }`. The path is relative to
/// `CARGO_MANIFEST_DIR`. See the crate documentation.
#[proc_macro_attribute]
pub fn oauth_api(args: proc_macro::TokenStream, item: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let item = TokenStream::from(item);
    match expand(args.into(), item.clone()) {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            let mut out = keep(item);
            out.extend(err.to_compile_error());
            out.into()
        }
    }
}

/// The item as written, so that the only errors are the macro's and not a cascade of "cannot
/// find" errors about the user's own items; `mod x;` becomes `mod x {}` (no `x.rs` to load).
fn keep(item: TokenStream) -> TokenStream {
    match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Mod(mut module)) if module.content.is_none() => {
            module.content = Some((Default::default(), Vec::new()));
            module.semi = None;
            module.into_token_stream()
        }
        _ => item,
    }
}

/// The whole expansion: `item` (a module with a body) with the generated items appended.
fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    expand_in(&base_dir(), args, item)
}

/// The directory relative spec paths are resolved against: the crate being compiled.
fn base_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// [`expand`] with relative spec paths resolved against `base`.
fn expand_in(base: &Path, args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let args = parse_args(args);
    let module = parse_module(item);
    let (args, mut module) = match (args, module) {
        (Ok(args), Ok(module)) => (args, module),
        (Err(mut a), Err(m)) => {
            a.combine(m);
            return Err(a);
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };

    let relative = args.path.value();
    let path = base.join(&relative);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        syn::Error::new(
            args.path.span(),
            format!(
                "{relative}: cannot read the spec: {e}; \
                 relative paths are resolved against the directory of the crate's Cargo.toml"
            ),
        )
    })?;
    let generated = generate(&relative, &text, args.options).map_err(|diags| diagnostics_error(&args.path, &diags))?;

    // Rebuild the crate when the spec changes.
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    let tracked = LitStr::new(&path.to_string_lossy(), args.path.span());
    let include: Item = syn::parse_quote! {
        const _: &str = include_str!(#tracked);
    };

    // The API's description becomes the module's docs, unless the user wrote their own.
    if !module.attrs.iter().any(|a| a.path().is_ident("doc")) {
        let docs = generator::render::module_doc(&generated.api);
        let docs = docs.lines().map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#[doc = #line])
        });
        let user_attrs = std::mem::take(&mut module.attrs);
        module.attrs = syn::parse_quote!(#(#docs)*);
        module.attrs.extend(user_attrs);
    }

    let items = generated.items;
    let content = &mut module.content.as_mut().expect("checked by parse_module").1;
    content.push(include);
    content.push(Item::Verbatim(items));
    Ok(module.into_token_stream())
}

/// `generator::generate`, with a panic (a generator bug) turned into a diagnostic.
fn generate(
    file: &str,
    text: &str,
    options: generator::Options,
) -> Result<generator::Generated, generator::Diagnostics> {
    std::panic::catch_unwind(|| generator::generate(file, text, options)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(generator::Diagnostics(vec![generator::Diagnostic {
            file: file.to_string(),
            pointer: String::new(),
            location: None,
            message: format!("internal error in the generator ({message}); please report this"),
        }]))
    })
}

/// One error per diagnostic, all on the path literal.
fn diagnostics_error(path: &LitStr, diags: &generator::Diagnostics) -> syn::Error {
    let mut errors = diags.iter().map(|d| syn::Error::new(path.span(), d.to_string()));
    let mut error = errors.next().unwrap_or_else(|| {
        syn::Error::new(
            path.span(),
            format!("{}: error: the spec could not be generated", path.value()),
        )
    });
    for e in errors {
        error.combine(e);
    }
    error
}

/// The parsed attribute arguments.
#[derive(Debug)]
struct Args {
    path: LitStr,
    options: generator::Options,
}

const USAGE: &str = "expected `#[oauth_api(\"path/to/spec.yaml\")]`, optionally followed by `, client` or `, server`";

/// `"path" [, client | , server]*`, comma-separated, with an optional trailing comma.
fn parse_args(args: TokenStream) -> syn::Result<Args> {
    // Split at top-level commas (commas inside groups belong to the group).
    let mut parts: Vec<(Vec<TokenTree>, Option<Span>)> = vec![(Vec::new(), None)];
    for tt in args {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                parts.last_mut().expect("never empty").1 = Some(p.span());
                parts.push((Vec::new(), None));
            }
            _ => parts.last_mut().expect("never empty").0.push(tt),
        }
    }
    // A trailing comma leaves an empty last part.
    if parts.len() > 1 && parts.last().is_some_and(|(tokens, _)| tokens.is_empty()) {
        parts.pop();
    }

    let mut parts = parts.into_iter();
    let (first, comma) = parts.next().expect("never empty");
    let path = match first.as_slice() {
        [] => {
            let span = comma.unwrap_or_else(Span::call_site);
            return Err(syn::Error::new(span, format!("missing the spec path: {USAGE}")));
        }
        [tt] => literal_path(tt),
        _ => None,
    };
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let path = match path {
        Some(path) => Some(path),
        None => {
            let tokens: TokenStream = first.into_iter().collect();
            push(syn::Error::new_spanned(
                tokens,
                format!(
                    "the spec path must be a string literal, relative to the directory of the crate's Cargo.toml: {USAGE}"
                ),
            ));
            None
        }
    };

    let mut client = false;
    let mut server = false;
    for (tokens, comma) in parts {
        let option = match tokens.as_slice() {
            [TokenTree::Ident(ident)] => ident,
            [] => {
                push(syn::Error::new(
                    comma.unwrap_or_else(Span::call_site),
                    format!("empty option: {USAGE}"),
                ));
                continue;
            }
            _ => {
                let tokens: TokenStream = tokens.into_iter().collect();
                push(syn::Error::new_spanned(
                    tokens,
                    "expected an option: `client` (only the client) or `server` (only the server stub)",
                ));
                continue;
            }
        };
        let seen = match option.to_string().as_str() {
            "client" => &mut client,
            "server" => &mut server,
            other => {
                push(syn::Error::new(
                    option.span(),
                    format!(
                        "unknown option `{other}`: expected `client` (only the client) or `server` (only the server stub)"
                    ),
                ));
                continue;
            }
        };
        if *seen {
            push(syn::Error::new(option.span(), format!("option `{option}` given twice")));
        }
        *seen = true;
    }
    match (path, errors) {
        (Some(path), None) => {
            // No option means both.
            let options = if client || server {
                generator::Options { client, server }
            } else {
                generator::Options::default()
            };
            Ok(Args { path, options })
        }
        (_, Some(errors)) => Err(errors),
        // Not reached: a bad path pushes an error.
        (None, None) => Err(syn::Error::new(Span::call_site(), USAGE)),
    }
}

/// The string literal `tt`, looking through the invisible groups of `macro_rules!` fragments.
fn literal_path(tt: &TokenTree) -> Option<LitStr> {
    match tt {
        TokenTree::Literal(_) => syn::parse2::<LitStr>(tt.clone().into())
            .ok()
            .filter(|l| l.suffix().is_empty()),
        TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            match inner.as_slice() {
                [tt] => literal_path(tt),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The item, which must be a module with a body.
fn parse_module(item: TokenStream) -> syn::Result<syn::ItemMod> {
    const WANT: &str = "`#[oauth_api(\"spec.yaml\")]` applies to a module with a body, such as `pub mod api {}`";
    let item: Item = syn::parse2(item).map_err(|e| syn::Error::new(e.span(), format!("{WANT}: {e}")))?;
    let not_a_module = |head: TokenStream, what: &str| syn::Error::new_spanned(head, format!("{WANT}, not {what}"));
    match item {
        Item::Mod(module) if module.content.is_some() => Ok(module),
        Item::Mod(module) => {
            let (m, ident, semi) = (&module.mod_token, &module.ident, &module.semi);
            Err(syn::Error::new_spanned(
                quote!(#m #ident #semi),
                format!(
                    "{WANT}: `mod {ident};` would load `{ident}.rs`; write `mod {ident} {{}}` and the generated items go inside the braces"
                ),
            ))
        }
        Item::Struct(syn::ItemStruct {
            struct_token, ident, ..
        }) => Err(not_a_module(quote!(#struct_token #ident), "a struct")),
        Item::Enum(syn::ItemEnum { enum_token, ident, .. }) => Err(not_a_module(quote!(#enum_token #ident), "an enum")),
        Item::Fn(syn::ItemFn { sig, .. }) => {
            let (fn_token, ident) = (&sig.fn_token, &sig.ident);
            Err(not_a_module(quote!(#fn_token #ident), "a function"))
        }
        Item::Trait(syn::ItemTrait { trait_token, ident, .. }) => {
            Err(not_a_module(quote!(#trait_token #ident), "a trait"))
        }
        Item::Impl(syn::ItemImpl {
            impl_token, self_ty, ..
        }) => Err(not_a_module(quote!(#impl_token #self_ty), "an impl block")),
        other => Err(syn::Error::new(other.span(), format!("{WANT}, not this item"))),
    }
}

#[cfg(test)]
mod tests;
