//! Items fed to the printer as prettyplease feeds them (`item.rs`, `data.rs`, `attr.rs`,
//! `generics.rs` of prettyplease 0.2.37): functions, structs, enums, type aliases, `impl`s and
//! their attributes. Their types, statements and patterns are [`super::print`]'s.

use proc_macro2::Delimiter;

use super::pp::{Printer, INDENT};
use super::syntax::{Attr, Field, Function, Input, Item, ItemKind, Path, Variant, VariantFields};
use super::tree::{leaf_text, Tree};

impl<'a> Printer<'a> {
    /// An item or member, and the break after it.
    pub(super) fn item(&mut self, item: &'a Item<'a>) {
        self.outer_attrs(&item.attrs);
        match &item.kind {
            ItemKind::Fn(f) => self.function(f),
            ItemKind::Struct { public, name, generics, fields } => {
                self.item_head(*public, "struct ", name);
                self.generics(generics);
                self.braced_members(fields, Self::field);
            }
            ItemKind::Enum { public, name, variants } => {
                self.item_head(*public, "enum ", name);
                self.braced_members(variants, Self::variant);
            }
            ItemKind::Type { public, name, generics, ty } => {
                self.item_head(*public, "type ", name);
                self.generics(generics);
                self.nbsp();
                self.word("= ");
                self.neverbreak();
                self.ibox(-INDENT);
                self.ty(ty);
                self.end();
                self.word(";");
                self.end();
                self.hardbreak();
            }
            ItemKind::Impl { generics, trait_, self_ty, members } => {
                self.cbox(INDENT);
                self.ibox(-INDENT);
                self.cbox(INDENT);
                self.word("impl");
                self.generics(generics);
                self.end();
                self.nbsp();
                if let Some(path) = trait_ {
                    self.path(path, false);
                    self.space();
                    self.word("for ");
                }
                self.ty(self_ty);
                self.end();
                self.nbsp();
                self.word("{");
                self.hardbreak_if_nonempty();
                for member in members {
                    self.item(member);
                }
                self.offset(-INDENT);
                self.end();
                self.word("}");
                self.hardbreak();
            }
        }
    }

    /// `[pub ]keyword name`, in the item's box, begun here.
    fn item_head(&mut self, public: bool, keyword: &'static str, name: &'a str) {
        self.cbox(INDENT);
        if public {
            self.word("pub ");
        }
        self.word(keyword);
        self.word(name);
    }

