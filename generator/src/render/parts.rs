//! Formatting the pieces of a module one at a time ([`crate::codegen::Part`]), with the text
//! prettyplease gives the whole module.
//!
//! Top-level items are printed on their own, as [`super::format_items`] does. The members of
//! a nested body (`mod client { … }`, `impl Client { … }`) are printed inside their real
//! enclosing items, and the text of those (the *frame*) is cut off: a frame is printed once
//! around a marker member to learn its text before and after the body.

use std::io::Write;

use proc_macro2::TokenStream;
use quote::quote;

use super::{item_macro, unparse};
use crate::codegen::{Part, Parts};

/// Why writing pieces failed.
pub(crate) enum PartError {
    Io(std::io::Error),
    Syntax(syn::Error),
}

impl From<std::io::Error> for PartError {
    fn from(e: std::io::Error) -> Self {
        PartError::Io(e)
    }
}

impl From<syn::Error> for PartError {
    fn from(e: syn::Error) -> Self {
        PartError::Syntax(e)
    }
}

/// The enclosing items of a nested body, outermost first.
pub(crate) struct Frame<'f> {
    /// Tokens of the body → tokens of the outermost item.
    wrap: &'f dyn Fn(TokenStream) -> TokenStream,
    /// The text of the outermost item before the body and after it.
    before: String,
    after: String,
}

/// A member that appears nowhere else; valid as an item, `impl` member and `trait` member.
fn marker() -> TokenStream {
    quote! { __oauth_api_render_marker!(); }
}

const MARKER_TEXT: &str = "__oauth_api_render_marker!();";

/// Writes `parts`, inside `frame` when nested.
pub(crate) fn write_parts(out: &mut dyn Write, parts: Parts<'_>, frame: Option<&Frame<'_>>) -> Result<(), PartError> {
    for part in parts {
        match (part, frame) {
            (Part::Items(items), None) => write_items(out, items)?,
            (Part::Items(items), Some(frame)) => {
                let text = print((frame.wrap)(items))?;
                out.write_all(cut(&text, &frame.before, &frame.after)?.as_bytes())?;
            }
            (Part::Nest { head, body }, frame) => {
                let wrap = |tokens: TokenStream| match frame {
                    Some(outer) => (outer.wrap)(head(tokens)),
                    None => head(tokens),
                };
                let text = print(wrap(marker()))?;
                let (before, after) = split_at_marker(&text)?;
                let inner = Frame { wrap: &wrap, before: before.to_string(), after: after.to_string() };
                let (outer_before, outer_after) = frame.map_or(("", ""), |f| (f.before.as_str(), f.after.as_str()));
                out.write_all(cut(before, outer_before, "")?.as_bytes())?;
                write_parts(out, body, Some(&inner))?;
                out.write_all(cut(after, "", outer_after)?.as_bytes())?;
            }
        }
    }
    Ok(())
}

/// Top-level items, parsed and printed one at a time; the model macros laid out like the items they define.
fn write_items(out: &mut dyn Write, items: TokenStream) -> Result<(), PartError> {
    let print_items = |input: syn::parse::ParseStream<'_>| -> syn::Result<Vec<String>> {
        let mut texts = Vec::new();
        while !input.is_empty() {
            let item: syn::Item = input.parse()?;
            texts.push(match item_macro(&item) {
                Some(text) => text,
                None => unparse(item),
            });
        }
        Ok(texts)
    };
    for text in syn::parse::Parser::parse2(print_items, items)? {
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// One item (a frame around members), printed.
fn print(tokens: TokenStream) -> syn::Result<String> {
    Ok(unparse(syn::parse2(tokens)?))
}

/// The text of a frame before the marker's line and after it.
fn split_at_marker(text: &str) -> Result<(&str, &str), PartError> {
    let at = text.find(MARKER_TEXT).ok_or_else(|| frame_error("no marker"))?;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    Ok((&text[..start], &text[end..]))
}

/// `text` without the frame text `before` and `after` it.
fn cut<'t>(text: &'t str, before: &str, after: &str) -> Result<&'t str, PartError> {
    text.strip_prefix(before)
        .and_then(|t| t.strip_suffix(after))
        .ok_or_else(|| frame_error("a member changed the text of its enclosing items"))
}

fn frame_error(why: &str) -> PartError {
    PartError::Syntax(syn::Error::new(proc_macro2::Span::call_site(), format!("formatting nested items: {why}")))
}
