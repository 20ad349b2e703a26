//! Members of a nested body (a client method, a server trait method or handler) printed
//! straight from their tokens, as prettyplease prints them: a large API's client and server
//! are mostly such members, and reading each into syn's syntax tree cost three times as much
//! as printing it.
//!
//! [`syntax`] reads the functions codegen writes into a small syntax of their own;
//! [`print`] feeds it to prettyplease's line-breaking algorithm ([`pp`]) as prettyplease feeds
//! syn's, so lines break where prettyplease breaks them. A member of another shape gives
//! `None` and goes to prettyplease. The tests format every spec of the repository both ways
//! and compare the texts (and, by hand, Stripe, GitHub and Graph: `OAUTH_API_MODEL_SPECS`).

mod pp;
mod print;
mod syntax;

use proc_macro2::TokenTree;

/// The text prettyplease gives `trees` (a member after its doc comments) at column `indent`,
/// from its first line to the line break after it; `None` for a member of another shape.
pub(super) fn member_text(trees: &[TokenTree], indent: usize) -> Option<String> {
    let mut cursor = syntax::Cursor::new(trees);
    let function = syntax::function(&mut cursor)?;
    let mut printer = pp::Printer::new(indent);
    printer.function(&function);
    let mut text = printer.eof();
    text.push('\n');
    Some(text)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use crate::render::parts::{FAST, PRINTED_FAST};

    /// The crate a spec generates (client and server), as the binary writes it.
    fn module_text(path: &std::path::Path) -> Option<String> {
        let text = std::fs::read_to_string(path).ok()?;
        let display = path.display().to_string();
        let lowered = crate::lower(&display, &text).ok()?;
        let options = crate::Options::default();
        let parts = || crate::codegen::parts(&lowered.api, options);
        let mut out = Vec::new();
        let threads = crate::render::Threads { count: 2, on_exit: &|| {} };
        crate::render::write_module_file(&mut out, &lowered.api, &parts, &display, threads).ok()?;
        String::from_utf8(out).ok()
    }

    /// Every spec of the repository (and `OAUTH_API_MODEL_SPECS`) gives the same text with its
    /// members printed from their tokens as with prettyplease, and most members are.
    #[test]
    fn members_print_as_prettyplease_prints_them() {
        let mut specs = 0;
        for path in crate::render::model_text::tests::specs() {
            FAST.store(false, Ordering::Relaxed);
            let Some(expected) = module_text(&path) else { continue };
            FAST.store(true, Ordering::Relaxed);
            let before = PRINTED_FAST.load(Ordering::Relaxed);
            let text = module_text(&path).expect("generates");
            let printed = PRINTED_FAST.load(Ordering::Relaxed) - before;
            if text != expected {
                let line = text.lines().zip(expected.lines()).position(|(a, b)| a != b).unwrap_or(0);
                let context = |t: &str| t.lines().skip(line.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
                panic!("{}: line {}\nprinted:\n{}\nprettyplease:\n{}", path.display(), line + 1, context(&text), context(&expected));
            }
            specs += usize::from(printed > 0);
        }
        assert!(specs > 20, "members printed from tokens in {specs} specs");
    }

    fn member(tokens: proc_macro2::TokenStream) -> Option<String> {
        let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        super::member_text(&trees, 8)
    }

    #[test]
    fn other_shapes_are_left_to_prettyplease() {
        let shapes = [
            quote::quote! { #[must_use] pub fn a(&self) -> u8 { 1 } },
            quote::quote! { pub fn a(&self) -> u8 { 1 + 2 } },
            quote::quote! { pub fn a(&self) -> u8 { x as u8 } },
            quote::quote! { pub fn a(&mut self) {} },
            quote::quote! { pub fn a(&self) { println!("{}", 1); } },
            quote::quote! { pub fn a(&self) { let x = if y { 1 } else { 2 }; } },
            quote::quote! { pub fn a(&self) -> u8 { match x { A | B => 1, _ => 2 } } },
            quote::quote! { const A: u8 = 1; },
            quote::quote! { pub struct A { pub a: u8 } },
        ];
        for shape in shapes {
            assert_eq!(member(shape.clone()), None, "{shape}");
        }
    }

    #[test]
    fn a_method_prints_as_prettyplease_prints_it() {
        let item = quote::quote! {
            pub async fn get(&self, id: &str) -> Result<ResponseValue<super::Thing>, Error<std::convert::Infallible>> {
                let path = format!("/things/{}", encode_path(id));
                let request = self.core.request(Method::GET, &path);
                let response = self.core.send(request, &BASIC.named("get")).await?;
                match response.status() {
                    200 => response.ok_json(identity),
                    status => response.err_json(|body| Failure::Default { status, body }),
                }
            }
        };
        let expected = crate::render::unparse(syn::parse_quote! { mod m { impl A { #item } } });
        let inner: String = expected.lines().skip(2).take_while(|l| *l != "    }").map(|l| format!("{l}\n")).collect();
        assert_eq!(member(item).as_deref(), Some(inner.as_str()));
    }
}
