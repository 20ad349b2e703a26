//! The syntax of the members codegen writes, read from their tokens: a function with its
//! signature, statements, and the expressions, patterns and types they are made of. Only
//! what codegen writes is read; anything else gives `None`, and the member goes to syn and
//! prettyplease.

use proc_macro2::{Delimiter, Spacing};

use super::tree::{doc_attribute, Cursor, Tree};

pub(super) struct Function<'t> {
    pub public: bool,
    pub asyncness: bool,
    pub name: &'t str,
    /// Type parameters and their trait bounds: `<A: Api>`.
    pub generics: Vec<(&'t str, Vec<Path<'t>>)>,
    pub inputs: Vec<Input<'t>>,
    pub output: Option<Ty<'t>>,
    /// `None`: a trait method without a default.
    pub body: Option<Vec<Stmt<'t>>>,
}

/// An item or member, with its attributes.
pub(super) struct Item<'t> {
    pub attrs: Vec<Attr<'t>>,
    pub kind: ItemKind<'t>,
}

pub(super) enum ItemKind<'t> {
    Fn(Function<'t>),
    Struct { public: bool, name: &'t str, generics: Vec<(&'t str, Vec<Path<'t>>)>, fields: Vec<Field<'t>> },
    Enum { public: bool, name: &'t str, variants: Vec<Variant<'t>> },
    /// `type Name = Type;`
    Type { public: bool, name: &'t str, generics: Vec<(&'t str, Vec<Path<'t>>)>, ty: Ty<'t> },
    /// `impl [Trait for] Type { fn … }`.
    Impl { generics: Vec<(&'t str, Vec<Path<'t>>)>, trait_: Option<Path<'t>>, self_ty: Ty<'t>, members: Vec<Item<'t>> },
}

pub(super) enum Attr<'t> {
    /// A doc comment's text as prettyplease prints it after `///`.
    Doc(&'t str),
    /// `#[…]`: the tokens inside the brackets, and the text they are ranges of.
    Meta(&'t [Tree], &'t str),
}

pub(super) struct Field<'t> {
    pub attrs: Vec<Attr<'t>>,
    pub public: bool,
    pub name: &'t str,
    pub ty: Ty<'t>,
}

pub(super) struct Variant<'t> {
    pub attrs: Vec<Attr<'t>>,
    pub name: &'t str,
    pub fields: VariantFields<'t>,
}

pub(super) enum VariantFields<'t> {
    Unit,
    Tuple(Vec<Ty<'t>>),
    Named(Vec<Field<'t>>),
}

pub(super) enum Input<'t> {
    /// `&self`.
    SelfRef,
    /// `self`.
    SelfValue,
    Typed(Pat<'t>, Ty<'t>),
}

pub(super) enum Ty<'t> {
    Path(Path<'t>),
    Ref { lifetime: Option<&'t str>, mutable: bool, elem: Box<Ty<'t>> },
    Impl(Vec<Bound<'t>>),
    Tuple(Vec<Ty<'t>>),
    Slice(Box<Ty<'t>>),
}

pub(super) enum Bound<'t> {
    Trait(Path<'t>),
    Lifetime(&'t str),
}

/// A path: its first segment beside the rest, as most paths have one (no allocation then).
pub(super) struct Path<'t> {
    pub leading_colon: bool,
    pub first: Segment<'t>,
    pub rest: Vec<Segment<'t>>,
}

impl<'t> Path<'t> {
    pub(super) fn segments(&self) -> impl Iterator<Item = &Segment<'t>> {
        std::iter::once(&self.first).chain(&self.rest)
    }

    pub(super) fn last(&self) -> &Segment<'t> {
        self.rest.last().unwrap_or(&self.first)
    }

    /// The one segment of a path of one, without a leading `::`.
    pub(super) fn single(&self) -> Option<&Segment<'t>> {
        (!self.leading_colon && self.rest.is_empty()).then_some(&self.first)
    }
}

pub(super) struct Segment<'t> {
    pub ident: &'t str,
    /// `<…>` (or `::<…>` in an expression).
    pub args: Vec<GenericArg<'t>>,
}

