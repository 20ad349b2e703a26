//! `runtime::Validate` impls: the schema limits (`maxLength`, `minimum`, …) the server checks
//! before a request reaches the implementation.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Field, TypeDef, TypeRef};

fn has_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(t) | TypeRef::Map(t) => has_named(t),
        TypeRef::Prim(_) | TypeRef::Any => false,
    }
}

/// Types `runtime::Limited` knows: strings, numbers and arrays.
fn limited(ty: &TypeRef) -> bool {
    use crate::ir::Prim;
    match ty {
        TypeRef::Prim(p) => !matches!(p, Prim::DateTime | Prim::Date | Prim::Binary | Prim::Bool),
        TypeRef::Array(_) => true,
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Any => false,
    }
}

fn opt_usize(v: Option<usize>) -> TokenStream {
    match v {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) => {
            let lit = proc_macro2::Literal::f64_suffixed(n);
            quote! { Some(#lit) }
        }
        None => quote! { None },
    }
}

/// `impl runtime::Validate` for a struct: limits of each field, then nested types.
pub fn validate_struct(t: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&t.name);
    let checks: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let fname = ident(&f.name);
            let wire = f.wire_name.as_str();
            let c = &f.constraints;
            let limits = (!c.is_empty() && limited(&f.ty)).then(|| {
                let (min_length, max_length) = (opt_usize(c.min_length), opt_usize(c.max_length));
                let (minimum, maximum) = (opt_f64(c.minimum), opt_f64(c.maximum));
                let (min_items, max_items) = (opt_usize(c.min_items), opt_usize(c.max_items));
                quote! {
                    runtime::Limited::check(&self.#fname, &runtime::Limits {
                        min_length: #min_length,
                        max_length: #max_length,
                        minimum: #minimum,
                        maximum: #maximum,
                        min_items: #min_items,
                        max_items: #max_items,
                    }, &runtime::field_path(path, #wire))?;
                }
            });
            let nested = has_named(&f.ty).then(|| {
                quote! { runtime::Validate::validate(&self.#fname, &runtime::field_path(path, #wire))?; }
            });
            (limits.is_some() || nested.is_some()).then(|| quote! { #limits #nested })
        })
        .collect();
    let path_arg = if checks.is_empty() { quote! { _path } } else { quote! { path } };
    quote! {
        impl runtime::Validate for #name {
            fn validate(&self, #path_arg: &str) -> Result<(), String> {
                #(#checks)*
                Ok(())
            }
        }
    }
}