    /// ` { member, … }` one member a line, and the item's box ended.
    fn braced_members<T>(&mut self, members: &'a [T], each: fn(&mut Self, &'a T)) {
        self.nbsp();
        self.word("{");
        self.hardbreak_if_nonempty();
        for member in members {
            each(self, member);
            self.word(",");
            self.hardbreak();
        }
        self.offset(-INDENT);
        self.end();
        self.word("}");
        self.hardbreak();
    }

    fn variant(&mut self, variant: &'a Variant<'a>) {
        self.outer_attrs(&variant.attrs);
        self.word(variant.name);
        self.variant_fields(&variant.fields);
    }

    fn variant_fields(&mut self, fields: &'a VariantFields<'a>) {
        match fields {
            VariantFields::Unit => {}
            VariantFields::Tuple(types) => {
                self.cbox(INDENT);
                self.word("(");
                self.zerobreak();
                for (i, ty) in types.iter().enumerate() {
                    self.ty(ty);
                    self.trailing_comma(i + 1 == types.len());
                }
                self.offset(-INDENT);
                self.word(")");
                self.end();
            }
            VariantFields::Named(fields) => {
                self.nbsp();
                self.word("{");
                self.cbox(INDENT);
                self.space();
                for (i, field) in fields.iter().enumerate() {
                    self.field(field);
                    self.trailing_comma_or_space(i + 1 == fields.len());
                }
                self.offset(-INDENT);
                self.end();
                self.word("}");
            }
        }
    }

    fn field(&mut self, field: &'a Field<'a>) {
        self.outer_attrs(&field.attrs);
        if field.public {
            self.word("pub ");
        }
        self.word(field.name);
        self.word(": ");
        self.ty(&field.ty);
    }

    fn outer_attrs(&mut self, attrs: &'a [Attr<'a>]) {
        for attr in attrs {
            match attr {
                Attr::Doc(text) => {
                    self.word("///");
                    self.word(*text);
                    self.hardbreak();
                }
                Attr::Meta(tokens, text) => {
                    self.word("#");
                    self.word("[");
                    if let [name @ Tree::Ident(..), rest @ ..] = tokens {
                        self.word(leaf_text(name, text));
                        match rest {
                            [group @ Tree::Group(..)] => self.attr_tokens(group, text),
                            [_, value @ ..] if !value.is_empty() => {
                                self.word(" = ");
                                for token in value {
                                    self.word(leaf_text(token, text));
                                }
                            }
                            _ => {}
                        }
                    }
                    self.word("]");
                    self.space();
                }
            }
        }
    }

    /// The tokens of an attribute's `(…)` (`group`), spaced as prettyplease's `attr_tokens`
    /// spaces them.
    fn attr_tokens(&mut self, group: &'a Tree, text: &'a str) {
        #[derive(PartialEq)]
        enum State {
            Word,
            Punct,
            TrailingComma,
        }
        let mut stack = vec![(std::slice::from_ref(group), 0, Delimiter::None)];
        let mut space: fn(&mut Self) = Self::nbsp;
        let mut state = State::Word;
        while let Some((tokens, at, delimiter)) = stack.last_mut() {
            let next = tokens.get(*at);
            *at += 1;
            let last = *at >= tokens.len();
            let delimiter = *delimiter;
            match next {
                Some(word @ (Tree::Ident(..) | Tree::Literal(..))) => {
                    if state == State::Word {
                        space(self);
                    }
                    self.word(leaf_text(word, text));
                    state = State::Word;
                }
                Some(mark @ Tree::Punct(punct, _)) => {
                    let ch = punct.as_char();
                    if state == State::Word && ch == '=' {
                        self.nbsp();
                    }
                    if ch == ',' && last {
                        self.trailing_comma(true);
                        state = State::TrailingComma;
                    } else {
                        self.word(leaf_text(mark, text));
                        if ch == '=' {
                            self.nbsp();
                        } else if ch == ',' {
                            space(self);
                        }
                        state = State::Punct;
                    }
                }
                Some(Tree::Group(group_delimiter, inside)) => {
                    if *group_delimiter == Delimiter::Parenthesis {
                        self.word("(");
                        self.cbox(INDENT);
                        self.zerobreak();
                        state = State::Punct;
                    }
                    stack.push((inside, 0, *group_delimiter));
                    space = Self::space;
                }
                None => {
                    if delimiter == Delimiter::Parenthesis {
                        if state != State::TrailingComma {
                            self.zerobreak();
                        }
                        self.offset(-INDENT);
                        self.end();
                        self.word(")");
                        state = State::Punct;
                    }
                    // prettyplease goes back to `nbsp` at the top level, where the one
                    // group of an attribute's arguments is all there is: nothing follows.
                    stack.pop();
                }
            }
        }
    }

    /// A function, and the break after it.
    fn function(&mut self, f: &'a Function<'a>) {
        self.cbox(INDENT);
        if f.public {
            self.word("pub ");
        }
        if f.asyncness {
            self.word("async ");
        }
        self.word("fn ");
        self.word(f.name);
        self.generics(&f.generics);
        self.word("(");
        self.neverbreak();
        self.cbox(0);
        self.zerobreak();
        for (i, input) in f.inputs.iter().enumerate() {
            match input {
                Input::SelfRef => {
                    self.word("&");
                    self.word("self");
                }
                Input::SelfValue => self.word("self"),
                Input::Typed(pat, ty) => {
                    self.pat(pat);
                    self.word(": ");
                    self.ty(ty);
                }
            }
            self.trailing_comma(i + 1 == f.inputs.len());
        }
        self.offset(-INDENT);
        self.end();
        self.word(")");
        self.cbox(-INDENT);
        if let Some(output) = &f.output {
            self.word(" -> ");
            self.ty(output);
        }
        self.end();
        match &f.body {
            Some(stmts) => {
                self.nbsp();
                self.word("{");
                self.hardbreak_if_nonempty();
                self.stmts(stmts);
                self.offset(-INDENT);
                self.end();
                self.word("}");
            }
            None => {
                self.word(";");
                self.end();
            }
        }
        self.hardbreak();
    }

    fn generics(&mut self, params: &'a [(&'a str, Vec<Path<'a>>)]) {
        if params.is_empty() {
            return;
        }
        self.word("<");
        self.cbox(0);
        self.zerobreak();
        for (i, (name, bounds)) in params.iter().enumerate() {
            self.word(*name);
            self.ibox(INDENT);
            for (j, bound) in bounds.iter().enumerate() {
                if j == 0 {
                    self.word(": ");
                } else {
                    self.space();
                    self.word("+ ");
                }
                self.path(bound, false);
            }
            self.end();
            self.trailing_comma(i + 1 == params.len());
        }
        self.offset(-INDENT);
        self.end();
        self.word(">");
    }
}