pub(super) enum GenericArg<'t> {
    Lifetime(&'t str),
    Type(Ty<'t>),
    /// `Output = T`.
    Assoc(&'t str, Ty<'t>),
}

pub(super) enum Stmt<'t> {
    Let(Pat<'t>, Expr<'t>),
    /// An expression and its `;`.
    Semi(Expr<'t>),
    /// The last expression of a block.
    Tail(Expr<'t>),
    /// `use a::b as c;`
    Use(Vec<&'t str>, Option<&'t str>),
}

pub(super) enum Expr<'t> {
    Path(Path<'t>),
    Lit(&'t str),
    Call(Box<Expr<'t>>, Vec<Expr<'t>>),
    Method(Box<Expr<'t>>, &'t str, Vec<GenericArg<'t>>, Vec<Expr<'t>>),
    Field(Box<Expr<'t>>, &'t str),
    Try(Box<Expr<'t>>),
    Await(Box<Expr<'t>>),
    Ref(bool, Box<Expr<'t>>),
    Unary(char, Box<Expr<'t>>),
    /// A `format!`-like macro of plain arguments, which prettyplease lays out as a call.
    Macro(Path<'t>, Vec<Expr<'t>>),
    Tuple(Vec<Expr<'t>>),
    Paren(Box<Expr<'t>>),
    Array(Vec<Expr<'t>>),
    Struct(Path<'t>, Vec<(&'t str, Option<Expr<'t>>)>),
    Closure(Vec<Pat<'t>>, Box<Expr<'t>>),
    Match(Box<Expr<'t>>, Vec<(Pat<'t>, Expr<'t>)>),
    Async(bool, Vec<Stmt<'t>>),
    Block(Vec<Stmt<'t>>),
}

pub(super) enum Pat<'t> {
    Ident(bool, &'t str),
    /// `name @ pattern`.
    Bind(&'t str, Box<Pat<'t>>),
    /// `low..=high` (`closed`) or `low..high`, of literals.
    Range(&'t str, &'t str, bool),
    Wild,
    Lit(&'t str),
    Path(Path<'t>),
    TupleStruct(Path<'t>, Vec<Pat<'t>>),
    Tuple(Vec<Pat<'t>>),
    /// The fields, and whether `..` follows them.
    Struct(Path<'t>, Vec<(&'t str, Option<Pat<'t>>)>, bool),
    Type(Box<Pat<'t>>, Ty<'t>),
}

/// Whether prettyplease lays out an array of such literals as a simple one (`simple_array`):
/// an integer, a character, a byte or a boolean, not a string or a float.
pub(super) fn simple_literal(text: &str) -> bool {
    match text.as_bytes() {
        [b'\'', ..] | [b'b', b'\'', ..] => true,
        [b'0'..=b'9', ..] => {
            let hex = text.starts_with("0x") || text.starts_with("0X");
            hex || !(text.contains('.') || text.contains(['e', 'E']) || text.ends_with("f32") || text.ends_with("f64"))
        }
        _ => text == "true" || text == "false",
    }
}

/// The macros prettyplease lays out as calls when their arguments are expressions.
const FORMAT_MACROS: [&str; 4] = ["format", "panic", "unreachable", "vec"];

/// `items` read whole by `read`.
fn within<'t, T>(mut cursor: Cursor<'t>, read: impl FnOnce(&mut Cursor<'t>) -> Option<T>) -> Option<T> {
    let value = read(&mut cursor)?;
    cursor.is_empty().then_some(value)
}

/// An item with its attributes: a function, a struct with named fields, an enum, a type
/// alias or an `impl` of functions; the whole of `cursor`.
pub(super) fn item<'t>(cursor: &mut Cursor<'t>) -> Option<Item<'t>> {
    let attrs = attributes(cursor)?;
    // The keyword after the visibility says what the item is.
    let keyword = cursor.word_at(usize::from(cursor.is_ident("pub")))?;
    let kind = if keyword == "impl" {
        implementation(cursor)?
    } else if keyword == "type" {
        let public = cursor.eat_ident("pub").is_some();
        cursor.eat_ident("type")?;
        let name = cursor.name()?;
        let generics = generics(cursor)?;
        cursor.eat_punct('=')?;
        let ty = ty(cursor)?;
        cursor.eat_punct(';')?;
        ItemKind::Type { public, name, generics, ty }
    } else if keyword == "struct" || keyword == "enum" {
        data(cursor)?
    } else {
        ItemKind::Fn(function(cursor)?)
    };
    cursor.is_empty().then_some(Item { attrs, kind })
}

/// The outer attributes at the cursor.
fn attributes<'t>(cursor: &mut Cursor<'t>) -> Option<Vec<Attr<'t>>> {
    let mut attrs = Vec::new();
    while cursor.is_punct('#') {
        cursor.at += 1;
        let inside = cursor.group(Delimiter::Bracket)?;
        let text = cursor.text;
        if let Some(literal) = doc_attribute(inside.trees, text) {
            let text = super::super::model_text::doc_text(literal)?;
            attrs.extend(text.split('\n').map(|line| Attr::Doc(line.trim_end_matches(' '))));
            continue;
        }
        match inside.trees {
            [Tree::Ident(..), rest @ ..] if meta_tokens(rest) => attrs.push(Attr::Meta(inside.trees, text)),
            _ => return None,
        }
    }
    Some(attrs)
}

/// Whether an attribute's tokens after its name are printed here: nothing, `= literal`,
/// `= path`, or one `(…)` of names, paths, literals, `,` and `=`, and groups of them.
fn meta_tokens(rest: &[Tree]) -> bool {
    fn plain(trees: &[Tree]) -> bool {
        trees.iter().all(|t| match t {
            Tree::Ident(..) | Tree::Literal(..) => true,
            Tree::Punct(p, _) => (matches!(p.as_char(), ',' | '=') && p.spacing() == Spacing::Alone) || p.as_char() == ':',
            Tree::Group(delimiter, inside) => *delimiter == Delimiter::Parenthesis && plain(inside),
        })
    }
    match rest {
        [] => true,
        [Tree::Group(delimiter, inside)] => *delimiter == Delimiter::Parenthesis && plain(inside),
        [Tree::Punct(eq, _), Tree::Literal(..)] => eq.as_char() == '=',
        // `= a::b`: a path.
        [Tree::Punct(eq, _), value @ ..] => {
            eq.as_char() == '='
                && !value.is_empty()
                && value.iter().enumerate().all(|(i, t)| match t {
                    Tree::Ident(..) => true,
                    Tree::Punct(p, _) => p.as_char() == ':' && (i % 3 == 1 || i % 3 == 2),
                    _ => false,
                })
                && matches!(value.last(), Some(Tree::Ident(..)))
        }
        _ => false,
    }
}

/// `[pub] struct Name[<T>] { fields }` or `[pub] enum Name { variants }`.
fn data<'t>(cursor: &mut Cursor<'t>) -> Option<ItemKind<'t>> {
    let public = cursor.eat_ident("pub").is_some();
    if cursor.eat_ident("struct").is_some() {
        let name = cursor.name()?;
        let generics = generics(cursor)?;
        let fields = within(cursor.group(Delimiter::Brace)?, |c| c.comma_separated(field))?;
        return cursor.is_empty().then_some(ItemKind::Struct { public, name, generics, fields });
    }
    cursor.eat_ident("enum")?;
    let name = cursor.name()?;
    let variants = within(cursor.group(Delimiter::Brace)?, |c| {
        c.comma_separated(|c| {
            let attrs = attributes(c)?;
            let name = c.name()?;
            let fields = if let Some(mut inside) = c.group(Delimiter::Parenthesis) {
                VariantFields::Tuple(inside.comma_separated(ty)?)
            } else if let Some(mut inside) = c.group(Delimiter::Brace) {
                VariantFields::Named(inside.comma_separated(field)?)
            } else {
                VariantFields::Unit
            };
            Some(Variant { attrs, name, fields })
        })
    })?;
    cursor.is_empty().then_some(ItemKind::Enum { public, name, variants })
}

fn field<'t>(cursor: &mut Cursor<'t>) -> Option<Field<'t>> {
    let attrs = attributes(cursor)?;
    let public = cursor.eat_ident("pub").is_some();
    if cursor.is_group(Delimiter::Parenthesis) {
        return None;
    }
    let name = cursor.name()?;
    cursor.eat_punct(':')?;
    Some(Field { attrs, public, name, ty: ty(cursor)? })
}

/// `impl[<A: B>] [Trait for] Type { functions }`.
fn implementation<'t>(cursor: &mut Cursor<'t>) -> Option<ItemKind<'t>> {
    cursor.eat_ident("impl")?;
    let generics = generics(cursor)?;
    let first = ty(cursor)?;
    let (trait_, self_ty) = match cursor.eat_ident("for") {
        Some(()) => match first {
            Ty::Path(path) => (Some(path), ty(cursor)?),
            _ => return None,
        },
        None => (None, first),
    };
    let mut inner = cursor.group(Delimiter::Brace)?;
    let mut members = Vec::new();
    while !inner.is_empty() {
        let attrs = attributes(&mut inner)?;
        members.push(Item { attrs, kind: ItemKind::Fn(function(&mut inner)?) });
    }
    cursor.is_empty().then_some(ItemKind::Impl { generics, trait_, self_ty, members })
}

/// `<A: B + C, D>`, or nothing.
fn generics<'t>(cursor: &mut Cursor<'t>) -> Option<Vec<(&'t str, Vec<Path<'t>>)>> {
    let mut generics = Vec::new();
    if cursor.eat_punct('<').is_some() {
        while cursor.eat_punct('>').is_none() {
            let param = cursor.name()?;
            let mut bounds = Vec::new();
            if cursor.eat_punct(':').is_some() {
                bounds.push(path(cursor, false)?);
                while cursor.eat_punct('+').is_some() {
                    bounds.push(path(cursor, false)?);
                }
            }
            generics.push((param, bounds));
            if !cursor.is_punct('>') {
                cursor.eat_punct(',')?;
            }
        }
    }
    Some(generics)
}

/// `[pub] [async] fn name[<A: B>](inputs) [-> T] { … }` or `…;`, up to its end.
fn function<'t>(cursor: &mut Cursor<'t>) -> Option<Function<'t>> {
    let public = cursor.eat_ident("pub").is_some();
    if cursor.is_group(Delimiter::Parenthesis) {
        return None;
    }
    let asyncness = cursor.eat_ident("async").is_some();
    cursor.eat_ident("fn")?;
    let name = cursor.name()?;
    let generics = generics(cursor)?;
    let inputs = within(cursor.group(Delimiter::Parenthesis)?, |c| c.comma_separated(input))?;
    let output = match cursor.eat_punct2('-', '>') {
        Some(()) => Some(ty(cursor)?),
        None => None,
    };
    let body = match cursor.eat_punct(';') {
        Some(()) => None,
        None => Some(block(cursor.group(Delimiter::Brace)?)?),
    };
    Some(Function { public, asyncness, name, generics, inputs, output, body })
}

fn input<'t>(cursor: &mut Cursor<'t>) -> Option<Input<'t>> {
    if cursor.is_punct('&') && cursor.word_at(1) == Some("self") {
        cursor.at += 2;
        return Some(Input::SelfRef);
    }
    if cursor.is_ident("self") {
        cursor.at += 1;
        return Some(Input::SelfValue);
    }
    let pat = pattern(cursor)?;
    cursor.eat_punct(':')?;
    Some(Input::Typed(pat, ty(cursor)?))
}

pub(super) fn ty<'t>(cursor: &mut Cursor<'t>) -> Option<Ty<'t>> {
    if cursor.eat_punct('&').is_some() {
        let lifetime = cursor.lifetime();
        let mutable = cursor.eat_ident("mut").is_some();
        return Some(Ty::Ref { lifetime, mutable, elem: Box::new(ty(cursor)?) });
    }
    if cursor.eat_ident("impl").is_some() {
        let mut bounds = vec![bound(cursor)?];
        while cursor.eat_punct('+').is_some() {
            bounds.push(bound(cursor)?);
        }
        return Some(Ty::Impl(bounds));
    }
    if let Some(mut inside) = cursor.group(Delimiter::Parenthesis) {
        let elems = inside.comma_separated(ty)?;
        // `(T)` is a parenthesized type, `(T,)` a tuple: neither is written.
        return (elems.len() != 1).then_some(Ty::Tuple(elems));
    }
    if let Some(inside) = cursor.group(Delimiter::Bracket) {
        return Some(Ty::Slice(Box::new(within(inside, ty)?)));
    }
    Some(Ty::Path(path(cursor, false)?))
}

fn bound<'t>(cursor: &mut Cursor<'t>) -> Option<Bound<'t>> {
    match cursor.lifetime() {
        Some(lifetime) => Some(Bound::Lifetime(lifetime)),
        None => Some(Bound::Trait(path(cursor, false)?)),
    }
}

