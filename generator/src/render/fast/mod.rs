//! Items and members printed straight from their tokens, as prettyplease prints them: the
//! functions of a nested body (client methods, server trait methods and handlers), and the
//! plain structs, enums and `impl`s of the module (an operation's parameters, its error and
//! success enums and their `Display`). A large API's client and server are mostly such
//! items, and reading each into syn's syntax tree cost three times as much as printing it.
//!
//! [`tree`] takes an item's tokens over (groups owning their tokens, words as slices of one
//! text); [`syntax`] reads them into a small syntax of their own, which borrows the text;
//! [`print`](mod@print) feeds it to prettyplease's line-breaking algorithm ([`pp`]) as
//! prettyplease feeds syn's, so lines break where prettyplease breaks them. An item of another
//! shape gives its tokens back and goes to prettyplease. The tests format every spec of the
//! repository both ways and compare the texts; by hand, GitHub, Stripe, Graph beta and a
//! sample of the corpus.

mod pp;
mod print;
mod print_item;
mod syntax;
pub(super) mod tree;

use std::sync::atomic::{AtomicBool, Ordering};

use proc_macro2::TokenTree;

/// The text prettyplease gives `trees` (one item or member, with its attributes) at column
/// `indent`, from its first line to the line break after it; for an item of another shape,
/// its tokens back.
pub(super) fn item_text(trees: Vec<TokenTree>, indent: usize) -> Result<String, Vec<TokenTree>> {
    if !ENABLED.load(Ordering::Relaxed) {
        return Err(trees);
    }
    tokens_text(tree::Tokens::new(trees), indent).map_err(tree::Tokens::into_token_trees)
}

/// [`item_text`] of tokens taken over already.
pub(super) fn tokens_text(tokens: tree::Tokens, indent: usize) -> Result<String, tree::Tokens> {
    if !ENABLED.load(Ordering::Relaxed) {
        return Err(tokens);
    }
    let Some(item) = syntax::item(&mut tree::Cursor::new(&tokens.trees, &tokens.text)) else {
        return Err(tokens);
    };
    // The printed text is the tokens' text with spaces, line breaks and indentation.
    let mut printer = pp::Printer::new(indent, tokens.text.len() * 3 / 2 + indent);
    // The body the item is in: broken, since its items end with a hard break.
    printer.cbox(0);
    printer.item(&item);
    printer.end();
    #[cfg(test)]
    PRINTED.fetch_add(1, Ordering::Relaxed);
    Ok(printer.eof())
}

/// Whether items are printed here when they can be; the tests turn it off to compare with
/// prettyplease. Either way the text is the same.
static ENABLED: AtomicBool = AtomicBool::new(true);

