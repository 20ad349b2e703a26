//! The text prettyplease gives the struct inside a `model!` invocation, the enum inside a
//! `string_enum!`/`integer_enum!` or a `one_of!`, printed straight from its tokens: models are
//! most of a large API's output, and their shapes are fixed (attributes, `pub struct` with
//! fields of path types, `pub enum` with `Name = value` or `Name(Type)` variants), so the
//! syntax tree is not needed to lay them out.
//!
//! Only those shapes are printed here: anything else (another token, a type that is not a
//! path, a doc text prettyplease would not print as `///`, an attribute line longer than
//! prettyplease's margin, which it breaks) gives `None`, and the caller formats the item with
//! prettyplease. A field's type too long for its line is broken at its generic arguments, as
//! prettyplease breaks it. The unit tests compare both on every model of the specs and fixtures (and,
//! by hand, of Stripe, GitHub and Graph: `OAUTH_API_MODEL_SPECS`).

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::fast::tree::{doc_attribute, leaf_text, slice, Tokens, Tree};

/// prettyplease's margin: a line longer than this (indentation included) is broken. A field's
/// type is broken here as prettyplease breaks it; an attribute line that long leaves its
/// struct to prettyplease.
const SAFE_WIDTH: usize = 89;

/// The attributes a model, an enum, a union and their members carry, besides `doc`.
const ATTRIBUTES: [&str; 11] = ["derive", "limits", "rename", "nullable", "default", "additional", "new", "tag", "discriminator", "properties", "from"];

/// The tokens after a `::` at the start of `trees`, if there is one.
fn after_path_separator(trees: &[Tree]) -> Option<&[Tree]> {
    match trees {
        [Tree::Punct(a, _), Tree::Punct(b, _), rest @ ..] if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':' => Some(rest),
        _ => None,
    }
}

/// The text `prettyplease::unparse` gives the struct of `tokens`, or `None` when its shape is
/// not the one printed here.
pub(super) fn struct_text(tokens: &Tokens) -> Option<String> {
    braced_item(tokens, "struct", field)
}

/// The text `prettyplease::unparse` gives the enum of a `string_enum!` or `integer_enum!`
/// (after its `kind;`): attributes, `pub enum Name {`, and variants `Name = value,` with their
/// docs, which prettyplease never breaks. `None` for another shape.
pub(super) fn enum_text(tokens: &Tokens) -> Option<String> {
    braced_item(tokens, "enum", variant)
}

/// The text `prettyplease::unparse` gives the enum of a `one_of!`: attributes, `pub enum Name {`,
/// and variants `Name(Type),` with their attributes. `None` for another shape.
pub(super) fn union_text(tokens: &Tokens) -> Option<String> {
    braced_item(tokens, "enum", tuple_variant)
}

/// `pub {keyword} Name { … }` with its attributes, each member (one at least) printed by
/// `member`, which gives the tokens after the member it printed.
fn braced_item(tokens: &Tokens, keyword: &str, member: for<'t> fn(&'t [Tree], &str, &mut String) -> Option<&'t [Tree]>) -> Option<String> {
    let text = tokens.text.as_str();
    let mut out = String::with_capacity(64 * tokens.trees.len());
    let rest = attributes(&tokens.trees, text, "", &mut out)?;
    let [Tree::Ident(vis, _), Tree::Ident(item, _), Tree::Ident(name, _), Tree::Group(Delimiter::Brace, members)] = rest else {
        return None;
    };
    if slice(text, *vis) != "pub" || slice(text, *item) != keyword {
        return None;
    }
    // No break in it: prettyplease keeps it on one line, however long.
    out.push_str("pub ");
    out.push_str(keyword);
    out.push(' ');
    out.push_str(slice(text, *name));
    out.push_str(" {\n");
    let mut rest = &members[..];
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        rest = member(rest, text, &mut out)?;
    }
    out.push_str("}\n");
    Some(out)
}

