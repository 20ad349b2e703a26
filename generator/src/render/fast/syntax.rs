//! The syntax of the members codegen writes, read from their tokens: a function with its
//! signature, statements, and the expressions, patterns and types they are made of. Only
//! what codegen writes is read; anything else gives `None`, and the member goes to syn and
//! prettyplease.

use proc_macro2::{Delimiter, Spacing, TokenTree};

pub(super) struct Function {
    pub public: bool,
    pub asyncness: bool,
    pub name: String,
    /// Type parameters and their trait bounds: `<A: Api>`.
    pub generics: Vec<(String, Vec<Path>)>,
    pub inputs: Vec<Input>,
    pub output: Option<Ty>,
    /// `None`: a trait method without a default.
    pub body: Option<Vec<Stmt>>,
}

/// An item or member, with its attributes.
pub(super) struct Item {
    pub attrs: Vec<Attr>,
    pub kind: ItemKind,
}

pub(super) enum ItemKind {
    Fn(Function),
    Struct { public: bool, name: String, generics: Vec<(String, Vec<Path>)>, fields: Vec<Field> },
    Enum { public: bool, name: String, variants: Vec<Variant> },
    /// `type Name = Type;`
    Type { public: bool, name: String, generics: Vec<(String, Vec<Path>)>, ty: Ty },
    /// `impl [Trait for] Type { fn … }`.
    Impl { generics: Vec<(String, Vec<Path>)>, trait_: Option<Path>, self_ty: Ty, members: Vec<Item> },
}

pub(super) enum Attr {
    /// A doc comment's text as prettyplease prints it after `///`.
    Doc(String),
    /// `#[…]`: the tokens inside the brackets.
    Meta(Vec<TokenTree>),
}

pub(super) struct Field {
    pub attrs: Vec<Attr>,
    pub public: bool,
    pub name: String,
    pub ty: Ty,
}

pub(super) struct Variant {
    pub attrs: Vec<Attr>,
    pub name: String,
    pub fields: VariantFields,
}

pub(super) enum VariantFields {
    Unit,
    Tuple(Vec<Ty>),
    Named(Vec<Field>),
}

pub(super) enum Input {
    /// `&self`.
    SelfRef,
    /// `self`.
    SelfValue,
    Typed(Pat, Ty),
}

pub(super) enum Ty {
    Path(Path),
    Ref { lifetime: Option<String>, mutable: bool, elem: Box<Ty> },
    Impl(Vec<Bound>),
    Tuple(Vec<Ty>),
    Slice(Box<Ty>),
}

pub(super) enum Bound {
    Trait(Path),
    Lifetime(String),
}

pub(super) struct Path {
    pub leading_colon: bool,
    pub segments: Vec<Segment>,
}

pub(super) struct Segment {
    pub ident: String,
    /// `<…>` (or `::<…>` in an expression).
    pub args: Vec<GenericArg>,
}

pub(super) enum GenericArg {
    Lifetime(String),
    Type(Ty),
    /// `Output = T`.
    Assoc(String, Ty),
}

pub(super) enum Stmt {
    Let(Pat, Expr),
    /// An expression and its `;`.
    Semi(Expr),
    /// The last expression of a block.
    Tail(Expr),
    /// `use a::b as c;`
    Use(Vec<String>, Option<String>),
}

pub(super) enum Expr {
    Path(Path),
    Lit(String),
    Call(Box<Expr>, Vec<Expr>),
    Method(Box<Expr>, String, Vec<GenericArg>, Vec<Expr>),
    Field(Box<Expr>, String),
    Try(Box<Expr>),
    Await(Box<Expr>),
    Ref(bool, Box<Expr>),
    Unary(char, Box<Expr>),
    /// A `format!`-like macro of plain arguments, which prettyplease lays out as a call.
    Macro(Path, Vec<Expr>),
    Tuple(Vec<Expr>),
    Paren(Box<Expr>),
    Array(Vec<Expr>),
    Struct(Path, Vec<(String, Option<Expr>)>),
    Closure(Vec<Pat>, Box<Expr>),
    Match(Box<Expr>, Vec<(Pat, Expr)>),
    Async(bool, Vec<Stmt>),
    Block(Vec<Stmt>),
}

