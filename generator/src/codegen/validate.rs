//! Schema limits (`maxLength`, `minimum`, …) the server checks before a request reaches the
//! implementation: `#[limits(…)]` on the fields of a `model!` (which writes the `Validate`
//! impl), and whether a union's alternatives can break one.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeSet;

use crate::ir::{Api, Field, TypeKind, TypeRef};

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

/// `#[limits(…)]` for a field of a `model!`: the schema limits `oauth_api::Limits` checks, on
/// the types it knows.
pub fn limits(f: &Field) -> Option<TokenStream> {
    let c = &f.constraints;
    if c.is_empty() || !limited(&f.ty) {
        return None;
    }
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
    let set = set.into_iter().flatten().map(|(setter, n)| quote! { #setter = #n });
    Some(quote! { #[limits(#(#set),*)] })
}