/// A path; in an expression (`expr`), generic arguments come after `::`.
fn path<'t>(cursor: &mut Cursor<'t>, expr: bool) -> Option<Path<'t>> {
    let leading_colon = cursor.eat_punct2(':', ':').is_some();
    let mut first = None;
    let mut rest = Vec::new();
    loop {
        let ident = match cursor.word_at(0) {
            Some(word @ ("self" | "super" | "crate" | "Self")) => {
                cursor.at += 1;
                word
            }
            _ => cursor.name()?,
        };
        let mut args = Vec::new();
        let turbofish = expr && cursor.is_punct2(':', ':') && cursor.punct_at(2, '<');
        if turbofish {
            cursor.at += 2;
        }
        if (turbofish || !expr) && cursor.eat_punct('<').is_some() {
            args = generic_args(cursor)?;
        }
        let segment = Segment { ident, args };
        match first {
            None => first = Some(segment),
            Some(_) => rest.push(segment),
        }
        if cursor.is_punct2(':', ':') && !cursor.punct_at(2, '<') {
            cursor.at += 2;
        } else {
            return Some(Path { leading_colon, first: first?, rest });
        }
    }
}

/// The arguments after `<`, and the `>`.
fn generic_args<'t>(cursor: &mut Cursor<'t>) -> Option<Vec<GenericArg<'t>>> {
    let mut args = Vec::new();
    loop {
        if cursor.eat_punct('>').is_some() {
            return (!args.is_empty()).then_some(args);
        }
        if let Some(lifetime) = cursor.lifetime() {
            args.push(GenericArg::Lifetime(lifetime));
        } else if cursor.word_at(0).is_some() && cursor.punct_at(1, '=') && !cursor.punct_at(2, '=') {
            let name = cursor.name()?;
            cursor.eat_punct('=')?;
            args.push(GenericArg::Assoc(name, ty(cursor)?));
        } else {
            args.push(GenericArg::Type(ty(cursor)?));
        }
        if !cursor.is_punct('>') {
            cursor.eat_punct(',')?;
        }
    }
}