pub(super) enum Pat {
    Ident(bool, String),
    /// `name @ pattern`.
    Bind(String, Box<Pat>),
    /// `low..=high` (`closed`) or `low..high`, of literals.
    Range(String, String, bool),
    Wild,
    Lit(String),
    Path(Path),
    TupleStruct(Path, Vec<Pat>),
    Tuple(Vec<Pat>),
    /// The fields, and whether `..` follows them.
    Struct(Path, Vec<(String, Option<Pat>)>, bool),
    Type(Box<Pat>, Ty),
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

/// Whether `word` is a keyword (and so not a name), of those codegen's syntax has.
fn keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async" | "await" | "break" | "const" | "continue" | "dyn" | "else" | "enum" | "extern" | "fn" | "for" | "if" | "impl" | "in"
            | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref" | "return" | "static" | "struct" | "trait" | "type" | "unsafe"
            | "use" | "where" | "while"
    )
}

/// A position in a token list.
pub(super) struct Cursor<'t> {
    trees: &'t [TokenTree],
    at: usize,
}

impl<'t> Cursor<'t> {
    pub(super) fn new(trees: &'t [TokenTree]) -> Self {
        Cursor { trees, at: 0 }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.at == self.trees.len()
    }

    fn peek_at(&self, n: usize) -> Option<&'t TokenTree> {
        self.trees.get(self.at + n)
    }

    fn punct_at(&self, n: usize, ch: char) -> bool {
        matches!(self.peek_at(n), Some(TokenTree::Punct(p)) if p.as_char() == ch)
    }

    fn is_punct(&self, ch: char) -> bool {
        self.punct_at(0, ch)
    }

    /// `a` joined to `b`: `::`, `=>`, `->`.
    fn is_punct2(&self, a: char, b: char) -> bool {
        matches!(self.peek_at(0), Some(TokenTree::Punct(p)) if p.as_char() == a && p.spacing() == Spacing::Joint)
            && self.punct_at(1, b)
    }

    fn is_ident(&self, word: &str) -> bool {
        matches!(self.peek_at(0), Some(TokenTree::Ident(i)) if i == word)
    }

    fn is_group(&self, delimiter: Delimiter) -> bool {
        matches!(self.peek_at(0), Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
    }

    fn eat_punct(&mut self, ch: char) -> Option<()> {
        self.is_punct(ch).then(|| self.at += 1)
    }

    fn eat_punct2(&mut self, a: char, b: char) -> Option<()> {
        self.is_punct2(a, b).then(|| self.at += 2)
    }

    fn eat_ident(&mut self, word: &str) -> Option<()> {
        self.is_ident(word).then(|| self.at += 1)
    }

    /// An identifier that is not a keyword.
    fn name(&mut self) -> Option<String> {
        let Some(TokenTree::Ident(ident)) = self.peek_at(0) else { return None };
        let name = ident.to_string();
        if keyword(&name) {
            return None;
        }
        self.at += 1;
        Some(name)
    }

    /// The inside of a group with this delimiter.
    fn group(&mut self, delimiter: Delimiter) -> Option<Vec<TokenTree>> {
        let Some(TokenTree::Group(group)) = self.peek_at(0) else { return None };
        if group.delimiter() != delimiter {
            return None;
        }
        self.at += 1;
        Some(group.stream().into_iter().collect())
    }

    fn lifetime(&mut self) -> Option<String> {
        if !(self.is_punct('\'') && matches!(self.peek_at(1), Some(TokenTree::Ident(_)))) {
            return None;
        }
        let Some(TokenTree::Ident(ident)) = self.peek_at(1) else { return None };
        self.at += 2;
        Some(format!("'{ident}"))
    }

    /// A literal; `true` and `false` too, which syn reads as literals.
    fn literal(&mut self) -> Option<String> {
        let text = match self.peek_at(0)? {
            TokenTree::Literal(literal) => literal.to_string(),
            TokenTree::Ident(word) if word == "true" || word == "false" => word.to_string(),
            _ => return None,
        };
        self.at += 1;
        Some(text)
    }

    /// Items separated by commas, an optional one after the last, up to the end.
    fn comma_separated<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let mut items = Vec::new();
        while !self.is_empty() {
            items.push(item(self)?);
            if self.is_empty() {
                break;
            }
            self.eat_punct(',')?;
        }
        Some(items)
    }
}

