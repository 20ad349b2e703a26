//! The API's own error body for requests the server rejects before they reach the
//! implementation (`OAuthError`, `Failure`, `OauthStatus`, `DefaultError` …): an expression
//! that fills the operation's declared error model from a status, an error code and a message.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rust_type, value_expr, Models};
use crate::ir::{Api, Field, Prim, TypeKind, TypeRef};

/// An expression of type `ty` built from `status: u16`, `code: &str` and `message: &str` in
/// scope; `None` when a required part cannot be filled.
pub fn fill(api: &Api, ty: &TypeRef, hint: &str, depth: usize) -> Option<TokenStream> {
    let models = Models::Parent;
    if depth > 4 {
        return None;
    }
    match ty {
        TypeRef::Prim(Prim::String) => Some(match hint {
            "code" | "reason" | "error" | "type" | "error_code" => quote! { code.to_string() },
            "status" => quote! { status.to_string() },
            "title" => quote! { ::oauth_api::server::reason_phrase(status).to_string() },
            "state" => quote! { String::from("ERROR") },
            _ if is_message(hint) => quote! { message.to_string() },
            _ => return None,
        }),
        TypeRef::Prim(p @ (Prim::I32 | Prim::I64 | Prim::U32 | Prim::U64)) if matches!(hint, "code" | "status" | "status_code") => {
            Some(match p {
                Prim::I32 => quote! { i32::from(status) },
                Prim::I64 => quote! { i64::from(status) },
                Prim::U32 => quote! { u32::from(status) },
                _ => quote! { u64::from(status) },
            })
        }
        TypeRef::Array(inner) => {
            let item = fill(api, inner, hint, depth + 1)?;
            Some(quote! { vec![#item] })
        }
        TypeRef::Named(name) => match &api.types.get(name)?.kind {
            TypeKind::Alias { target } => fill(api, target, hint, depth + 1),
            TypeKind::Enum { variants, open, integer: false, .. } if matches!(hint, "error" | "code" | "reason" | "type") => {
                let t = models.path(name);
                if *open {
                    return Some(quote! { #t::from(code) });
                }
                let fallback = variants.iter().find(|v| v.value == "invalid_request").or_else(|| variants.first())?;
                let fallback = ident(&fallback.name);
                Some(quote! { code.parse().unwrap_or(#t::#fallback) })
            }
            TypeKind::Struct { fields, additional } => {
                let t = models.path(name);
                let inits = fields.iter().map(|f| field_init(api, f, depth)).collect::<Option<Vec<_>>>()?;
                let extra = additional.as_ref().map(|_| quote! { additional_properties: std::collections::BTreeMap::new(), });
                Some(quote! { #t { #(#inits)* #extra } })
            }
            TypeKind::Union { variants, .. } => {
                let v = variants.first()?;
                let inner = fill(api, &v.ty, hint, depth + 1)?;
                let (t, vname) = (models.path(name), ident(&v.name));
                Some(quote! { #t::#vname(#inner) })
            }
            TypeKind::Enum { .. } => None,
        },
        TypeRef::Any => {
            let root = models.root();
            Some(quote! { #root serde_json::json!({ "error": code, "error_description": message }) })
        }
        _ => None,
    }
}

fn is_message(hint: &str) -> bool {
    matches!(hint, "message" | "detail" | "details" | "description" | "error_description" | "error_message" | "msg")
}

fn field_init(api: &Api, f: &Field, depth: usize) -> Option<TokenStream> {
    let name = ident(&f.name);
    let hint = crate::ir::names::unraw(&f.name);
    let optional = !f.required || f.nullable;
    let with_default = !f.required && !f.nullable && f.default.is_some();
    if with_default {
        if let Some(v) = f.default.as_ref().and_then(|d| value_expr(api, &f.ty, d, Models::Parent)) {
            return Some(quote! { #name: #v, });
        }
    }
    // Optional nested objects stay out (`"source": {}` says nothing); lists get one entry.
    let skip_optional_object = optional && matches!(&f.ty, TypeRef::Named(n) if matches!(api.types.get(n).map(|t| &t.kind), Some(TypeKind::Struct { .. })));
    if skip_optional_object {
        return Some(quote! { #name: None, });
    }
    match fill(api, &f.ty, hint, depth + 1).map(super::Moved::from) {
        Some(v) if f.boxed && optional => Some(quote! { #name: Some(Box::new(#v)), }),
        Some(v) if f.boxed => Some(quote! { #name: Box::new(#v), }),
        Some(v) if optional => Some(quote! { #name: Some(#v), }),
        Some(v) => Some(quote! { #name: #v, }),
        None if optional => Some(quote! { #name: None, }),
        None => match &f.ty {
            TypeRef::Prim(Prim::String) => Some(quote! { #name: String::new(), }),
            TypeRef::Array(_) => Some(quote! { #name: Vec::new(), }),
            TypeRef::Map(_) => Some(quote! { #name: std::collections::BTreeMap::new(), }),
            TypeRef::Prim(Prim::Bool) => Some(quote! { #name: false, }),
            TypeRef::Prim(Prim::I32 | Prim::I64 | Prim::U32 | Prim::U64) => {
                let ty = rust_type(&f.ty, Models::Root);
                Some(quote! { #name: <#ty>::default(), })
            }
            _ => None,
        },
    }
}
