//! Stage 3, tokens: IR → `proc_macro2::TokenStream`, with `quote!` only (never string
//! concatenation of Rust source).
//!
//! One API becomes the *contents* of one module: the models at its root, `client` (reqwest)
//! and `server` (axum), each optional. Everything that does not depend on the spec lives in
//! the runtime crate, `oauth_api`, which generated code names by absolute path.

mod client;
mod client_method;
mod enums;
mod error_body;
mod server;
mod server_handler;
pub(crate) mod types;
mod validate;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::ir::{Api, Operation, Prim, Response, TypeKind, TypeRef};

pub use client::OWN_METHODS as CLIENT_OWN_METHODS;
pub use server::OWN_METHODS as SERVER_OWN_METHODS;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The `client` module (needs `reqwest`).
    pub client: bool,
    /// The `server` module (needs `axum`).
    pub server: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { client: true, server: true }
    }
}

/// One piece of a generated module, in order. [`module`] joins the pieces into one token
/// stream (what the macro expands to); `render` formats and writes them one at a time, so
/// that only one piece's tokens and syntax tree are alive at once (large specs).
pub enum Part<'a> {
    /// Complete items: module items, or members of the `impl` or `trait` of a [`Part::Nest`].
    Items(TokenStream),
    /// An item with a braced body (`mod`, `impl`, `trait`) made of further pieces.
    Nest {
        /// The item around a body: `head(body)` is the whole item.
        head: Head<'a>,
        /// The pieces of the body, generated when iterated.
        body: Parts<'a>,
    },
}

/// The item around a body: given the body's tokens, the whole item.
pub type Head<'a> = Box<dyn Fn(TokenStream) -> TokenStream + 'a>;

/// Pieces of a module or body, generated when iterated.
pub type Parts<'a> = Box<dyn Iterator<Item = Part<'a>> + 'a>;

/// The items of the module generated for `api`.
pub fn module(api: &Api, options: Options) -> TokenStream {
    join(parts(api, options))
}

/// Pieces joined into one token stream.
pub fn join(parts: Parts<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    for part in parts {
        match part {
            Part::Items(items) => out.extend(items),
            Part::Nest { head, body } => out.extend(head(join(body))),
        }
    }
    out
}

/// The braces around a body, for a [`Head`]: interpolating a group shares its tokens instead
/// of copying them.
pub(crate) fn braced(body: TokenStream) -> proc_macro2::Group {
    proc_macro2::Group::new(proc_macro2::Delimiter::Brace, body)
}

