//! An item's tokens taken over for reading: each group owns its tokens, and every word,
//! literal and punctuation mark is a range of one text.
//!
//! Reading proc-macro2's tokens in place cost a copy of every token inside a group (a group
//! shares its stream, so iterating it clones it) and a string per name read. Taken over
//! once, the streams are unshared (moved, not copied) and the names are slices of the text.
//! [`Cursor`] is a position in the trees, which [`super::syntax`] reads from.

use std::fmt::Write;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, TokenStream, TokenTree};

/// A token of [`Tokens`]. Words, literals and marks keep their proc-macro2 token, to be given
/// back when the item goes to prettyplease.
pub(in crate::render) enum Tree {
    Ident(Text, Ident),
    Literal(Text, Literal),
    /// The mark and where it is in the text (one byte).
    Punct(Punct, usize),
    Group(Delimiter, Vec<Tree>),
}

/// A range of [`Tokens::text`].
#[derive(Clone, Copy)]
pub(in crate::render) struct Text {
    start: usize,
    end: usize,
}

/// An item's tokens: the trees, and the text their words, literals and marks are ranges of.
pub(in crate::render) struct Tokens {
    pub(in crate::render) trees: Vec<Tree>,
    pub(in crate::render) text: String,
}

std::thread_local! {
    /// The text of the last [`Tokens`] dropped on this thread, for the next one to write into:
    /// how long an item's text will be is not known until its groups are read, and grown
    /// from nothing each text was reallocated several times.
    static SPARE_TEXT: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

impl Tokens {
    /// Takes `trees` over. The text of a word is proc-macro2's spelling (`r#` for a raw one),
    /// of a literal its source text.
    pub(in crate::render) fn new(trees: Vec<TokenTree>) -> Self {
        let mut text = SPARE_TEXT.take();
        text.clear();
        text.reserve(8 * trees.len());
        let trees = take(trees.into_iter(), &mut text);
        Tokens { trees, text }
    }

    /// The tokens again, for prettyplease when the item is not of a shape read here.
    pub(in crate::render) fn into_token_trees(mut self) -> Vec<TokenTree> {
        give(std::mem::take(&mut self.trees))
    }
}

impl Drop for Tokens {
    fn drop(&mut self) {
        SPARE_TEXT.set(std::mem::take(&mut self.text));
    }
}

impl Tree {
    /// The text of this token when it is a word (keyword or name).
    pub(in crate::render) fn word<'t>(&self, text: &'t str) -> Option<&'t str> {
        match self {
            Tree::Ident(range, _) => Some(slice(text, *range)),
            _ => None,
        }
    }

    /// Whether this token is the mark `ch`.
    pub(in crate::render) fn is_punct(&self, ch: char) -> bool {
        matches!(self, Tree::Punct(p, _) if p.as_char() == ch)
    }
}

/// The literal of an attribute `doc = "…"`, as written, from the tokens inside its brackets.
pub(in crate::render) fn doc_attribute<'t>(inside: &[Tree], text: &'t str) -> Option<&'t str> {
    match inside {
        [doc, eq, Tree::Literal(literal, _)] if doc.word(text) == Some("doc") && eq.is_punct('=') => Some(slice(text, *literal)),
        _ => None,
    }
}

/// The text of `range` in `text`.
pub(in crate::render) fn slice(text: &str, range: Text) -> &str {
    &text[range.start..range.end]
}

/// The text of a word, literal or mark; nothing for a group.
pub(in crate::render) fn leaf_text<'t>(tree: &Tree, text: &'t str) -> &'t str {
    match tree {
        Tree::Ident(range, _) | Tree::Literal(range, _) => slice(text, *range),
        Tree::Punct(punct, at) => &text[*at..*at + punct.as_char().len_utf8()],
        Tree::Group(..) => "",
    }
}

/// Moves `trees` into [`Tree`]s, writing their text to `text`.
fn take(trees: impl Iterator<Item = TokenTree>, text: &mut String) -> Vec<Tree> {
    let mut out = Vec::with_capacity(trees.size_hint().0);
    for tree in trees {
        let start = text.len();
        out.push(match tree {
            TokenTree::Ident(ident) => {
                let _ = write!(text, "{ident}");
                Tree::Ident(Text { start, end: text.len() }, ident)
            }
            TokenTree::Literal(literal) => {
                let _ = write!(text, "{literal}");
                Tree::Literal(Text { start, end: text.len() }, literal)
            }
            TokenTree::Punct(punct) => {
                text.push(punct.as_char());
                Tree::Punct(punct, start)
            }
            TokenTree::Group(group) => {
                let delimiter = group.delimiter();
                let stream = group.stream();
                // The group's stream is now the only handle on its tokens: iterating moves them.
                drop(group);
                Tree::Group(delimiter, take(stream.into_iter(), text))
            }
        });
    }
    out
}