/// `items` read whole by `read`.
fn within<T>(items: &[TokenTree], read: impl FnOnce(&mut Cursor<'_>) -> Option<T>) -> Option<T> {
    let mut cursor = Cursor::new(items);
    let value = read(&mut cursor)?;
    cursor.is_empty().then_some(value)
}

/// An item with its attributes: a function, a struct with named fields, an enum, a type
/// alias or an `impl` of functions; the whole of `cursor`.
pub(super) fn item(cursor: &mut Cursor<'_>) -> Option<Item> {
    let attrs = attributes(cursor)?;
    // The keyword after the visibility says what the item is.
    let keyword = match cursor.peek_at(usize::from(cursor.is_ident("pub"))) {
        Some(TokenTree::Ident(word)) => word.to_string(),
        _ => return None,
    };
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
fn attributes(cursor: &mut Cursor<'_>) -> Option<Vec<Attr>> {
    let mut attrs = Vec::new();
    while cursor.is_punct('#') {
        cursor.at += 1;
        let inside = cursor.group(Delimiter::Bracket)?;
        match &inside[..] {
            [TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(text)] if doc == "doc" && eq.as_char() == '=' => {
                let literal = text.to_string();
                let text = super::super::model_text::doc_text(&literal)?;
                attrs.push(Attr::Doc(text.trim_end_matches(' ').to_string()));
            }
            [TokenTree::Ident(_), rest @ ..] if meta_tokens(rest) => attrs.push(Attr::Meta(inside)),
            _ => return None,
        }
    }
    Some(attrs)
}

/// Whether an attribute's tokens after its name are printed here: nothing, `= literal`,
/// `= path`, or one `(…)` of names, paths, literals, `,` and `=`, and groups of them.
fn meta_tokens(rest: &[TokenTree]) -> bool {
    fn plain(trees: proc_macro2::TokenStream) -> bool {
        trees.into_iter().all(|t| match t {
            TokenTree::Ident(_) | TokenTree::Literal(_) => true,
            TokenTree::Punct(p) => (matches!(p.as_char(), ',' | '=') && p.spacing() == Spacing::Alone) || p.as_char() == ':',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Parenthesis && plain(g.stream()),
        })
    }
    match rest {
        [] => true,
        [TokenTree::Group(g)] => g.delimiter() == Delimiter::Parenthesis && plain(g.stream()),
        [TokenTree::Punct(eq), TokenTree::Literal(_)] => eq.as_char() == '=',
        // `= a::b`: a path.
        [TokenTree::Punct(eq), value @ ..] => {
            eq.as_char() == '='
                && !value.is_empty()
                && value.iter().enumerate().all(|(i, t)| match t {
                    TokenTree::Ident(_) => true,
                    TokenTree::Punct(p) => p.as_char() == ':' && (i % 3 == 1 || i % 3 == 2),
                    _ => false,
                })
                && matches!(value.last(), Some(TokenTree::Ident(_)))
        }
        _ => false,
    }
}

/// `[pub] struct Name[<T>] { fields }` or `[pub] enum Name { variants }`.
fn data(cursor: &mut Cursor<'_>) -> Option<ItemKind> {
    let public = cursor.eat_ident("pub").is_some();
    if cursor.eat_ident("struct").is_some() {
        let name = cursor.name()?;
        let generics = generics(cursor)?;
        let fields = within(&cursor.group(Delimiter::Brace)?, |c| c.comma_separated(field))?;
        return cursor.is_empty().then_some(ItemKind::Struct { public, name, generics, fields });
    }
    cursor.eat_ident("enum")?;
    let name = cursor.name()?;
    let variants = within(&cursor.group(Delimiter::Brace)?, |c| {
        c.comma_separated(|c| {
            let attrs = attributes(c)?;
            let name = c.name()?;
            let fields = if let Some(inside) = c.group(Delimiter::Parenthesis) {
                VariantFields::Tuple(Cursor::new(&inside).comma_separated(ty)?)
            } else if let Some(inside) = c.group(Delimiter::Brace) {
                VariantFields::Named(Cursor::new(&inside).comma_separated(field)?)
            } else {
                VariantFields::Unit
            };
            Some(Variant { attrs, name, fields })
        })
    })?;
    cursor.is_empty().then_some(ItemKind::Enum { public, name, variants })
}

fn field(cursor: &mut Cursor<'_>) -> Option<Field> {
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
fn implementation(cursor: &mut Cursor<'_>) -> Option<ItemKind> {
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
    let inside = cursor.group(Delimiter::Brace)?;
    let mut inner = Cursor::new(&inside);
    let mut members = Vec::new();
    while !inner.is_empty() {
        let attrs = attributes(&mut inner)?;
        members.push(Item { attrs, kind: ItemKind::Fn(function(&mut inner)?) });
    }
    cursor.is_empty().then_some(ItemKind::Impl { generics, trait_, self_ty, members })
}

/// `<A: B + C, D>`, or nothing.
fn generics(cursor: &mut Cursor<'_>) -> Option<Vec<(String, Vec<Path>)>> {
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
fn function(cursor: &mut Cursor<'_>) -> Option<Function> {
    let public = cursor.eat_ident("pub").is_some();
    if cursor.is_group(Delimiter::Parenthesis) {
        return None;
    }
    let asyncness = cursor.eat_ident("async").is_some();
    cursor.eat_ident("fn")?;
    let name = cursor.name()?;
    let generics = generics(cursor)?;
    let inputs = within(&cursor.group(Delimiter::Parenthesis)?, |c| c.comma_separated(input))?;
    let output = match cursor.eat_punct2('-', '>') {
        Some(()) => Some(ty(cursor)?),
        None => None,
    };
    let body = match cursor.eat_punct(';') {
        Some(()) => None,
        None => Some(block(&cursor.group(Delimiter::Brace)?)?),
    };
    Some(Function { public, asyncness, name, generics, inputs, output, body })
}

fn input(cursor: &mut Cursor<'_>) -> Option<Input> {
    if cursor.is_punct('&') && matches!(cursor.peek_at(1), Some(TokenTree::Ident(i)) if i == "self") {
        cursor.at += 2;
        return Some(Input::SelfRef);
    }
    if matches!(cursor.peek_at(0), Some(TokenTree::Ident(i)) if i == "self") {
        cursor.at += 1;
        return Some(Input::SelfValue);
    }
    let pat = pattern(cursor)?;
    cursor.eat_punct(':')?;
    Some(Input::Typed(pat, ty(cursor)?))
}

pub(super) fn ty(cursor: &mut Cursor<'_>) -> Option<Ty> {
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
    if let Some(inside) = cursor.group(Delimiter::Parenthesis) {
        let mut inner = Cursor::new(&inside);
        let elems = inner.comma_separated(ty)?;
        // `(T)` is a parenthesized type, `(T,)` a tuple: neither is written.
        return (elems.len() != 1).then_some(Ty::Tuple(elems));
    }
    if let Some(inside) = cursor.group(Delimiter::Bracket) {
        return Some(Ty::Slice(Box::new(within(&inside, ty)?)));
    }
    Some(Ty::Path(path(cursor, false)?))
}

fn bound(cursor: &mut Cursor<'_>) -> Option<Bound> {
    match cursor.lifetime() {
        Some(lifetime) => Some(Bound::Lifetime(lifetime)),
        None => Some(Bound::Trait(path(cursor, false)?)),
    }
}

/// A path; in an expression (`expr`), generic arguments come after `::`.
fn path(cursor: &mut Cursor<'_>, expr: bool) -> Option<Path> {
    let leading_colon = cursor.eat_punct2(':', ':').is_some();
    let mut segments = Vec::new();
    loop {
        let ident = match cursor.peek_at(0) {
            Some(TokenTree::Ident(i)) if i == "self" || i == "super" || i == "crate" || i == "Self" => {
                cursor.at += 1;
                i.to_string()
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
        segments.push(Segment { ident, args });
        if cursor.is_punct2(':', ':') && !cursor.punct_at(2, '<') {
            cursor.at += 2;
        } else {
            return Some(Path { leading_colon, segments });
        }
    }
}

/// The arguments after `<`, and the `>`.
fn generic_args(cursor: &mut Cursor<'_>) -> Option<Vec<GenericArg>> {
    let mut args = Vec::new();
    loop {
        if cursor.eat_punct('>').is_some() {
            return (!args.is_empty()).then_some(args);
        }
        if let Some(lifetime) = cursor.lifetime() {
            args.push(GenericArg::Lifetime(lifetime));
        } else if matches!(cursor.peek_at(0), Some(TokenTree::Ident(_))) && cursor.punct_at(1, '=') && !cursor.punct_at(2, '=') {
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
pub(super) fn block(inside: &[TokenTree]) -> Option<Vec<Stmt>> {
    let mut cursor = Cursor::new(inside);
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
            if matches!(cursor.peek_at(0), Some(TokenTree::Ident(_))) && cursor.punct_at(1, '!') {
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
fn expr(cursor: &mut Cursor<'_>, structs: bool) -> Option<Expr> {
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
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), ',' | ';') => Some(e),
        Some(TokenTree::Punct(p)) if p.as_char() == '=' && cursor.punct_at(1, '>') => Some(e),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace && !structs => Some(e),
        _ => None,
    }
}

fn unary(cursor: &mut Cursor<'_>, structs: bool) -> Option<Expr> {
    if cursor.is_punct('&') {
        if let Some(TokenTree::Punct(p)) = cursor.peek_at(0) {
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

fn postfix(cursor: &mut Cursor<'_>, structs: bool) -> Option<Expr> {
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
                Some(inside) => e = Expr::Method(Box::new(e), name, turbofish, arguments(&inside)?),
                None if turbofish.is_empty() => e = Expr::Field(Box::new(e), name),
                None => return None,
            }
        } else if let Some(inside) = cursor.group(Delimiter::Parenthesis) {
            e = Expr::Call(Box::new(e), arguments(&inside)?);
        } else {
            return Some(e);
        }
    }
}

fn arguments(inside: &[TokenTree]) -> Option<Vec<Expr>> {
    Cursor::new(inside).comma_separated(|c| expr(c, true))
}

fn primary(cursor: &mut Cursor<'_>, structs: bool) -> Option<Expr> {
    if let Some(literal) = cursor.literal() {
        return Some(Expr::Lit(literal));
    }
    if let Some(inside) = cursor.group(Delimiter::Parenthesis) {
        let mut inner = Cursor::new(&inside);
        let elems = inner.comma_separated(|c| expr(c, true))?;
        let tuple = elems.len() != 1 || inside.last().is_some_and(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','));
        return match tuple {
            true => Some(Expr::Tuple(elems)),
            false => elems.into_iter().next().map(|e| Expr::Paren(Box::new(e))),
        };
    }
    if let Some(inside) = cursor.group(Delimiter::Bracket) {
        return Some(Expr::Array(arguments(&inside)?));
    }
    if let Some(inside) = cursor.group(Delimiter::Brace) {
        return Some(Expr::Block(block(&inside)?));
    }
    if cursor.eat_ident("match").is_some() {
        let scrutinee = expr(cursor, false)?;
        let arms = within(&cursor.group(Delimiter::Brace)?, |c| {
            let mut arms = Vec::new();
            while !c.is_empty() {
                let pat = pattern(c)?;
                c.eat_punct2('=', '>')?;
                // A block ends the arm, comma or not.
                let body = match c.group(Delimiter::Brace) {
                    Some(inside) => Expr::Block(block(&inside)?),
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
        return Some(Expr::Async(capture, block(&cursor.group(Delimiter::Brace)?)?));
    }
    let p = path(cursor, true)?;
    if cursor.is_punct('!') && !cursor.punct_at(1, '=') {
        let name = p.segments.last()?.ident.as_str();
        if !FORMAT_MACROS.contains(&name) {
            return None;
        }
        let vec = name == "vec";
        cursor.at += 1;
        let args = arguments(&cursor.group(if vec { Delimiter::Bracket } else { Delimiter::Parenthesis })?)?;
        // `vec![]` and a `vec!` of simple literals are laid out otherwise (prettyplease's
        // `simple_array`).
        let laid_out_otherwise = args.is_empty() || (vec && args.iter().all(|a| matches!(a, Expr::Lit(l) if simple_literal(l))));
        return (!laid_out_otherwise).then_some(Expr::Macro(p, args));
    }
    if structs && cursor.is_group(Delimiter::Brace) {
        let inside = cursor.group(Delimiter::Brace)?;
        let fields = Cursor::new(&inside).comma_separated(|c| {
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

fn pattern(cursor: &mut Cursor<'_>) -> Option<Pat> {
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
    if let Some(inside) = cursor.group(Delimiter::Parenthesis) {
        return Some(Pat::Tuple(Cursor::new(&inside).comma_separated(pattern)?));
    }
    if cursor.eat_ident("mut").is_some() {
        return Some(Pat::Ident(true, cursor.name()?));
    }
    let p = path(cursor, true)?;
    if let Some(inside) = cursor.group(Delimiter::Parenthesis) {
        return Some(Pat::TupleStruct(p, Cursor::new(&inside).comma_separated(pattern)?));
    }
    if let Some(inside) = cursor.group(Delimiter::Brace) {
        let mut inner = Cursor::new(&inside);
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
    match (p.leading_colon, p.segments.as_slice()) {
        (false, [one]) if one.args.is_empty() && cursor.eat_punct('@').is_some() => Some(Pat::Bind(one.ident.clone(), Box::new(pattern(cursor)?))),
        (false, [one]) if one.args.is_empty() => Some(Pat::Ident(false, one.ident.clone())),
        _ => Some(Pat::Path(p)),
    }
}