/// One enum variant: attributes, `Name = value,`; the tokens after it.
fn variant<'t>(trees: &'t [Tree], text: &str, out: &mut String) -> Option<&'t [Tree]> {
    let rest = attributes(trees, text, "    ", out)?;
    let [Tree::Ident(variant, _), eq, value @ Tree::Literal(..), comma, rest @ ..] = rest else {
        return None;
    };
    if !eq.is_punct('=') || !comma.is_punct(',') {
        return None;
    }
    out.push_str("    ");
    out.push_str(slice(text, *variant));
    out.push_str(" = ");
    out.push_str(leaf_text(value, text));
    out.push_str(",\n");
    Some(rest)
}

/// One tuple variant of a union: attributes, `Name(Type),`, broken inside the parentheses as
/// prettyplease breaks it when too long; the tokens after it.
fn tuple_variant<'t>(trees: &'t [Tree], text: &str, out: &mut String) -> Option<&'t [Tree]> {
    let rest = attributes(trees, text, "    ", out)?;
    let [Tree::Ident(variant, _), Tree::Group(Delimiter::Parenthesis, field), comma, rest @ ..] = rest else {
        return None;
    };
    if !comma.is_punct(',') {
        return None;
    }
    let (ty, []) = PathType::parse(field, text)? else { return None };
    // `Name(Type)` breaks as a type `Name` with the one argument `Type` would, in `()`.
    let tuple = PathType { path: slice(text, *variant).to_string(), args: vec![ty] };
    out.push_str("    ");
    // The variant's `,` follows the `)` before the next break.
    tuple.layout_in(PARENTHESES, 4, 4, 1, out);
    out.push_str(",\n");
    Some(rest)
}

/// Prints the attributes at the start of `trees`, indented; the tokens after them.
fn attributes<'t>(mut trees: &'t [Tree], text: &str, indent: &str, out: &mut String) -> Option<&'t [Tree]> {
    while let [hash @ Tree::Punct(..), Tree::Group(delimiter, inner), rest @ ..] = trees {
        if !hash.is_punct('#') || *delimiter != Delimiter::Bracket {
            return None;
        }
        if let Some(literal) = doc_attribute(inner, text) {
            doc_lines(literal, indent, out)?;
            trees = rest;
            continue;
        }
        match &inner[..] {
            [Tree::Ident(attr, _), meta @ ..] if ATTRIBUTES.contains(&slice(text, *attr)) => {
                let mut attribute = format!("#[{}", slice(text, *attr));
                meta_text(meta, text, &mut attribute)?;
                attribute.push(']');
                line(out, indent, &attribute)?;
            }
            _ => return None,
        }
        trees = rest;
    }
    Some(trees)
}

/// Prints the doc literal `literal` as the `///` lines prettyplease prints for it, indented;
/// `None`, printing nothing, for a text prettyplease prints otherwise.
fn doc_lines(literal: &str, indent: &str, out: &mut String) -> Option<()> {
    for line in doc_text(literal)?.split('\n') {
        out.push_str(indent);
        out.push_str("///");
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
    Some(())
}

/// Prints `doc = "text"` (an attribute's inside) as the `///` comment prettyplease prints for
/// it, indented; `None`, printing nothing, for another attribute or a text prettyplease prints
/// otherwise.
fn doc_comment(inner: &[TokenTree], indent: &str, out: &mut String) -> Option<()> {
    let [TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(text)] = inner else { return None };
    if doc != "doc" || eq.as_char() != '=' {
        return None;
    }
    doc_lines(&text.to_string(), indent, out)
}

/// The doc comments at the start of `trees`, printed as prettyplease prints them (each line
/// after `indent`); the tokens after them, from the first attribute that is not one.
pub(super) fn leading_docs<'t>(mut trees: &'t [TokenTree], indent: &str, out: &mut String) -> &'t [TokenTree] {
    while let [TokenTree::Punct(hash), TokenTree::Group(group), rest @ ..] = trees {
        if hash.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            break;
        }
        let inner: Vec<TokenTree> = group.stream().into_iter().collect();
        if doc_comment(&inner, indent, out).is_none() {
            break;
        }
        trees = rest;
    }
    trees
}

