//! String and integer enums, closed, open (`x-extensible-enum`, OAuth error codes) or
//! case-insensitive (an OAuth `token_type`), as invocations of the runtime's
//! `string_enum!`/`integer_enum!`, which write their impls (`as_str`, `FromStr`, `Display`,
//! serde, parameter encoding).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, ident, str_literal};
use crate::ir::EnumVariant;

/// A named enum of the models.
pub fn enumeration(name: &str, variants: &[EnumVariant], open: bool, integer: bool, case_insensitive: bool, docs: TokenStream) -> TokenStream {
    let ty = ident(name);
    let entries = variants.iter().map(|v| {
        // The macro documents each variant with its value.
        let docs = doc(&[v.doc.as_deref()]);
        let variant = ident(&v.name);
        let value = if integer { Literal::i64_unsuffixed(v.value.as_i64().unwrap_or_default()) } else { str_literal(v.value.as_str().unwrap_or_default()) };
        let docs = super::Moved::from(docs);
        quote! { #docs #variant = #value, }
    });
    let (docs, entries) = (super::Moved::from(docs), entries.map(super::Moved::from));
    if integer {
        return quote! {
            ::oauth_api::integer_enum! {
                #docs
                pub enum #ty {
                    #(#entries)*
                }
            }
        };
    }
    let kind = match (open, case_insensitive) {
        (_, true) => quote! { open_ignore_case },
        (true, false) => quote! { open },
        (false, false) => quote! { closed },
    };
    quote! {
        ::oauth_api::string_enum! {
            #kind;
            #docs
            pub enum #ty {
                #(#entries)*
            }
        }
    }
}