/// How many items were printed here (for the tests).
#[cfg(test)]
static PRINTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::{ENABLED as FAST, PRINTED as PRINTED_FAST};

    /// Held by the tests that turn the printing here off, or need it on.
    static SWITCH: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn switch() -> std::sync::MutexGuard<'static, ()> {
        SWITCH.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

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
    /// items and members printed here as with prettyplease, and most specs have some printed here.
    #[test]
    fn members_print_as_prettyplease_prints_them() {
        let _switch = switch();
        let mut specs = 0;
        for path in crate::render::model_text::tests::specs() {
            FAST.store(false, Ordering::Relaxed);
            let expected = module_text(&path);
            FAST.store(true, Ordering::Relaxed);
            let Some(expected) = expected else { continue };
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
        assert!(specs > 20, "items printed here in {specs} specs");
    }

    fn text(tokens: proc_macro2::TokenStream, indent: usize) -> Option<String> {
        let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        super::item_text(trees, indent).ok()
    }

    #[test]
    fn other_shapes_are_left_to_prettyplease() {
        let _switch = switch();
        let shapes = [
            quote::quote! { pub fn a(&self) -> u8 { 1 + 2 } },
            quote::quote! { pub fn a(&self) -> u8 { x as u8 } },
            quote::quote! { pub fn a(&mut self) {} },
            quote::quote! { pub fn a(&self) { println!("{}", 1); } },
            quote::quote! { pub fn a(&self) { let x = if y { 1 } else { 2 }; } },
            quote::quote! { pub fn a(&self) -> u8 { match x { A | B => 1, _ => 2 } } },
            quote::quote! { #[doc = "line\nbreak"] pub fn a() {} },
            quote::quote! { const A: u8 = 1; },
            quote::quote! { pub struct A(u8); },
            quote::quote! { pub(crate) struct A { a: u8 } },
            quote::quote! { pub enum A { B = 1 } },
            quote::quote! { impl<'a> A<'a> {} },
            quote::quote! { pub fn a() {} pub fn b() {} },
        ];
        for shape in shapes {
            assert_eq!(text(shape.clone(), 0), None, "{shape}");
        }
    }

    /// Items of the shapes codegen writes, around prettyplease's margin, at the top level and
    /// as members of an `impl` in a module.
    #[test]
    fn items_print_as_prettyplease_prints_them() {
        let _switch = switch();
        let mut checked = 0;
        for length in [1, 20, 40, 50, 60, 70, 80] {
            let long = quote::format_ident!("{}", "x".repeat(length));
            let upper = quote::format_ident!("{}", "X".repeat(length));
            let functions = [
                quote::quote! {
                    pub async fn #long(&self, id: &str, body: &super::#upper) -> Result<ResponseValue<super::#upper>, Error<std::convert::Infallible>> {
                        use super::#upper as Success;
                        let path = format!("/things/{}", encode_path(id), encode_path(&#long.to_param()));
                        let mut request = self.core.request(Method::GET, &path);
                        request.json(body, "application/json")?;
                        let response = self.core.send(request, &BASIC.named("get")).await?;
                        match response.status() {
                            200 => response.ok_json(identity),
                            status @ 400..=499 => response.err_json(|body| Failure::ClientError { status, body }),
                            status => response.err_json(|body| Failure::#upper { status, body, #long: #long.as_ref() }),
                            _ => Err(response.unexpected()),
                        }
                    }
                },
                quote::quote! {
                    pub async fn #long(&self, id: &str, params: &#upper) -> ApiResult<#upper, #upper> {
                        let request = self.core.request(Method::GET, "/things");
                        let operation = BASIC.named("get-things");
                        self.core.send(request, &operation).await?.json_success(200)
                    }
                },
                quote::quote! {
                    #[must_use]
                    fn #long(&self, request: #upper) -> impl Future<Output = Result<super::#upper, Failure<super::#upper>>> + Send {
                        rt::not_implemented("op", request)
                    }
                },
                quote::quote! {
                    async fn #long<A: Api>(State(app): State<App<A>>, request: Request) -> Response {
                        let answer = async {
                            let (mut parts, _body) = request.into_parts();
                            let request = #upper { #long: rt::query_param(&query, "per_page")?.or(Some(30)), extensions: parts.extensions };
                            Ok(app.api.#long(request).await)
                        };
                        let encode = |result| match result {
                            Ok(Success::Ok { body, link }) => { let mut response = rt::json_response(200, &body); response }
                            Err(never) => match never {}
                        };
                        rt::respond(&#upper, answer.await, encode)
                    }
                },
                quote::quote! {
                    fn #long(&self) -> u8 {
                        let flags = [true, false, true, false, true, false, true, false, true, false, true, false, true];
                        let codes = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504, 0x1f32, b'a', 'z'];
                        let floats = [1.5, 2e3, 3f64, 400.25, 500.125, 600.0625, 700.5, 800.75, 900.875, 1000.5];
                        let grants = vec!["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange", "refresh_token"];
                        1
                    }
                },
            ];
            for function in functions {
                let expected = crate::render::unparse(syn::parse_quote! { mod m { impl A { #function } } });
                let member: String = expected.lines().skip(2).take_while(|l| *l != "    }").map(|l| format!("{l}\n")).collect();
                assert_eq!(text(function.clone(), 8).as_deref(), Some(member.as_str()), "{function}");
                checked += 1;
            }
            let items = [
                quote::quote! {
                    #[doc = r" Parameters."]
                    #[derive(Clone, Debug, Default, PartialEq,)]
                    pub struct #upper {
                        #[doc = r" The number of results."]
                        pub #long: Option<std::collections::BTreeMap<String, Vec<super::#upper>>>,
                        pub page: Option<i64>,
                    }
                },
                quote::quote! {
                    #[derive(Clone, Debug, PartialEq)]
                    pub enum #upper {
                        #[doc = r" 403: Forbidden"]
                        Forbidden(super::#upper),
                        Ok { body: Vec<#upper>, #long: Option<String> },
                        NoContent,
                    }
                },
                quote::quote! {
                    impl std::fmt::Display for #upper {
                        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            match self {
                                Self::Forbidden(body) => { ::oauth_api::describe::write_error(f, 403, Some(body)) }
                                Self::ClientError { status, body, .. } => ::oauth_api::describe::write_error(f, *status, Some(body)),
                            }
                        }
                    }
                },
                quote::quote! { impl std::error::Error for #upper {} },
                quote::quote! { #[doc = r" An alias."] pub type #upper = std::collections::BTreeMap<String, Vec<super::#upper>>; },
                quote::quote! { #[cfg(all(a, not(b)))] #[allow(unused_variables, clippy::too_many_arguments)] pub fn #long() {} },
            ];
            for item in items {
                let expected = crate::render::unparse(syn::parse2(crate::render::split_doc_comments(item.clone())).unwrap());
                assert_eq!(text(item.clone(), 0).as_deref(), Some(expected.as_str()), "{item}");
                checked += 1;
            }
        }
        assert_eq!(checked, 7 * 11);
    }
}