/// proc-macro2's tokens of `trees` (the inverse of [`take`]).
fn give(trees: Vec<Tree>) -> Vec<TokenTree> {
    trees
        .into_iter()
        .map(|tree| match tree {
            Tree::Ident(_, ident) => TokenTree::Ident(ident),
            Tree::Literal(_, literal) => TokenTree::Literal(literal),
            Tree::Punct(punct, _) => TokenTree::Punct(punct),
            Tree::Group(delimiter, inner) => TokenTree::Group(Group::new(delimiter, TokenStream::from_iter(give(inner)))),
        })
        .collect()
}

/// A position in a token list.
#[derive(Clone, Copy)]
pub(super) struct Cursor<'t> {
    pub(super) trees: &'t [Tree],
    /// The text of the tokens' words, literals and marks.
    pub(super) text: &'t str,
    pub(super) at: usize,
}

impl<'t> Cursor<'t> {
    pub(super) fn new(trees: &'t [Tree], text: &'t str) -> Self {
        Cursor { trees, text, at: 0 }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.at == self.trees.len()
    }

    pub(super) fn peek_at(&self, n: usize) -> Option<&'t Tree> {
        self.trees.get(self.at + n)
    }

    /// The word `n` tokens ahead, keyword or name.
    pub(super) fn word_at(&self, n: usize) -> Option<&'t str> {
        self.peek_at(n)?.word(self.text)
    }

    pub(super) fn punct_at(&self, n: usize, ch: char) -> bool {
        self.peek_at(n).is_some_and(|t| t.is_punct(ch))
    }

    pub(super) fn is_punct(&self, ch: char) -> bool {
        self.punct_at(0, ch)
    }

    /// `a` joined to `b`: `::`, `=>`, `->`.
    pub(super) fn is_punct2(&self, a: char, b: char) -> bool {
        matches!(self.peek_at(0), Some(Tree::Punct(p, _)) if p.as_char() == a && p.spacing() == Spacing::Joint)
            && self.punct_at(1, b)
    }

    pub(super) fn is_ident(&self, word: &str) -> bool {
        self.word_at(0) == Some(word)
    }

    pub(super) fn is_group(&self, delimiter: Delimiter) -> bool {
        matches!(self.peek_at(0), Some(Tree::Group(d, _)) if *d == delimiter)
    }

    pub(super) fn eat_punct(&mut self, ch: char) -> Option<()> {
        self.is_punct(ch).then(|| self.at += 1)
    }

    pub(super) fn eat_punct2(&mut self, a: char, b: char) -> Option<()> {
        self.is_punct2(a, b).then(|| self.at += 2)
    }

    pub(super) fn eat_ident(&mut self, word: &str) -> Option<()> {
        self.is_ident(word).then(|| self.at += 1)
    }

    /// An identifier that is not a keyword.
    pub(super) fn name(&mut self) -> Option<&'t str> {
        let name = self.word_at(0)?;
        if keyword(name) {
            return None;
        }
        self.at += 1;
        Some(name)
    }

    /// The inside of a group with this delimiter.
    pub(super) fn group(&mut self, delimiter: Delimiter) -> Option<Cursor<'t>> {
        let Some(Tree::Group(d, inside)) = self.peek_at(0) else { return None };
        if *d != delimiter {
            return None;
        }
        self.at += 1;
        Some(Cursor::new(inside, self.text))
    }

    /// Whether the last token is this mark.
    pub(super) fn ends_with_punct(&self, ch: char) -> bool {
        matches!(self.trees.last(), Some(Tree::Punct(p, _)) if p.as_char() == ch)
    }

    /// `'name`: a `'` joined to the word after it, whose text follows the mark's.
    pub(super) fn lifetime(&mut self) -> Option<&'t str> {
        let Some(Tree::Punct(quote, at)) = self.peek_at(0) else { return None };
        let Some(Tree::Ident(word, _)) = self.peek_at(1) else { return None };
        if quote.as_char() != '\'' {
            return None;
        }
        self.at += 2;
        Some(&self.text[*at..*at + 1 + slice(self.text, *word).len()])
    }

    /// A literal; `true` and `false` too, which syn reads as literals.
    pub(super) fn literal(&mut self) -> Option<&'t str> {
        let text = match self.peek_at(0)? {
            Tree::Literal(range, _) => slice(self.text, *range),
            Tree::Ident(range, _) if matches!(slice(self.text, *range), "true" | "false") => slice(self.text, *range),
            _ => return None,
        };
        self.at += 1;
        Some(text)
    }

    /// Items separated by commas, an optional one after the last, up to the end.
    pub(super) fn comma_separated<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
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

/// Whether `word` is a keyword (and so not a name), of those codegen's syntax has.
fn keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async" | "await" | "break" | "const" | "continue" | "dyn" | "else" | "enum" | "extern" | "fn" | "for" | "if" | "impl" | "in"
            | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref" | "return" | "static" | "struct" | "trait" | "type" | "unsafe"
            | "use" | "where" | "while"
    )
}