/// The value of a doc literal as prettyplease prints it after `///`, a line of the comment
/// per line of the text: a raw string's text, or an escaped one's when it has no escapes;
/// `None` for texts prettyplease prints otherwise.
///
/// A raw string spanning lines is a doc comment's lines joined ([`crate::codegen::doc_literal`]),
/// printed as prettyplease prints them an attribute each ([`super::split_doc_comments`]).
pub(super) fn doc_text(literal: &str) -> Option<&str> {
    let text = match raw_string_text(literal) {
        Some(text) => text,
        None => literal.strip_prefix('"')?.strip_suffix('"').filter(|t| !t.contains(['\\', '\n']))?,
    };
    // No line may start with `/` (`////` is not a doc comment).
    (!text.contains('\r') && !text.starts_with('/') && !text.contains("\n/")).then_some(text)
}

/// The text of a raw string literal (`r"…"`, `r#"…"#`), without its quotes and `#`s.
pub(super) fn raw_string_text(literal: &str) -> Option<&str> {
    let raw = literal.strip_prefix('r')?;
    let hashes = raw.len() - raw.trim_start_matches('#').len();
    raw.get(hashes + 1..raw.len().checked_sub(hashes + 1)?)
}

/// An attribute's arguments after its name: nothing, `= value`, or `(…)` of names, literals,
/// `=`, `,` and `-`.
fn meta_text(meta: &[Tree], text: &str, out: &mut String) -> Option<()> {
    match meta {
        [] => Some(()),
        [eq, value @ ..] if eq.is_punct('=') && !value.is_empty() => {
            out.push_str(" = ");
            path_or_literal(value, text, out)
        }
        [Tree::Group(Delimiter::Parenthesis, args)] => {
            out.push('(');
            for (i, tree) in args.iter().enumerate() {
                match tree {
                    Tree::Ident(..) | Tree::Literal(..) => out.push_str(leaf_text(tree, text)),
                    Tree::Punct(p, _) if p.as_char() == ',' => out.push_str(if i + 1 == args.len() { "," } else { ", " }),
                    Tree::Punct(p, _) if p.as_char() == '=' => out.push_str(" = "),
                    Tree::Punct(p, _) if p.as_char() == '-' && matches!(args.get(i + 1), Some(Tree::Literal(..))) => out.push('-'),
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
fn path_or_literal(value: &[Tree], text: &str, out: &mut String) -> Option<()> {
    match value {
        [literal @ Tree::Literal(..)] => {
            out.push_str(leaf_text(literal, text));
            Some(())
        }
        _ => (path_type(value, text, out)?.is_empty()).then_some(()),
    }
}

/// One field: attributes, `pub name: Type,`; the tokens after it.
fn field<'t>(trees: &'t [Tree], text: &str, out: &mut String) -> Option<&'t [Tree]> {
    let rest = attributes(trees, text, "    ", out)?;
    let [Tree::Ident(vis, _), Tree::Ident(name, _), Tree::Punct(colon, _), ty @ ..] = rest else {
        return None;
    };
    if slice(text, *vis) != "pub" || colon.as_char() != ':' || colon.spacing() != Spacing::Alone {
        return None;
    }
    let (ty, rest) = PathType::parse(ty, text)?;
    let [comma, rest @ ..] = rest else { return None };
    if !comma.is_punct(',') {
        return None;
    }
    let start = out.len();
    out.push_str("    pub ");
    out.push_str(slice(text, *name));
    out.push_str(": ");
    let column = out.len() - start;
    // The field's `,` follows the type before the next break.
    ty.layout(4, column, 1, out);
    out.push_str(",\n");
    Some(rest)
}

/// A path type (`::a::B<C, d::E<F>>`): its path up to the generic arguments, which only its
/// last segment may have, and those.
struct PathType {
    path: String,
    args: Vec<PathType>,
}

impl PathType {
    /// The path type at the start of `trees`; the tokens after it.
    fn parse<'t>(mut trees: &'t [Tree], text: &str) -> Option<(PathType, &'t [Tree])> {
        let mut path = String::new();
        if let Some(rest) = after_path_separator(trees) {
            path.push_str("::");
            trees = rest;
        }
        loop {
            let [segment, rest @ ..] = trees else { return None };
            path.push_str(segment.word(text)?);
            trees = rest;
            if let [open, rest @ ..] = trees {
                if open.is_punct('<') {
                    let (args, rest) = Self::arguments(rest, text)?;
                    // Arguments on another segment than the last: not a shape printed here.
                    return after_path_separator(rest).is_none().then_some((PathType { path, args }, rest));
                }
            }
            match after_path_separator(trees) {
                Some(rest) => {
                    path.push_str("::");
                    trees = rest;
                }
                None => return Some((PathType { path, args: Vec::new() }, trees)),
            }
        }
    }

    /// The generic arguments after a `<`, up to the `>`; the tokens after it.
    fn arguments<'t>(mut trees: &'t [Tree], text: &str) -> Option<(Vec<PathType>, &'t [Tree])> {
        let mut args = Vec::new();
        loop {
            let (arg, rest) = Self::parse(trees, text)?;
            args.push(arg);
            match rest {
                [p, rest @ ..] if p.is_punct(',') => trees = rest,
                [p, rest @ ..] if p.is_punct('>') => return Some((args, rest)),
                _ => return None,
            }
        }
    }

    /// The length of the type on one line.
    fn flat_len(&self) -> usize {
        self.path.len() + if self.args.is_empty() { 0 } else { 2 + self.arguments_len() }
    }

    /// The length of the generic arguments on one line, `, ` between them.
    fn arguments_len(&self) -> usize {
        self.args.iter().map(PathType::flat_len).sum::<usize>() + 2 * (self.args.len() - 1)
    }

    /// Writes the type on one line, its arguments between `delimiters`.
    fn flat(&self, (open, close): Delimiters, out: &mut String) {
        out.push_str(&self.path);
        if let Some((last, others)) = self.args.split_last() {
            out.push(open);
            for arg in others {
                arg.flat(ANGLE_BRACKETS, out);
                out.push_str(", ");
            }
            last.flat(ANGLE_BRACKETS, out);
            out.push(close);
        }
    }

    /// Writes the type as prettyplease lays it out, from `column` of a line indented by
    /// `indent`: its generic arguments are a consistent box, kept on the line when they fit
    /// with the `after` characters that follow the type before the next break, else one per
    /// line, a level deeper, each with a `,`.
    fn layout(&self, indent: usize, column: usize, after: usize, out: &mut String) {
        self.layout_in(ANGLE_BRACKETS, indent, column, after, out);
    }

    /// [`PathType::layout`] with the arguments between `delimiters`.
    fn layout_in(&self, (open, close): Delimiters, indent: usize, column: usize, after: usize, out: &mut String) {
        if self.args.is_empty() || column + self.flat_len() + after <= SAFE_WIDTH {
            self.flat((open, close), out);
            return;
        }
        out.push_str(&self.path);
        out.push(open);
        out.push('\n');
        let inner = indent + 4;
        for (i, arg) in self.args.iter().enumerate() {
            out.extend(std::iter::repeat_n(' ', inner));
            // A `,` follows every argument but the last before its break; the last one's is
            // printed only when the box breaks, and does not count.
            let after = usize::from(i + 1 < self.args.len());
            arg.layout(inner, inner, after, out);
            out.push_str(",\n");
        }
        out.extend(std::iter::repeat_n(' ', indent));
        out.push(close);
    }
}

/// The characters around a type's arguments: `<` and `>` for generics, `(` and `)` for a tuple
/// variant's field.
type Delimiters = (char, char);

const ANGLE_BRACKETS: Delimiters = ('<', '>');

const PARENTHESES: Delimiters = ('(', ')');

/// A path type at the start of `trees`, printed on one line; the tokens after it.
fn path_type<'t>(trees: &'t [Tree], text: &str, out: &mut String) -> Option<&'t [Tree]> {
    let (ty, rest) = PathType::parse(trees, text)?;
    ty.flat(ANGLE_BRACKETS, out);
    Some(rest)
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
pub(super) mod tests {
    use std::path::Path;

