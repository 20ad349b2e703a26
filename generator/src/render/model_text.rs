//! The text prettyplease gives the struct inside a `model!` invocation, or the enum inside a
//! `string_enum!`/`integer_enum!`, printed straight from its tokens: models are most of a
//! large API's output, and their shapes are fixed (attributes, `pub struct` with fields of
//! path types, `pub enum` with `Name = value` variants), so the syntax tree is not needed to
//! lay them out.
//!
//! Only those shapes are printed here: anything else (another token, a type that is not a
//! path, a doc text prettyplease would not print as `///`, a field line longer than
//! prettyplease's margin, which it breaks) gives `None`, and the caller formats the item with
//! prettyplease. The unit tests compare both on every model of the specs and fixtures (and,
//! by hand, of Stripe, GitHub and Graph: `OAUTH_API_MODEL_SPECS`).

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::after_path_separator;

/// prettyplease's margin: a field line longer than this (indentation included) is broken, and
/// its struct left to prettyplease.
const SAFE_WIDTH: usize = 89;

/// The attributes a model and its fields carry, besides `doc`.
const ATTRIBUTES: [&str; 7] = ["derive", "limits", "rename", "nullable", "default", "additional", "new"];

/// The text `prettyplease::unparse` gives the struct of `trees`, or `None` when its shape is
/// not the one printed here.
pub(super) fn struct_text(trees: &[TokenTree]) -> Option<String> {
    braced_item(trees, "struct", field)
}

/// The text `prettyplease::unparse` gives the enum of a `string_enum!` or `integer_enum!`
/// (after its `kind;`): attributes, `pub enum Name {`, and variants `Name = value,` with their
/// docs, which prettyplease never breaks. `None` for another shape.
pub(super) fn enum_text(trees: &[TokenTree]) -> Option<String> {
    braced_item(trees, "enum", variant)
}

/// `pub {keyword} Name { … }` with its attributes, each member (one at least) printed by
/// `member`, which gives the tokens after the member it printed.
fn braced_item(trees: &[TokenTree], keyword: &str, member: for<'t> fn(&'t [TokenTree], &mut String) -> Option<&'t [TokenTree]>) -> Option<String> {
    let mut out = String::with_capacity(64 * trees.len());
    let rest = attributes(trees, "", &mut out)?;
    let [TokenTree::Ident(vis), TokenTree::Ident(word), TokenTree::Ident(name), TokenTree::Group(body)] = rest else {
        return None;
    };
    if vis != "pub" || word != keyword || body.delimiter() != Delimiter::Brace {
        return None;
    }
    // No break in it: prettyplease keeps it on one line, however long.
    out.push_str(&format!("pub {keyword} {name} {{\n"));
    let members: Vec<TokenTree> = body.stream().into_iter().collect();
    let mut rest = &members[..];
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        rest = member(rest, &mut out)?;
    }
    out.push_str("}\n");
    Some(out)
}

/// One enum variant: attributes, `Name = value,`; the tokens after it.
fn variant<'t>(trees: &'t [TokenTree], out: &mut String) -> Option<&'t [TokenTree]> {
    let rest = attributes(trees, "    ", out)?;
    let [TokenTree::Ident(variant), TokenTree::Punct(eq), TokenTree::Literal(value), TokenTree::Punct(comma), rest @ ..] = rest else {
        return None;
    };
    if eq.as_char() != '=' || comma.as_char() != ',' {
        return None;
    }
    out.push_str(&format!("    {variant} = {value},\n"));
    Some(rest)
}

/// Prints the attributes at the start of `trees`, indented; the tokens after them.
fn attributes<'t>(mut trees: &'t [TokenTree], indent: &str, out: &mut String) -> Option<&'t [TokenTree]> {
    while let [TokenTree::Punct(hash), TokenTree::Group(group), rest @ ..] = trees {
        if hash.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            return None;
        }
        let inner: Vec<TokenTree> = group.stream().into_iter().collect();
        match &inner[..] {
            [TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(text)] if doc == "doc" && eq.as_char() == '=' => {
                let literal = text.to_string();
                let text = doc_text(&literal)?;
                out.push_str(indent);
                out.push_str("///");
                out.push_str(text.trim_end_matches(' '));
                out.push('\n');
            }
            [TokenTree::Ident(attr), meta @ ..] if ATTRIBUTES.iter().any(|a| attr == a) => {
                let mut text = format!("#[{attr}");
                meta_text(meta, &mut text)?;
                text.push(']');
                line(out, indent, &text)?;
            }
            _ => return None,
        }
        trees = rest;
    }
    Some(trees)
}

