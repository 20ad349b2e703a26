//! The line-breaking printer prettyplease lays code out with (Oppen's algorithm, as
//! `rustc_ast_pretty` has it), adapted from prettyplease 0.2.37's `algorithm.rs`, `ring.rs` and
//! `convenience.rs` (David Tolnay, MIT OR Apache-2.0). Fed the same boxes, breaks and words
//! prettyplease feeds it, it breaks the same lines: [`super::print`] feeds it from our syntax.

use std::borrow::Cow;
use std::collections::VecDeque;

/// prettyplease's margin, indentation step and least line width.
const MARGIN: isize = 89;
pub(super) const INDENT: isize = 4;
const MIN_SPACE: isize = 60;
const SIZE_INFINITY: isize = 0xffff;

#[derive(Clone, Copy, PartialEq)]
enum Breaks {
    Consistent,
    Inconsistent,
}

#[derive(Clone, Copy, Default)]
pub(super) struct BreakToken {
    pub offset: isize,
    pub blank_space: usize,
    pub pre_break: Option<char>,
    pub post_break: &'static str,
    pub no_break: Option<char>,
    pub if_nonempty: bool,
    pub never_break: bool,
}

#[derive(Clone, Copy)]
struct BeginToken {
    offset: isize,
    breaks: Breaks,
}

enum Token<'a> {
    String(Cow<'a, str>),
    Break(BreakToken),
    Begin(BeginToken),
    End,
}

#[derive(Copy, Clone)]
enum PrintFrame {
    Fits,
    Broken(usize, Breaks),
}

struct BufEntry<'a> {
    token: Token<'a>,
    size: isize,
}

/// A queue of tokens numbered from the first ever pushed.
struct Ring<'a> {
    data: VecDeque<BufEntry<'a>>,
    offset: usize,
}

impl<'a> Ring<'a> {
    fn push(&mut self, value: BufEntry<'a>) -> usize {
        let index = self.offset + self.data.len();
        self.data.push_back(value);
        index
    }

    fn get(&self, index: usize) -> &BufEntry<'a> {
        &self.data[index - self.offset]
    }

    fn at(&mut self, index: usize) -> &mut BufEntry<'a> {
        &mut self.data[index - self.offset]
    }

    fn start(&self) -> usize {
        self.offset
    }

    fn pop_first(&mut self) -> Option<BufEntry<'a>> {
        let first = self.data.pop_front()?;
        self.offset += 1;
        Some(first)
    }
}

pub(super) struct Printer<'a> {
    out: String,
    space: isize,
    buf: Ring<'a>,
    left_total: isize,
    right_total: isize,
    scan_stack: VecDeque<usize>,
    print_stack: Vec<PrintFrame>,
    indent: usize,
    pending_indentation: usize,
}

impl<'a> Printer<'a> {
    /// A printer whose first line, and the boxes begun on it, start at column `indent` (a
    /// member of an `impl` or `trait` inside a module is at 8), for about `capacity` bytes.
    pub(super) fn new(indent: usize, capacity: usize) -> Self {
        Printer {
            out: String::with_capacity(capacity),
            space: MARGIN - indent as isize,
            // Sized for an item's usual depth and line of pending tokens: grown from nothing,
            // each queue was reallocated five or six times per item.
            buf: Ring { data: VecDeque::with_capacity(64), offset: 0 },
            left_total: 0,
            right_total: 0,
            scan_stack: VecDeque::with_capacity(64),
            print_stack: Vec::with_capacity(16),
            indent,
            pending_indentation: indent,
        }
    }

    pub(super) fn eof(mut self) -> String {
        if !self.scan_stack.is_empty() {
            self.check_stack(0);
            self.advance_left();
        }
        self.out
    }

    fn scan_begin(&mut self, token: BeginToken) {
        if self.scan_stack.is_empty() {
            self.left_total = 1;
            self.right_total = 1;
            self.buf.data.clear();
        }
        let right = self.buf.push(BufEntry { token: Token::Begin(token), size: -self.right_total });
        self.scan_stack.push_back(right);
    }

