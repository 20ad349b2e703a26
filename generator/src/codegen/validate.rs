//! `oauth_api::Validate` impls: the schema limits (`maxLength`, `minimum`, …) the server checks
//! before a request reaches the implementation.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use std::collections::BTreeSet;

use crate::ir::{Api, Field, TypeDef, TypeKind, TypeRef};

/// Whether a value of `ty` can break a limit: a struct with constraints somewhere inside.
pub fn can_fail(api: &Api, ty: &TypeRef) -> bool {
    fn go(api: &Api, ty: &TypeRef, seen: &mut BTreeSet<String>) -> bool {
        match ty {
            TypeRef::Named(n) => {
                if !seen.insert(n.clone()) {
                    return false;
                }
                match api.types.get(n).map(|t| &t.kind) {
                    Some(TypeKind::Struct { fields, additional }) => {
                        fields.iter().any(|f| (!f.constraints.is_empty() && limited(&f.ty)) || go(api, &f.ty, seen))
                            || additional.as_ref().is_some_and(|a| go(api, a, seen))
                    }
                    Some(TypeKind::Union { variants, .. }) => variants.iter().any(|v| go(api, &v.ty, seen)),
                    Some(TypeKind::Alias { target }) => go(api, target, seen),
                    Some(TypeKind::Enum { .. }) | None => false,
                }
            }
            TypeRef::Array(t) | TypeRef::Map(t) => go(api, t, seen),
            TypeRef::Prim(_) | TypeRef::Any => false,
        }
    }
    go(api, ty, &mut BTreeSet::new())
}

/// Types `oauth_api::Limited` knows: strings, numbers and arrays.
fn limited(ty: &TypeRef) -> bool {
    use crate::ir::Prim;
    match ty {
        TypeRef::Prim(p) => !matches!(p, Prim::DateTime | Prim::Date | Prim::Binary | Prim::Bool),
        TypeRef::Array(_) => true,
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Any => false,
    }
}

/// `impl oauth_api::Validate` for a struct: limits of each field, then nested types.
pub fn validate_struct(api: &Api, t: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&t.name);
    let checks: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let fname = ident(&f.name);
            let wire = f.wire_name.as_str();
            let c = &f.constraints;
            let limits = (!c.is_empty() && limited(&f.ty)).then(|| {
                let usize_lit = |n: usize| proc_macro2::Literal::usize_unsuffixed(n);
                let f64_lit = |n: f64| proc_macro2::Literal::f64_unsuffixed(n);
                let set = [
                    c.min_length.map(|n| (quote! { min_length }, usize_lit(n))),
                    c.max_length.map(|n| (quote! { max_length }, usize_lit(n))),
                    c.minimum.map(|n| (quote! { minimum }, f64_lit(n))),
                    c.maximum.map(|n| (quote! { maximum }, f64_lit(n))),
                    c.min_items.map(|n| (quote! { min_items }, usize_lit(n))),
                    c.max_items.map(|n| (quote! { max_items }, usize_lit(n))),
                ];
                let set = set.into_iter().flatten().map(|(setter, n)| quote! { .#setter(#n) });
                quote! {
                    ::oauth_api::Limits::NONE #(#set)* .check(&self.#fname, path, #wire)?;
                }
            });
            let nested = can_fail(api, &f.ty).then(|| {
                quote! { ::oauth_api::validate_field(&self.#fname, path, #wire)?; }
            });
            (limits.is_some() || nested.is_some()).then(|| quote! { #limits #nested })
        })
        .collect();
    if checks.is_empty() {
        return quote! { impl ::oauth_api::Validate for #name {} };
    }
    quote! {
        impl ::oauth_api::Validate for #name {
            fn validate(&self, path: &str) -> Result<(), String> {
                #(#checks)*
                Ok(())
            }
        }
    }
}