/// The statements of a block's inside.
pub(super) fn block(mut cursor: Cursor<'_>) -> Option<Vec<Stmt<'_>>> {
    let mut stmts = Vec::new();
    while !cursor.is_empty() {
        if cursor.eat_ident("let").is_some() {
            let mut pat = pattern(&mut cursor)?;
            if cursor.eat_punct(':').is_some() {
                pat = Pat::Type(Box::new(pat), ty(&mut cursor)?);
            }
            cursor.eat_punct('=')?;
            let init = expr(&mut cursor, true)?;
            cursor.eat_punct(';')?;
            stmts.push(Stmt::Let(pat, init));
        } else if cursor.eat_ident("use").is_some() {
            let mut segments = vec![cursor.name()?];
            while cursor.eat_punct2(':', ':').is_some() {
                segments.push(cursor.name()?);
            }
            let rename = match cursor.eat_ident("as") {
                Some(()) => Some(cursor.name()?),
                None => None,
            };
            cursor.eat_punct(';')?;
            stmts.push(Stmt::Use(segments, rename));
        } else {
            // A macro at the start of a statement is a statement of its own in syn.
            if cursor.word_at(0).is_some() && cursor.punct_at(1, '!') {
                return None;
            }
            let e = expr(&mut cursor, true)?;
            if cursor.eat_punct(';').is_some() {
                stmts.push(Stmt::Semi(e));
            } else if cursor.is_empty() {
                stmts.push(Stmt::Tail(e));
            } else {
                return None;
            }
        }
    }
    Some(stmts)
}

/// An expression; `structs`: whether `Path { … }` is a struct literal (not in a `match`'s
/// scrutinee).
fn expr<'t>(cursor: &mut Cursor<'t>, structs: bool) -> Option<Expr<'t>> {
    if cursor.is_punct('|') {
        cursor.at += 1;
        let mut params = Vec::new();
        while cursor.eat_punct('|').is_none() {
            params.push(pattern(cursor)?);
            if !cursor.is_punct('|') {
                cursor.eat_punct(',')?;
            }
        }
        return Some(Expr::Closure(params, Box::new(expr(cursor, structs)?)));
    }
    let e = unary(cursor, structs)?;
    // A binary operator, a cast or a range is not read.
    match cursor.peek_at(0) {
        None => Some(e),
        Some(Tree::Punct(p, _)) if matches!(p.as_char(), ',' | ';') => Some(e),
        Some(Tree::Punct(p, _)) if p.as_char() == '=' && cursor.punct_at(1, '>') => Some(e),
        Some(Tree::Group(Delimiter::Brace, _)) if !structs => Some(e),
        _ => None,
    }
}