    fn scan_end(&mut self) {
        if self.scan_stack.is_empty() {
            self.print_end();
            return;
        }
        if let Some(BufEntry { token: Token::Break(break_token), .. }) = self.buf.data.back() {
            let break_token = *break_token;
            let len = self.buf.data.len();
            if len >= 2 && matches!(self.buf.data[len - 2].token, Token::Begin(_)) {
                self.buf.data.pop_back();
                self.buf.data.pop_back();
                self.scan_stack.pop_back();
                self.scan_stack.pop_back();
                self.right_total -= break_token.blank_space as isize;
                return;
            }
            if break_token.if_nonempty {
                self.buf.data.pop_back();
                self.scan_stack.pop_back();
                self.right_total -= break_token.blank_space as isize;
            }
        }
        let right = self.buf.push(BufEntry { token: Token::End, size: -1 });
        self.scan_stack.push_back(right);
    }

    pub(super) fn scan_break(&mut self, token: BreakToken) {
        if self.scan_stack.is_empty() {
            self.left_total = 1;
            self.right_total = 1;
            self.buf.data.clear();
        } else {
            self.check_stack(0);
        }
        let right = self.buf.push(BufEntry { token: Token::Break(token), size: -self.right_total });
        self.scan_stack.push_back(right);
        self.right_total += token.blank_space as isize;
    }

    fn scan_string(&mut self, string: Cow<'a, str>) {
        if self.scan_stack.is_empty() {
            self.print_string(&string);
        } else {
            let len = string.len() as isize;
            self.buf.push(BufEntry { token: Token::String(string), size: len });
            self.right_total += len;
            self.check_stream();
        }
    }

    pub(super) fn offset(&mut self, offset: isize) {
        if let Some(BufEntry { token: Token::Break(token), .. }) = self.buf.data.back_mut() {
            token.offset += offset;
        }
    }

    pub(super) fn end_with_max_width(&mut self, max: isize) {
        let mut depth = 1;
        for &index in self.scan_stack.iter().rev() {
            let entry = self.buf.get(index);
            match entry.token {
                Token::Begin(_) => {
                    depth -= 1;
                    if depth == 0 {
                        if entry.size < 0 && entry.size + self.right_total > max {
                            self.buf.push(BufEntry { token: Token::String(Cow::Borrowed("")), size: SIZE_INFINITY });
                            self.right_total += SIZE_INFINITY;
                        }
                        break;
                    }
                }
                Token::End => depth += 1,
                Token::Break(_) | Token::String(_) => {}
            }
        }
        self.scan_end();
    }

    pub(super) fn ends_with(&self, ch: char) -> bool {
        for entry in self.buf.data.iter().rev() {
            if let Token::String(token) = &entry.token {
                return token.ends_with(ch);
            }
        }
        self.out.ends_with(ch)
    }

    fn check_stream(&mut self) {
        while self.right_total - self.left_total > self.space {
            if self.scan_stack.front() == Some(&self.buf.start()) {
                self.scan_stack.pop_front();
                if let Some(first) = self.buf.data.front_mut() {
                    first.size = SIZE_INFINITY;
                }
            }
            self.advance_left();
            if self.buf.data.is_empty() {
                break;
            }
        }
    }

    fn advance_left(&mut self) {
        while self.buf.data.front().is_some_and(|first| first.size >= 0) {
            let Some(left) = self.buf.pop_first() else { break };
            match left.token {
                Token::String(string) => {
                    self.left_total += left.size;
                    self.print_string(&string);
                }
                Token::Break(token) => {
                    self.left_total += token.blank_space as isize;
                    self.print_break(token, left.size);
                }
                Token::Begin(token) => self.print_begin(token, left.size),
                Token::End => self.print_end(),
            }
        }
    }

    fn check_stack(&mut self, mut depth: usize) {
        while let Some(&index) = self.scan_stack.back() {
            let right_total = self.right_total;
            let entry = self.buf.at(index);
            match entry.token {
                Token::Begin(_) => {
                    if depth == 0 {
                        break;
                    }
                    self.scan_stack.pop_back();
                    entry.size += right_total;
                    depth -= 1;
                }
                Token::End => {
                    self.scan_stack.pop_back();
                    entry.size = 1;
                    depth += 1;
                }
                Token::Break(_) => {
                    self.scan_stack.pop_back();
                    entry.size += right_total;
                    if depth == 0 {
                        break;
                    }
                }
                Token::String(_) => break,
            }
        }
    }

