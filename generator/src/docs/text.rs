//! Text helpers: Rust spelling of types, links to model pages, and Markdown escaping of spec
//! text (in paragraphs and in table cells).

use crate::ir::{Api, Field};
#[cfg(feature = "docs")]
use crate::ir::{Prim, TypeRef};
#[cfg(feature = "docs")]
use serde_json::Value;

/// The Rust spelling of a type use, as the generated code writes it (models unqualified).
#[cfg(feature = "docs")]
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::Prim(p) => prim_type(*p).to_string(),
        TypeRef::Array(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("std::collections::BTreeMap<String, {}>", rust_type(inner)),
        TypeRef::Any => "serde_json::Value".to_string(),
    }
}

#[cfg(feature = "docs")]
fn prim_type(p: Prim) -> &'static str {
    match p {
        Prim::String => "String",
        Prim::DateTime => "chrono::DateTime<chrono::Utc>",
        Prim::Date => "chrono::NaiveDate",
        Prim::Binary => "Vec<u8>",
        Prim::Bool => "bool",
        Prim::I32 => "i32",
        Prim::I64 => "i64",
        Prim::U32 => "u32",
        Prim::U64 => "u64",
        Prim::F32 => "f32",
        Prim::F64 => "f64",
    }
}

/// The named type inside a type use (`Vec<Foo>` → `Foo`), if any.
#[cfg(feature = "docs")]
pub fn named_in(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        TypeRef::Array(inner) | TypeRef::Map(inner) => named_in(inner),
        TypeRef::Prim(_) | TypeRef::Any => None,
    }
}

/// Whether a field is an `Option` in the generated struct (mirrors `codegen::types`):
/// optional or nullable, unless it has a default that can be written in Rust.
#[cfg(feature = "docs")]
pub fn field_is_option(api: &Api, f: &Field) -> bool {
    (!f.required || f.nullable) && !field_has_default(api, f)
}

/// Whether an optional field is a plain value filled from its schema `default`: the very rule
/// the generated code follows.
pub fn field_has_default(api: &Api, f: &Field) -> bool {
    crate::codegen::types::has_default(api, f)
}

/// Whether a struct can be built without values: every field is an `Option` or has a default
/// (the generated struct then implements `Default`).
pub fn all_defaultable(api: &Api, fields: &[Field]) -> bool {
    fields.iter().all(|f| !f.required || f.nullable || field_has_default(api, f))
}

/// Links type spellings to model pages; `prefix` is the path from the page to the models
/// folder (`models/` from the README, empty between models).
#[cfg(feature = "docs")]
pub struct Links<'a> {
    pub api: &'a Api,
    pub prefix: &'a str,
}

#[cfg(feature = "docs")]
impl Links<'_> {
    /// `ty` in code, linked to the page of the named type inside it.
    pub fn ty(&self, ty: &TypeRef) -> String {
        self.spelled(&rust_type(ty), ty)
    }

    /// `text` (a spelling of `ty`, e.g. with `Option<…>` around it) in code, linked to the page
    /// of the named type inside `ty`.
    pub fn spelled(&self, text: &str, ty: &TypeRef) -> String {
        match named_in(ty).filter(|n| self.api.types.contains_key(*n)) {
            Some(n) => format!("[`{text}`]({}{n}.md)", self.prefix),
            None => format!("`{text}`"),
        }
    }
}

/// Spec text for a Markdown paragraph: trimmed, indented lines unindented (no accidental code
/// blocks), bare URLs and angle brackets escaped (so rustdoc reads it as text too).
/// Lines that continue a list item without a blank line are indented under it.
pub fn para(text: &str) -> String {
    let mut list_indent: Option<usize> = None;
    // Bare carriage returns are not allowed in doc comments; tabs are spaces (clippy's
    // `tabs_in_doc_comments`; Markdown reads a tab as up to four spaces).
    let cleaned;
    let text = if has_cr_or_tab(text) {
        cleaned = text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
        cleaned.as_str()
    } else {
        text
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, l) in text.trim().lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let l = l.trim_end();
        let l = if l.starts_with("    ") { l.trim_start() } else { l };
        match list_item_marker(l) {
            Some(width) => list_indent = Some(width),
            None if l.is_empty() => list_indent = None,
            None => {
                if let Some(width) = list_indent.filter(|_| !l.starts_with(' ')) {
                    out.extend(std::iter::repeat_n(' ', width));
                }
            }
        }
        escape_into(l, &mut out);
    }
    out
}