fn unary<'t>(cursor: &mut Cursor<'t>, structs: bool) -> Option<Expr<'t>> {
    if cursor.is_punct('&') {
        if let Some(Tree::Punct(p, _)) = cursor.peek_at(0) {
            if p.spacing() == Spacing::Joint && cursor.punct_at(1, '&') {
                return None;
            }
        }
        cursor.at += 1;
        let mutable = cursor.eat_ident("mut").is_some();
        return Some(Expr::Ref(mutable, Box::new(unary(cursor, structs)?)));
    }
    for op in ['!', '-', '*'] {
        if cursor.eat_punct(op).is_some() {
            return Some(Expr::Unary(op, Box::new(unary(cursor, structs)?)));
        }
    }
    postfix(cursor, structs)
}

fn postfix<'t>(cursor: &mut Cursor<'t>, structs: bool) -> Option<Expr<'t>> {
    let mut e = primary(cursor, structs)?;
    loop {
        if cursor.eat_punct('?').is_some() {
            e = Expr::Try(Box::new(e));
        } else if cursor.is_punct('.') && !cursor.punct_at(1, '.') {
            cursor.at += 1;
            if cursor.eat_ident("await").is_some() {
                e = Expr::Await(Box::new(e));
                continue;
            }
            let name = cursor.name()?;
            let mut turbofish = Vec::new();
            if cursor.eat_punct2(':', ':').is_some() {
                cursor.eat_punct('<')?;
                turbofish = generic_args(cursor)?;
            }
            match cursor.group(Delimiter::Parenthesis) {
                Some(inside) => e = Expr::Method(Box::new(e), name, turbofish, arguments(inside)?),
                None if turbofish.is_empty() => e = Expr::Field(Box::new(e), name),
                None => return None,
            }
        } else if let Some(inside) = cursor.group(Delimiter::Parenthesis) {
            e = Expr::Call(Box::new(e), arguments(inside)?);
        } else {
            return Some(e);
        }
    }
}