/// The pieces of the module generated for `api`, in order; [`module`] joins them.
pub fn parts(api: &Api, options: Options) -> Parts<'_> {
    // An API without operations (only components) is models only.
    let has_operations = !api.operations.is_empty();
    let reexport = (options.client && has_operations && !api.types.contains_key("Client")).then(|| {
        quote! {
            #[doc(inline)]
            pub use client::Client;
        }
    });
    let crates = [
        uses_json_values(api).then(|| quote! { serde_json }),
        uses_chrono(api).then(|| quote! { chrono }),
    ];
    let crates: Vec<&TokenStream> = crates.iter().flatten().collect();
    let imports = (!crates.is_empty()).then(|| quote! { use ::oauth_api::__private::{#(#crates),*}; });
    let client = (options.client && has_operations).then_some(api).into_iter().map(client::client);
    let server = (options.server && has_operations).then_some(api).into_iter().map(server::server);
    Box::new(
        std::iter::once(Part::Items(quote! { #imports #reexport }))
            .chain(types::models(api))
            .chain(types::operation_types(api))
            .chain(client)
            .chain(server),
    )
}

/// Whether the models name `serde_json` (untyped values).
fn uses_json_values(api: &Api) -> bool {
    fn has(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Any => true,
            TypeRef::Array(t) | TypeRef::Map(t) => has(t),
            _ => false,
        }
    }
    api.types.values().any(|t| match &t.kind {
        TypeKind::Struct { fields, additional } => fields.iter().any(|f| has(&f.ty)) || additional.as_ref().is_some_and(has),
        TypeKind::Union { variants, .. } => variants.iter().any(|v| has(&v.ty)),
        TypeKind::Alias { target } => has(target),
        TypeKind::Enum { .. } => false,
    }) || api.operations.iter().any(|op| {
        op.params.iter().any(|p| has(&p.ty))
            || op.responses.iter().any(|r| r.body.as_ref().is_some_and(|b| has(&b.ty)))
            || op.body.as_ref().is_some_and(|b| has(&b.ty))
    })
}

/// An identifier from an IR name (`r#type` becomes a raw identifier).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "…"]` attributes, one per line, from optional text parts joined by blank lines.
/// Spec text is made safe for rustdoc the same way as in the Markdown docs.
pub(crate) fn doc(parts: &[Option<&str>]) -> TokenStream {
    let paragraphs: Vec<String> =
        parts.iter().flatten().filter(|s| !s.trim().is_empty()).map(|s| crate::docs::text::para(s)).collect();
    let text = paragraphs.join("\n\n");
    let lines = text.lines().map(|l| {
        let l = doc_line(l);
        quote! { #[doc = #l] }
    });
    quote! { #(#lines)* }
}

/// The string literal of one doc line, `" {line}"`. Made from its `Debug` spelling: std's
/// escaping is compiled optimized, while `Literal::string`'s runs unoptimized in a proc macro,
/// where it was a tenth of an expansion.
fn doc_line(line: &str) -> proc_macro2::Literal {
    str_literal(&format!(" {line}"))
}

/// A string literal made from its `Debug` spelling (see [`doc_line`]).
pub(crate) fn str_literal(text: &str) -> proc_macro2::Literal {
    format!("{text:?}").parse().unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

/// The Rust spelling of a type use; `models` is the path prefix of the model types
/// (empty at the module root, `super::` inside `client`/`server`).
pub(crate) fn rust_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(n) => {
            let n = ident(n);
            quote! { #models #n }
        }
        TypeRef::Prim(p @ (Prim::DateTime | Prim::Date)) => {
            // `chrono`, like `serde_json`, is imported at the module root only.
            let chrono = quote! { #models chrono };
            match p {
                Prim::DateTime => quote! { #chrono::DateTime<#chrono::Utc> },
                _ => quote! { #chrono::NaiveDate },
            }
        }
        TypeRef::Prim(p) => prim_type(*p),
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, models);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, models);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        // `serde_json` is imported at the module root, `super::serde_json` below it.
        TypeRef::Any => quote! { #models serde_json::Value },
    }
}

pub(crate) fn prim_type(p: Prim) -> TokenStream {
    match p {
        Prim::String => quote! { String },
        Prim::DateTime => quote! { chrono::DateTime<chrono::Utc> },
        Prim::Date => quote! { chrono::NaiveDate },
        Prim::Binary => quote! { Vec<u8> },
        Prim::Bool => quote! { bool },
        Prim::I32 => quote! { i32 },
        Prim::I64 => quote! { i64 },
        Prim::U32 => quote! { u32 },
        Prim::U64 => quote! { u64 },
        Prim::F32 => quote! { f32 },
        Prim::F64 => quote! { f64 },
    }
}

/// The success payload type of an operation (`{Op}Success`, the single body type, or `()`).
pub(crate) fn success_type(op: &Operation, models: &TokenStream) -> TokenStream {
    match &op.success_type {
        Some(name) => {
            let name = ident(name);
            quote! { #models #name }
        }
        None => match op.successes().next().and_then(|r| r.body.as_ref()) {
            Some(body) => rust_type(&body.ty, models),
            None => quote! { () },
        },
    }
}

/// The declared-error type of an operation (`{Op}Error`, or `Infallible` when the spec
/// declares no error response).
pub(crate) fn error_type(op: &Operation, models: &TokenStream) -> TokenStream {
    match &op.error_type {
        Some(name) => {
            let name = ident(name);
            quote! { #models #name }
        }
        None => quote! { std::convert::Infallible },
    }
}

/// The enum holding `response` (for plain single successes: none).
pub(crate) fn response_enum(op: &Operation, response: &Response) -> Option<Ident> {
    if response.status.is_success() { op.success_type.as_deref() } else { op.error_type.as_deref() }.map(ident)
}

/// Whether any type of the API uses chrono.
pub(crate) fn uses_chrono(api: &Api) -> bool {
    fn has(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Prim(Prim::DateTime | Prim::Date) => true,
            TypeRef::Array(t) | TypeRef::Map(t) => has(t),
            _ => false,
        }
    }
    api.types.values().any(|t| match &t.kind {
        TypeKind::Struct { fields, additional } => fields.iter().any(|f| has(&f.ty)) || additional.as_ref().is_some_and(has),
        TypeKind::Union { variants, .. } => variants.iter().any(|v| has(&v.ty)),
        TypeKind::Alias { target } => has(target),
        TypeKind::Enum { .. } => false,
    }) || api.operations.iter().any(|op| {
        op.params.iter().any(|p| has(&p.ty))
            || op.responses.iter().any(|r| r.headers.iter().any(|h| has(&h.ty)) || r.body.as_ref().is_some_and(|b| has(&b.ty)))
            || op.body.as_ref().is_some_and(|b| has(&b.ty))
    })
}

/// A Rust expression of type `ty` for the JSON `value` (a schema `default`), when one can be
/// written; `None` otherwise.
pub(crate) fn value_expr(api: &Api, ty: &TypeRef, value: &Value, models: &TokenStream) -> Option<TokenStream> {
    Some(match (ty, value) {
        (TypeRef::Prim(Prim::String), Value::String(s)) => quote! { String::from(#s) },
        (TypeRef::Prim(Prim::Bool), Value::Bool(b)) => quote! { #b },
        (TypeRef::Prim(p @ (Prim::I32 | Prim::I64 | Prim::U32 | Prim::U64)), Value::Number(n)) => {
            let lit = match p {
                Prim::I32 => proc_macro2::Literal::i32_unsuffixed(i32::try_from(n.as_i64()?).ok()?),
                Prim::I64 => proc_macro2::Literal::i64_unsuffixed(n.as_i64()?),
                Prim::U32 => proc_macro2::Literal::u32_unsuffixed(u32::try_from(n.as_u64()?).ok()?),
                _ => proc_macro2::Literal::u64_unsuffixed(n.as_u64()?),
            };
            quote! { #lit }
        }
        (TypeRef::Prim(Prim::F32), Value::Number(n)) => {
            let lit = proc_macro2::Literal::f32_unsuffixed(n.as_f64()? as f32);
            quote! { #lit }
        }
        (TypeRef::Prim(Prim::F64), Value::Number(n)) => {
            let lit = proc_macro2::Literal::f64_unsuffixed(n.as_f64()?);
            quote! { #lit }
        }
        (TypeRef::Array(_), Value::Array(items)) if items.is_empty() => quote! { Vec::new() },
        (TypeRef::Named(n), v) => match &api.types.get(n)?.kind {
            TypeKind::Enum { variants, .. } => {
                let variant = variants.iter().find(|variant| &variant.value == v)?;
                let (ty, var) = (ident(n), ident(&variant.name));
                quote! { #models #ty::#var }
            }
            TypeKind::Alias { target } => value_expr(api, target, v, models)?,
            _ => return None,
        },
        _ => return None,
    })
}

/// `snake_case` identifier for a generated helper function named after a type and field.
pub(crate) fn helper_ident(parts: &[&str]) -> Ident {
    let joined: Vec<String> = parts.iter().map(|p| crate::ir::names::snake_case(crate::ir::names::unraw(p))).collect();
    format_ident!("{}", joined.join("_"))
}