/// The value of a doc literal as prettyplease prints it after `///`: a raw string's text, or an
/// escaped one's when it has no escapes; `None` for texts prettyplease prints otherwise.
fn doc_text(literal: &str) -> Option<&str> {
    let text = match literal.strip_prefix('r') {
        Some(raw) => {
            let hashes = raw.len() - raw.trim_start_matches('#').len();
            raw.get(hashes + 1..raw.len().checked_sub(hashes + 1)?)?
        }
        None => literal.strip_prefix('"')?.strip_suffix('"').filter(|t| !t.contains('\\'))?,
    };
    (!text.contains('\n') && !text.contains('\r') && !text.starts_with('/')).then_some(text)
}

/// An attribute's arguments after its name: nothing, `= value`, or `(…)` of names, literals,
/// `=`, `,` and `-`.
fn meta_text(meta: &[TokenTree], out: &mut String) -> Option<()> {
    match meta {
        [] => Some(()),
        [TokenTree::Punct(eq), value @ ..] if eq.as_char() == '=' && !value.is_empty() => {
            out.push_str(" = ");
            path_or_literal(value, out)
        }
        [TokenTree::Group(args)] if args.delimiter() == Delimiter::Parenthesis => {
            out.push('(');
            let args: Vec<TokenTree> = args.stream().into_iter().collect();
            for (i, tree) in args.iter().enumerate() {
                match tree {
                    TokenTree::Ident(word) => out.push_str(&word.to_string()),
                    TokenTree::Literal(literal) => out.push_str(&literal.to_string()),
                    TokenTree::Punct(p) if p.as_char() == ',' => out.push_str(if i + 1 == args.len() { "," } else { ", " }),
                    TokenTree::Punct(p) if p.as_char() == '=' => out.push_str(" = "),
                    TokenTree::Punct(p) if p.as_char() == '-' && matches!(args.get(i + 1), Some(TokenTree::Literal(_))) => out.push('-'),
                    _ => return None,
                }
            }
            out.push(')');
            Some(())
        }
        _ => None,
    }
}

/// A literal, or a path (`a::b`).
fn path_or_literal(value: &[TokenTree], out: &mut String) -> Option<()> {
    match value {
        [TokenTree::Literal(literal)] => {
            out.push_str(&literal.to_string());
            Some(())
        }
        _ => (path_type(value, out)?.is_empty()).then_some(()),
    }
}

/// One field: attributes, `pub name: Type,`; the tokens after it.
fn field<'t>(trees: &'t [TokenTree], out: &mut String) -> Option<&'t [TokenTree]> {
    let rest = attributes(trees, "    ", out)?;
    let [TokenTree::Ident(vis), TokenTree::Ident(name), TokenTree::Punct(colon), ty @ ..] = rest else {
        return None;
    };
    if vis != "pub" || colon.as_char() != ':' || colon.spacing() != Spacing::Alone {
        return None;
    }
    let mut text = format!("pub {name}: ");
    let rest = path_type(ty, &mut text)?;
    let [TokenTree::Punct(comma), rest @ ..] = rest else { return None };
    if comma.as_char() != ',' {
        return None;
    }
    text.push(',');
    line(out, "    ", &text)?;
    Some(rest)
}

/// A path type (`::a::B<C, d::E<F>>`) at the start of `trees`, printed; the tokens after it.
fn path_type<'t>(mut trees: &'t [TokenTree], out: &mut String) -> Option<&'t [TokenTree]> {
    if let Some(rest) = after_path_separator(trees) {
        out.push_str("::");
        trees = rest;
    }
    loop {
        let [TokenTree::Ident(segment), rest @ ..] = trees else { return None };
        out.push_str(&segment.to_string());
        trees = rest;
        if let [TokenTree::Punct(open), rest @ ..] = trees {
            if open.as_char() == '<' {
                out.push('<');
                trees = rest;
                loop {
                    trees = path_type(trees, out)?;
                    match trees {
                        [TokenTree::Punct(p), rest @ ..] if p.as_char() == ',' => {
                            out.push_str(", ");
                            trees = rest;
                        }
                        [TokenTree::Punct(p), rest @ ..] if p.as_char() == '>' => {
                            out.push('>');
                            trees = rest;
                            break;
                        }
                        _ => return None,
                    }
                }
            }
        }
        match after_path_separator(trees) {
            Some(rest) => {
                out.push_str("::");
                trees = rest;
            }
            None => return Some(trees),
        }
    }
}