fn arguments(mut inside: Cursor<'_>) -> Option<Vec<Expr<'_>>> {
    inside.comma_separated(|c| expr(c, true))
}

fn primary<'t>(cursor: &mut Cursor<'t>, structs: bool) -> Option<Expr<'t>> {
    if let Some(literal) = cursor.literal() {
        return Some(Expr::Lit(literal));
    }
    if let Some(mut inside) = cursor.group(Delimiter::Parenthesis) {
        let elems = inside.comma_separated(|c| expr(c, true))?;
        let tuple = elems.len() != 1 || inside.ends_with_punct(',');
        return match tuple {
            true => Some(Expr::Tuple(elems)),
            false => elems.into_iter().next().map(|e| Expr::Paren(Box::new(e))),
        };
    }
    if let Some(inside) = cursor.group(Delimiter::Bracket) {
        return Some(Expr::Array(arguments(inside)?));
    }
    if let Some(inside) = cursor.group(Delimiter::Brace) {
        return Some(Expr::Block(block(inside)?));
    }
    if cursor.eat_ident("match").is_some() {
        let scrutinee = expr(cursor, false)?;
        let arms = within(cursor.group(Delimiter::Brace)?, |c| {
            let mut arms = Vec::new();
            while !c.is_empty() {
                let pat = pattern(c)?;
                c.eat_punct2('=', '>')?;
                // A block ends the arm, comma or not.
                let body = match c.group(Delimiter::Brace) {
                    Some(inside) => Expr::Block(block(inside)?),
                    None => expr(c, true)?,
                };
                if c.eat_punct(',').is_none() && !matches!(body, Expr::Block(_)) && !c.is_empty() {
                    return None;
                }
                arms.push((pat, body));
            }
            Some(arms)
        })?;
        return Some(Expr::Match(Box::new(scrutinee), arms));
    }
    if cursor.eat_ident("async").is_some() {
        let capture = cursor.eat_ident("move").is_some();
        return Some(Expr::Async(capture, block(cursor.group(Delimiter::Brace)?)?));
    }
    let p = path(cursor, true)?;
    if cursor.is_punct('!') && !cursor.punct_at(1, '=') {
        let name = p.last().ident;
        if !FORMAT_MACROS.contains(&name) {
            return None;
        }
        let vec = name == "vec";
        cursor.at += 1;
        let args = arguments(cursor.group(if vec { Delimiter::Bracket } else { Delimiter::Parenthesis })?)?;
        // `vec![]` and a `vec!` of simple literals are laid out otherwise (prettyplease's
        // `simple_array`).
        let laid_out_otherwise = args.is_empty() || (vec && args.iter().all(|a| matches!(a, Expr::Lit(l) if simple_literal(l))));
        return (!laid_out_otherwise).then_some(Expr::Macro(p, args));
    }
    if structs && cursor.is_group(Delimiter::Brace) {
        let mut inside = cursor.group(Delimiter::Brace)?;
        let fields = inside.comma_separated(|c| {
            let member = c.name()?;
            match c.eat_punct(':') {
                Some(()) => Some((member, Some(expr(c, true)?))),
                None => Some((member, None)),
            }
        })?;
        return Some(Expr::Struct(p, fields));
    }
    Some(Expr::Path(p))
}