/// `text` as a doc comment can hold it: a carriage return, which Rust source cannot hold bare
/// in a comment, is a line break, and a character that changes the direction of text
/// (U+202A–U+202E, U+2066–U+2069), which rustc denies in comments and literals
/// (`text_direction_codepoint_in_comment`, `…_in_literal`), is written as its escape,
/// `\u{202e}`, which shows where it was.
pub fn comment_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    // In UTF-8 those characters are E2 80 AA–AE and E2 81 A6–A9; std's `memchr` answers for
    // most text at once, also when a proc macro runs this unoptimized.
    let clean = !bytes.contains(&b'\r') && (!bytes.contains(&0xE2) || !text.contains(is_direction_change));
    if clean {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            c if is_direction_change(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The characters rustc's `text_direction_codepoint_*` lints deny.
fn is_direction_change(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` has a carriage return or a tab (std's `memchr`, compiled optimized even when a
/// proc macro runs this code unoptimized).
fn has_cr_or_tab(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.contains(&b'\r') || bytes.contains(&b'\t')
}

/// The width of a Markdown list marker (`- `, `* `, `12. `) starting `line`.
fn list_item_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

/// Optional spec text for a paragraph; `None` when blank.
#[cfg(feature = "docs")]
pub fn opt_para(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).map(para)
}

/// Spec text for a table cell: one line (`<br>` between lines, one blank line kept as
/// `<br><br>`), `|` escaped.
#[cfg(feature = "docs")]
pub fn cell(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "<br><br>" } else { "<br>" });
        }
        blank = false;
        out.push_str(&escape(line));
    }
    out.replace('|', "\\|")
}

/// Optional spec text for a table cell (empty when absent).
#[cfg(feature = "docs")]
pub fn opt_cell(text: Option<&str>) -> String {
    text.map(cell).unwrap_or_default()
}

/// A JSON value in code, for a table cell.
#[cfg(feature = "docs")]
pub fn json_cell(value: &Value) -> String {
    format!("`{}`", value.to_string().replace('|', "\\|").replace('`', "'"))
}

/// Escapes bare URLs (`<https://…>`) and angle brackets (`&lt;`) outside code spans.
#[cfg(feature = "docs")]
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    escape_into(line, &mut out);
    out
}

/// [`escape`], appended to `out`.
fn escape_into(line: &str, out: &mut String) {
    // Most spec text has nothing to escape: copy it (a proc macro runs this unoptimized).
    let bytes = line.as_bytes();
    let text_escapes = bytes.contains(&b'<') || bytes.contains(&b'>') || has_url_scheme(line);
    if !text_escapes && !bytes.contains(&b'[') {
        out.push_str(line);
        return;
    }
    let line = &escape_brackets(line);
    // Without `<`, `>` or a bare URL, `escape_text` changes nothing (escaping brackets adds
    // only `\`s): the line is copied, not split at its backticks and scanned.
    if !text_escapes {
        out.push_str(line);
        return;
    }
    if !line.as_bytes().contains(&b'`') {
        escape_text(line, out);
        return;
    }
    let ticks = line.matches('`').count();
    for (i, segment) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Segment `i` lies between backticks `i` and `i + 1`: code when both exist (an odd
        // last backtick opens nothing).
        let in_code = i % 2 == 1 && i < ticks;
        if in_code {
            out.push_str(segment);
        } else {
            escape_text(segment, out);
        }
    }
}

/// Whether `s` has `http://` or `https://` (most text has no `:`, which `memchr` says at once;
/// setting up the substring search costs more).
fn has_url_scheme(s: &str) -> bool {
    s.as_bytes().contains(&b':') && s.match_indices("://").any(|(at, _)| s[..at].ends_with("http") || s[..at].ends_with("https"))
}

/// `[text]` that is neither a Markdown link (`[text](url)`) nor an intra-doc link to code
/// (``[`Path`]``) is escaped: rustdoc would take it for a broken intra-doc link (`[RFC6901]`,
/// `[e.g. …]`). Code spans are left alone.
fn escape_brackets(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.as_bytes().contains(&b'[') {
        return std::borrow::Cow::Borrowed(line);
    }
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    // Byte offsets of `]` to escape.
    let mut closing = Vec::new();
    // `line[..copied]` is in `out`: text is copied in runs, a `\` inserted before the
    // brackets to escape (all the characters looked at are ASCII, so byte offsets are
    // character boundaries).
    let mut copied = 0;
    let mut escape_at = |i: usize, out: &mut String| {
        out.push_str(&line[copied..i]);
        out.push('\\');
        copied = i;
    };
    for i in 0..bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'[' if !in_code && !line[..i].ends_with('\\') => {
                let rest = &line[i + 1..];
                // (Byte loops: the lines are short, and a substring searcher costs more to set up
                // than the search.)
                let rest_bytes = rest.as_bytes();
                if rest.starts_with('`') && rest_bytes.windows(2).any(|w| w == b"`]") {
                    // [`Path`]: an intra-doc link.
                } else if let Some(close) = rest_bytes.iter().position(|&b| b == b']') {
                    if rest[close + 1..].starts_with('(') {
                        // [text](url): a link.
                    } else {
                        escape_at(i, &mut out);
                        closing.push(i + 1 + close);
                    }
                } else {
                    escape_at(i, &mut out);
                }
            }
            b']' if closing.contains(&i) => escape_at(i, &mut out),
            _ => {}
        }
    }
    out.push_str(&line[copied..]);
    std::borrow::Cow::Owned(out)
}