/// Appends `text` as a line at `indent`, unless it may be too long for prettyplease to keep on
/// one line.
fn line(out: &mut String, indent: &str, text: &str) -> Option<()> {
    if indent.len() + text.len() > SAFE_WIDTH {
        return None;
    }
    out.push_str(indent);
    out.push_str(text);
    out.push('\n');
    Some(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proc_macro2::{TokenStream, TokenTree};

    use super::{enum_text, struct_text};

    /// The bodies of the `::oauth_api::{macro_name}! { … }` invocations among `tokens`, at
    /// any depth; an enum's `kind;` is left out.
    fn bodies(tokens: TokenStream, macro_name: &str, out: &mut Vec<Vec<TokenTree>>) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            if let TokenTree::Group(group) = tree {
                let is_macro = i >= 2
                    && matches!(&trees[i - 2], TokenTree::Ident(name) if name == macro_name)
                    && matches!(&trees[i - 1], TokenTree::Punct(bang) if bang.as_char() == '!');
                if is_macro {
                    let body: Vec<TokenTree> = group.stream().into_iter().collect();
                    let kind = matches!(&body[..], [TokenTree::Ident(_), TokenTree::Punct(semi), ..] if semi.as_char() == ';');
                    out.push(body[if kind { 2 } else { 0 }..].to_vec());
                } else {
                    bodies(group.stream(), macro_name, out);
                }
            }
        }
    }

    /// Every spec of `specs/` and the fixtures, and `OAUTH_API_MODEL_SPECS` (paths separated
    /// by `:`, for large specs checked by hand).
    fn specs() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        for dir in [root.join("../specs"), root.join("tests/fixtures/real_world"), root.join("tests/fixtures/openapi31"), root.join("tests/fixtures/swagger2"), root.join("tests/fixtures")] {
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
                let path = entry.unwrap().path();
                if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                    paths.push(path);
                }
            }
        }
        if let Some(more) = std::env::var_os("OAUTH_API_MODEL_SPECS") {
            paths.extend(std::env::split_paths(&more));
        }
        paths.sort();
        paths
    }

    /// The text printed from the tokens is prettyplease's, for every model struct and enum it
    /// prints; and it prints most of them.
    #[test]
    fn model_structs_and_enums_print_as_prettyplease_prints_them() {
        type Printer = fn(&[TokenTree]) -> Option<String>;
        let printers: [(&str, Printer); 3] = [("model", struct_text), ("string_enum", enum_text), ("integer_enum", enum_text)];
        let mut counts = [(0, 0); 3];
        for path in specs() {
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(generated) = crate::generate(&path.display().to_string(), &text, crate::Options::default()) else { continue };
            for ((macro_name, print), (printed, left)) in printers.iter().zip(&mut counts) {
                let mut found = Vec::new();
                bodies(generated.items.clone(), macro_name, &mut found);
                for body in found {
                    let tokens: TokenStream = body.iter().cloned().collect();
                    let expected = crate::render::unparse(syn::parse2(tokens).unwrap());
                    match print(&body) {
                        Some(text) => {
                            assert_eq!(text, expected, "{macro_name} in {}", path.display());
                            *printed += 1;
                        }
                        None => *left += 1,
                    }
                }
            }
        }
        for ((macro_name, _), (printed, left)) in printers.iter().zip(counts) {
            assert!(printed > 0 && left < printed, "{macro_name}: printed {printed}, left to prettyplease {left}");
        }
    }

    #[test]
    fn other_shapes_are_left_to_prettyplease() {
        let shapes = [
            quote::quote! { pub struct A { pub a: &'static str, } },
            quote::quote! { pub struct A { a: u8, } },
            quote::quote! { pub struct A {} },
            quote::quote! { pub struct A(u8); },
            quote::quote! { #[serde(rename = "a")] pub struct A { pub a: u8, } },
            quote::quote! { #[doc = "/ starts with a slash"] pub struct A { pub a: u8, } },
            quote::quote! { #[doc = "line\nbreak"] pub struct A { pub a: u8, } },
            quote::quote! { pub struct A { pub a: Option<std::collections::BTreeMap<String, Vec<VeryLongTypeNameThatWouldNotFit>>>, } },
        ];
        for shape in shapes {
            let trees: Vec<TokenTree> = shape.clone().into_iter().collect();
            assert_eq!(struct_text(&trees), None, "{shape}");
        }
        let enums = [
            quote::quote! { pub enum A {} },
            quote::quote! { pub enum A { B, } },
            quote::quote! { pub enum A { B = "b" } },
            quote::quote! { enum A { B = "b", } },
            quote::quote! { #[doc = "line\nbreak"] pub enum A { B = "b", } },
            quote::quote! { pub enum A { #[serde(rename = "b")] B = "b", } },
        ];
        for shape in enums {
            let trees: Vec<TokenTree> = shape.clone().into_iter().collect();
            assert_eq!(enum_text(&trees), None, "{shape}");
        }
    }
}
