//! `render::write_module_file` (the pieces generated and formatted on several threads,
//! written in order) gives the text of `render::module_file` (the whole module at once),
//! whatever the number of threads; a piece that does not parse is an error, not a hang.

use std::path::Path;

use generator::codegen::{Part, Parts};
use generator::render::{module_file, write_module_file, Threads};
use generator::Options;
use quote::quote;

fn write<'a>(api: &generator::ir::Api, parts: &(dyn Fn() -> Parts<'a> + Sync), count: usize) -> Result<String, String> {
    let mut out = Vec::new();
    write_module_file(&mut out, api, parts, "spec.yaml", Threads { count, on_exit: &|| {} }).map_err(|d| d.to_string())?;
    Ok(String::from_utf8(out).expect("UTF-8"))
}

#[test]
fn every_thread_count_writes_the_text_of_the_whole_module() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut names: Vec<_> = std::fs::read_dir(&specs).expect("specs/").map(|e| e.expect("entry").path()).collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    for path in names {
        let text = std::fs::read_to_string(&path).expect("readable");
        let g = generator::generate("spec.yaml", &text, Options::default()).expect("generates");
        let expected = module_file(&g.api, &g.items, "spec.yaml").expect("formats");
        let parts = || generator::codegen::parts(&g.api, Options::default());
        for count in [1, 2, 3, 8] {
            let written = write(&g.api, &parts, count).expect("writes");
            assert!(written == expected, "{}: {count} threads differ from module_file", path.display());
        }
    }
}

/// Many small pieces, one of which (number `bad`, counting from 0) is not Rust; nested in a
/// module when `nested`.
fn pieces<'a>(bad: usize, nested: bool) -> Parts<'a> {
    let items = (0..40).map(move |i| {
        let name = quote::format_ident!("f{i}");
        if i == bad {
            Part::Later(Box::new(|| quote! { fn {} }))
        } else {
            Part::Later(Box::new(move || quote! { fn #name() {} }))
        }
    });
    if !nested {
        return Box::new(items);
    }
    Box::new(std::iter::once(Part::Nest {
        head: Box::new(|body| {
            let body = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, body);
            quote! { mod m #body }
        }),
        body: Box::new(items),
    }))
}

#[test]
fn a_piece_that_does_not_parse_is_reported_on_any_number_of_threads() {
    let g = generator::generate("spec.yaml", "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n", Options::default())
        .expect("generates");
    for nested in [false, true] {
        for count in [1, 2, 3] {
            for bad in [0, 17, 39] {
                let made = || pieces(bad, nested);
                let err = write(&g.api, &made, count).expect_err("a bad piece fails");
                assert!(err.contains("internal error: the generated code does not parse"), "{err}");
            }
            let fine = || pieces(usize::MAX, nested);
            let text = write(&g.api, &fine, count).expect("good pieces write");
            assert!(text.contains("fn f0() {}") && text.contains("fn f39() {}"), "{text}");
        }
    }
}