    use proc_macro2::{TokenStream, TokenTree};

    use super::{enum_text, struct_text, union_text, Tokens};

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
    pub(in crate::render) fn specs() -> Vec<std::path::PathBuf> {
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
        type Printer = fn(&Tokens) -> Option<String>;
        let printers: [(&str, Printer); 4] = [("model", struct_text), ("string_enum", enum_text), ("integer_enum", enum_text), ("one_of", union_text)];
        let mut counts = [(0, 0); 4];
        for path in specs() {
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(generated) = crate::generate(&path.display().to_string(), &text, crate::Options::default()) else { continue };
            for ((macro_name, print), (printed, left)) in printers.iter().zip(&mut counts) {
                let mut found = Vec::new();
                bodies(generated.items.clone(), macro_name, &mut found);
                for body in found {
                    let tokens: TokenStream = body.iter().cloned().collect();
                    let expected = crate::render::unparse(syn::parse2(crate::render::split_doc_comments(tokens)).unwrap());
                    match print(&Tokens::new(body)) {
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

    /// Field types around prettyplease's margin, in the wrappers models use, are broken where
    /// prettyplease breaks them (or kept on their line), to the column.
    #[test]
    fn long_field_types_break_as_prettyplease_breaks_them() {
        let mut checked = 0;
        for length in 30..110 {
            let name = quote::format_ident!("{}", "T".repeat(length));
            let short = quote::format_ident!("{}", "U".repeat(length / 3));
            let types = [
                quote::quote! { #name },
                quote::quote! { Option<#name> },
                quote::quote! { Option<Box<super::#name>> },
                quote::quote! { Vec<Vec<#name>> },
                quote::quote! { Option<std::collections::BTreeMap<String, Vec<#name>>> },
                quote::quote! { std::collections::BTreeMap<#short, Option<#short>> },
                quote::quote! { Option<Vec<std::collections::BTreeMap<String, #short>>> },
            ];
            for ty in types {
                for field in ["a", "field_with_a_longer_name"] {
                    let field = quote::format_ident!("{field}");
                    let item = quote::quote! { pub struct A { pub #field: #ty, pub b: u8, } };
                    let trees: Vec<TokenTree> = item.clone().into_iter().collect();
                    let expected = crate::render::unparse(syn::parse2(crate::render::split_doc_comments(item)).unwrap());
                    assert_eq!(struct_text(&Tokens::new(trees)).as_deref(), Some(expected.as_str()));
                    let variant = quote::format_ident!("{}", variant_name(&field.to_string()));
                    let item = quote::quote! { pub enum A { #[from] #variant(#ty), B(u8), } };
                    let trees: Vec<TokenTree> = item.clone().into_iter().collect();
                    let expected = crate::render::unparse(syn::parse2(crate::render::split_doc_comments(item)).unwrap());
                    assert_eq!(union_text(&Tokens::new(trees)).as_deref(), Some(expected.as_str()));
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 80 * 7 * 2);
    }

    /// A variant name as long as the field name `field`.
    fn variant_name(field: &str) -> String {
        field.replace('_', "X").to_uppercase()
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
            quote::quote! { pub struct A { pub a: Option<B<C>::D>, } },
        ];
        for shape in shapes {
            let trees: Vec<TokenTree> = shape.clone().into_iter().collect();
            assert_eq!(struct_text(&Tokens::new(trees)), None, "{shape}");
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
            assert_eq!(enum_text(&Tokens::new(trees)), None, "{shape}");
        }
    }
}