fn pattern<'t>(cursor: &mut Cursor<'t>) -> Option<Pat<'t>> {
    if cursor.eat_ident("_").is_some() {
        return Some(Pat::Wild);
    }
    if let Some(literal) = cursor.literal() {
        if cursor.eat_punct2('.', '.').is_some() {
            let closed = cursor.eat_punct('=').is_some();
            return Some(Pat::Range(literal, cursor.literal()?, closed));
        }
        return Some(Pat::Lit(literal));
    }
    if let Some(mut inside) = cursor.group(Delimiter::Parenthesis) {
        return Some(Pat::Tuple(inside.comma_separated(pattern)?));
    }
    if cursor.eat_ident("mut").is_some() {
        return Some(Pat::Ident(true, cursor.name()?));
    }
    let p = path(cursor, true)?;
    if let Some(mut inside) = cursor.group(Delimiter::Parenthesis) {
        return Some(Pat::TupleStruct(p, inside.comma_separated(pattern)?));
    }
    if let Some(mut inner) = cursor.group(Delimiter::Brace) {
        let mut fields = Vec::new();
        let mut rest = false;
        while !inner.is_empty() {
            if inner.eat_punct2('.', '.').is_some() {
                rest = true;
                break;
            }
            let member = inner.name()?;
            let sub = match inner.eat_punct(':') {
                Some(()) => Some(pattern(&mut inner)?),
                None => None,
            };
            fields.push((member, sub));
            if !inner.is_empty() {
                inner.eat_punct(',')?;
            }
        }
        return inner.is_empty().then_some(Pat::Struct(p, fields, rest));
    }
    match p.single() {
        Some(one) if one.args.is_empty() && cursor.eat_punct('@').is_some() => Some(Pat::Bind(one.ident, Box::new(pattern(cursor)?))),
        Some(one) if one.args.is_empty() => Some(Pat::Ident(false, one.ident)),
        _ => Some(Pat::Path(p)),
    }
}