    fn print_begin(&mut self, token: BeginToken, size: isize) {
        if size > self.space {
            self.print_stack.push(PrintFrame::Broken(self.indent, token.breaks));
            self.indent = (self.indent as isize + token.offset).max(0) as usize;
        } else {
            self.print_stack.push(PrintFrame::Fits);
        }
    }

    fn print_end(&mut self) {
        if let Some(PrintFrame::Broken(indent, _)) = self.print_stack.pop() {
            self.indent = indent;
        }
    }

    fn print_break(&mut self, token: BreakToken, size: isize) {
        let top = self.print_stack.last().copied().unwrap_or(PrintFrame::Broken(0, Breaks::Inconsistent));
        let fits = token.never_break
            || match top {
                PrintFrame::Fits => true,
                PrintFrame::Broken(_, Breaks::Consistent) => false,
                PrintFrame::Broken(_, Breaks::Inconsistent) => size <= self.space,
            };
        if fits {
            self.pending_indentation += token.blank_space;
            self.space -= token.blank_space as isize;
            if let Some(no_break) = token.no_break {
                self.out.push(no_break);
                self.space -= no_break.len_utf8() as isize;
            }
        } else {
            if let Some(pre_break) = token.pre_break {
                self.print_indent();
                self.out.push(pre_break);
            }
            self.out.push('\n');
            let indent = self.indent as isize + token.offset;
            self.pending_indentation = indent.max(0) as usize;
            self.space = (MARGIN - indent).max(MIN_SPACE);
            if !token.post_break.is_empty() {
                self.print_indent();
                self.out.push_str(token.post_break);
                self.space -= token.post_break.len() as isize;
            }
        }
    }

    fn print_string(&mut self, string: &str) {
        self.print_indent();
        self.out.push_str(string);
        self.space -= string.len() as isize;
    }

    fn print_indent(&mut self) {
        const SPACES: &str = "                                                                ";
        let mut n = self.pending_indentation;
        while n > 0 {
            let chunk = n.min(SPACES.len());
            self.out.push_str(&SPACES[..chunk]);
            n -= chunk;
        }
        self.pending_indentation = 0;
    }

    // The commands prettyplease's printing functions are written in.

    pub(super) fn ibox(&mut self, indent: isize) {
        self.scan_begin(BeginToken { offset: indent, breaks: Breaks::Inconsistent });
    }

    pub(super) fn cbox(&mut self, indent: isize) {
        self.scan_begin(BeginToken { offset: indent, breaks: Breaks::Consistent });
    }

    pub(super) fn end(&mut self) {
        self.scan_end();
    }

    pub(super) fn word(&mut self, word: impl Into<Cow<'a, str>>) {
        self.scan_string(word.into());
    }

    fn spaces(&mut self, n: usize) {
        self.scan_break(BreakToken { blank_space: n, ..BreakToken::default() });
    }

    pub(super) fn zerobreak(&mut self) {
        self.spaces(0);
    }

    pub(super) fn space(&mut self) {
        self.spaces(1);
    }

    pub(super) fn nbsp(&mut self) {
        self.word(" ");
    }

    pub(super) fn hardbreak(&mut self) {
        self.spaces(SIZE_INFINITY as usize);
    }

    pub(super) fn space_if_nonempty(&mut self) {
        self.scan_break(BreakToken { blank_space: 1, if_nonempty: true, ..BreakToken::default() });
    }

    pub(super) fn hardbreak_if_nonempty(&mut self) {
        self.scan_break(BreakToken { blank_space: SIZE_INFINITY as usize, if_nonempty: true, ..BreakToken::default() });
    }

    pub(super) fn trailing_comma(&mut self, is_last: bool) {
        if is_last {
            self.scan_break(BreakToken { pre_break: Some(','), ..BreakToken::default() });
        } else {
            self.word(",");
            self.space();
        }
    }

    pub(super) fn trailing_comma_or_space(&mut self, is_last: bool) {
        if is_last {
            self.scan_break(BreakToken { blank_space: 1, pre_break: Some(','), ..BreakToken::default() });
        } else {
            self.word(",");
            self.space();
        }
    }

    pub(super) fn neverbreak(&mut self) {
        self.scan_break(BreakToken { never_break: true, ..BreakToken::default() });
    }
}
