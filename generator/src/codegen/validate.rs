//! Schema limits (`maxLength`, `minimum`, …) the server checks before a request reaches the
//! implementation: `#[limits(…)]` on the fields of a `model!`, which writes the `Validate`
//! impl.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, TypeRef};

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
