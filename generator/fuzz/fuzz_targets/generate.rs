//! Property: whatever the spec text, the generator returns diagnostics or code; it never panics.
//!
//! The input bytes are fed as spec text twice: named `fuzz.yaml` (YAML loader) and `fuzz.json`
//! (JSON loader). On success the module file and the Markdown docs are rendered too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn check(file: &str, text: &str) {
    if let Ok(g) = generator::generate(file, text, generator::Options::default()) {
        let _ = generator::render::module_file(&g.api, &g.items, file);
        let _ = generator::docs::render(&g.api, "fuzz");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check("fuzz.yaml", &text);
    check("fuzz.json", &text);
});