fn escape_text(text: &str, out: &mut String) {
    let mut rest = text;
    // The next `<`, `>` or possible bare URL.
    let next = |rest: &str| match (find_byte(rest, |b| b == b'<' || b == b'>'), find_url_start(rest)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    while let Some(i) = next(rest) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(len) = bare_url_len(tail) {
            if out.ends_with('(') || out.ends_with('<') {
                out.push_str(&tail[..len]);
            } else {
                out.push('<');
                out.push_str(&tail[..len]);
                out.push('>');
            }
            rest = &tail[len..];
            continue;
        }
        let c = tail.chars().next().unwrap_or(' ');
        match c {
            '<' if tail.starts_with("<br>") => out.push('<'),
            '<' => out.push_str("&lt;"),
            '>' if out.ends_with("<br") => out.push('>'),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        rest = &tail[c.len_utf8()..];
    }
    out.push_str(rest);
}

/// The offset of the first byte of `s` that `hit` accepts. A plain loop: the proc macro runs
/// this code unoptimized, where `str` pattern searchers are many times slower.
fn find_byte(s: &str, hit: impl Fn(u8) -> bool) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if hit(bytes[i]) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The offset of the first `http` in `s` (where a bare URL may start).
fn find_url_start(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = find_byte(&s[from..], |b| b == b'h') {
        let at = from + i;
        if bytes[at..].starts_with(b"http") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn bare_url_len(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s.find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"' || c == '|').unwrap_or(s.len());
    // A sentence's final punctuation is not part of the URL.
    Some(s[..end].trim_end_matches(['.', ',', ';', ':']).len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_hold_text_but_bare_carriage_returns_and_direction_changes() {
        use std::borrow::Cow;
        assert!(matches!(comment_safe("plain \"quoted\"# text\n"), Cow::Borrowed(_)));
        // Other characters whose UTF-8 starts with the byte E2: `’`, `—`, `…`, U+2060, U+2070.
        assert!(matches!(comment_safe("it’s — fine… \u{2060}\u{2070}"), Cow::Borrowed(_)));
        for c in ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(comment_safe(&format!("’{c}b")), format!("’\\u{{{:x}}}b", c as u32), "{c:?}");
        }
        assert_eq!(comment_safe("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[cfg(feature = "docs")]
    #[test]
    fn escapes() {
        assert_eq!(cell("a | b\nc\n\nd"), "a \\| b<br>c<br><br>d");
        assert_eq!(para("see https://oauth.net/2/. `Vec<T>` and List<T>"), "see <https://oauth.net/2/>. `Vec<T>` and List&lt;T&gt;");
        assert_eq!(para("[x](https://a.b) `odd"), "[x](https://a.b) `odd");
        assert_eq!(para("a `b` c `<d>"), "a `b` c `&lt;d&gt;");
        assert_eq!(para("a [b] `c` [`D`] e: f"), "a \\[b\\] `c` [`D`] e: f");
        // No tab reaches a doc comment (clippy's `tabs_in_doc_comments`), nor a bare `\r`.
        assert_eq!(para("a\tb\r\n\tc"), "a    b\nc");
    }

    #[cfg(feature = "docs")]
    #[test]
    fn types() {
        let t = TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::Named("Foo".into())))));
        assert_eq!(rust_type(&t), "std::collections::BTreeMap<String, Vec<Foo>>");
        assert_eq!(named_in(&t), Some("Foo"));
        assert_eq!(rust_type(&TypeRef::Prim(Prim::DateTime)), "chrono::DateTime<chrono::Utc>");
    }
}
