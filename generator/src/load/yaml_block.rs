//! The block-style YAML most specs are written in, read line by line without the full parser.
//!
//! [`super::yaml`]'s parser turns the text into tokens and events a character at a time; a
//! proc macro runs it unoptimized, where that was a quarter of the macro's work on a small
//! spec. This reader takes the common subset in one pass over lines and gives the same
//! `serde_json::Value` the full parser and its builder give: block mappings and sequences
//! (a sequence may sit at its key's indentation, a mapping may start on a `- ` line), plain
//! scalars on one line, quoted scalars on one line, `[…]` of such scalars on one line, `{}`,
//! literal and folded block scalars (`|`, `|-`, `>`, `>-`) without indentation indicators,
//! comments, and one leading `---`.
//!
//! Anything else — anchors, aliases, tags, merge keys, directives, flow mappings with
//! content, scalars continued on another line, more-indented lines in a folded scalar, a
//! tab, a carriage return or a NUL anywhere, a second document, and every syntax error —
//! makes [`parse`] answer `None`, and the full parser reads the text: what is accepted, the
//! errors and their positions stay the full parser's. `tests` compare the two on every YAML
//! file of the repository and on edited excerpts of the four specs (by hand, on a corpus).

use serde_json::{Map, Value};

use super::yaml::{resolve_plain, yaml11_bool, BOOLEAN_KEYS};

/// Deepest nesting read here; deeper documents go to the full parser (which refuses them
/// past its own limit).
const MAX_DEPTH: usize = 100;

/// Longest implicit key the full parser accepts.
const MAX_KEY: usize = 1024;

/// The first document of `text`, when it is written in the subset this module reads.
pub(super) fn parse(text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    // The characters the full parser reads as more than text besides spaces and line feeds
    // (`memchr`: no loop over the bytes here).
    if bytes.contains(&b'\t') || bytes.contains(&b'\r') || bytes.contains(&0) {
        return None;
    }
    let mut reader = Reader { text, bytes, pos: 0, depth: 0, peeked: None, marker: false };
    let mut first = reader.peek()?;
    if reader.marker && reader.rest(first.start) == "---" {
        reader.marker = false;
        reader.take(first);
        first = reader.peek()?;
    }
    if first.indent != 0 || reader.key_end(first.start, first.end).is_none() {
        return None;
    }
    reader.take(first);
    let value = reader.mapping(0, first.start, first.end)?;
    // Any other document marker leaves the text to the full parser.
    (reader.peek().is_none() && !reader.marker).then_some(value)
}

/// A line with content (not blank, not only a comment): where it starts, how many spaces
/// indent it, and where it ends (its line break, or the end of the text).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    indent: usize,
    end: usize,
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Start of the next line not yet read.
    pos: usize,
    /// Collections open.
    depth: usize,
    /// The line [`Reader::peek`] found last (peeked again before it is taken).
    peeked: Option<Line>,
    /// A line starting `---` or `...` was found: a document marker, or text left to the full
    /// parser in any case.
    marker: bool,
}

impl Reader<'_> {
    /// The end of the line starting at `start`: its line break, or the end of the text.
    fn line_end(&self, start: usize) -> usize {
        match self.text[start..].find('\n') {
            Some(n) => start + n,
            None => self.bytes.len(),
        }
    }

    /// The next line with content, skipping blank and comment lines (which are read).
    fn peek(&mut self) -> Option<Line> {
        if let Some(line) = self.peeked.filter(|l| l.start == self.pos) {
            return Some(line);
        }
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let end = self.line_end(start);
            let mut i = start;
            while i < end && self.bytes[i] == b' ' {
                i += 1;
            }
            if i < end && self.bytes[i] != b'#' {
                if i == start && end - start >= 3 && matches!(&self.bytes[start..start + 3], b"---" | b"...") {
                    self.marker = true;
                }
                let line = Line { start, indent: i - start, end };
                self.peeked = Some(line);
                return Some(line);
            }
            self.pos = end + 1;
        }
        None
    }

    /// Marks `line` read.
    fn take(&mut self, line: Line) {
        self.pos = line.end + 1;
    }

    /// The text from `at` to the end of its line, without trailing spaces.
    fn rest(&self, at: usize) -> &str {
        self.trimmed(at, self.line_end(at))
    }

    /// The text from `at` to `end` without trailing spaces.
    fn trimmed(&self, at: usize, mut end: usize) -> &str {
        while end > at && self.bytes[end - 1] == b' ' {
            end -= 1;
        }
        &self.text[at..end]
    }

    fn skip_spaces(&self, mut at: usize, end: usize) -> usize {
        while at < end && self.bytes[at] == b' ' {
            at += 1;
        }
        at
    }

    /// Whether only spaces and a comment follow `at` on its line (`at` just after a token).
    fn ends_line(&self, at: usize, end: usize) -> bool {
        let next = self.skip_spaces(at, end);
        next == end || (next > at && self.bytes[next] == b'#')
    }

    /// Whether a plain scalar (of this subset) starts at `at`: not at an indicator, and at
    /// `-`, `?` or `:` only before a character other than a space.
    fn starts_plain(&self, at: usize, end: usize) -> bool {
        let c = self.bytes[at];
        !starts_no_plain(c) && !(matches!(c, b'-' | b'?' | b':') && (at + 1 == end || self.bytes[at + 1] == b' '))
    }

    /// A `-` entry of a block sequence at `at`: `-` then a space or the line's end.
    fn is_item(&self, at: usize, end: usize) -> bool {
        self.bytes[at] == b'-' && (at + 1 == end || self.bytes[at + 1] == b' ')
    }

    /// When a mapping key starts at `at`: where the key ends and where its value starts (just
    /// after the `:`).
    fn key_end(&self, at: usize, end: usize) -> Option<(usize, usize)> {
        let b = self.bytes;
        let close = match b[at] {
            b'"' | b'\'' => self.quoted_end(at, end)?,
            _ if !self.starts_plain(at, end) => return None,
            _ => {
                let (stop, colon) = self.plain_stop(at, end);
                return colon.then_some((stop, stop + 1));
            }
        };
        let colon = self.skip_spaces(close, end);
        (colon < end && b[colon] == b':' && (colon + 1 == end || b[colon + 1] == b' ')).then_some((close, colon + 1))
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A block mapping whose keys start at column `indent`, its first key at `at` on the line
    /// ending at `end` (already taken).
    fn mapping(&mut self, indent: usize, mut at: usize, mut end: usize) -> Option<Value> {
        self.enter()?;
        // Entries are collected first and the map made at its size: growing each small map
        // (most hold a few keys) rehashed it about once per two keys.
        let mut entries = Vec::new();
        loop {
            let (key_end, value_at) = self.key_end(at, end)?;
            if key_end - at > MAX_KEY {
                return None;
            }
            let key = match self.bytes[at] {
                b'"' | b'\'' => self.quoted(at, key_end)?,
                _ => {
                    let key = self.trimmed(at, key_end);
                    if key == "<<" {
                        return None; // a merge key
                    }
                    String::from(key)
                }
            };
            let value = self.value(value_at, end, indent, Some(&key))?;
            entries.push((key, value));
            match self.peek() {
                Some(line) if line.indent == indent && !self.is_item(line.start + indent, line.end) => {
                    self.take(line);
                    (at, end) = (line.start + indent, line.end);
                }
                Some(line) if line.indent >= indent => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        let mut map = Map::with_capacity(entries.len());
        for (key, value) in entries {
            map.insert(key, value); // a repeated key keeps its place and takes the later value
        }
        Some(Value::Object(map))
    }

    /// A block sequence whose `-` sit at column `indent`; `line` is its first entry (taken).
    fn sequence(&mut self, indent: usize, mut line: Line) -> Option<Value> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            let at = self.skip_spaces(line.start + indent + 1, line.end);
            let item = if at < line.end && self.is_item(at, line.end) {
                return None; // `- - x`
            } else if at < line.end && self.key_end(at, line.end).is_some() {
                self.mapping(at - line.start, at, line.end)?
            } else {
                self.value(at, line.end, indent, None)?
            };
            items.push(item);
            match self.peek() {
                Some(next) if next.indent == indent && self.is_item(next.start + indent, next.end) => {
                    self.take(next);
                    line = next;
                }
                Some(next) if next.indent > indent => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        Some(Value::Array(items))
    }

    /// The value starting at `at` on a line ending at `end` (taken), of a mapping key (`key`)
    /// or a sequence entry at column `indent`: there or on the lines below.
    fn value(&mut self, at: usize, end: usize, indent: usize, key: Option<&str>) -> Option<Value> {
        let at = self.skip_spaces(at, end);
        if at == end || self.bytes[at] == b'#' {
            return match self.peek() {
                Some(line) if line.indent > indent || (key.is_some() && line.indent == indent && self.is_item(line.start + indent, line.end)) => {
                    self.take(line);
                    let first = line.start + line.indent;
                    if self.is_item(first, line.end) {
                        self.sequence(line.indent, line)
                    } else if self.key_end(first, line.end).is_some() {
                        self.mapping(line.indent, first, line.end)
                    } else {
                        None // a scalar on its own line
                    }
                }
                _ => Some(Value::Null),
            };
        }
        let value = match self.bytes[at] {
            b'"' | b'\'' => {
                let close = self.quoted_end(at, end)?;
                if !self.ends_line(close, end) {
                    return None;
                }
                Value::String(self.quoted(at, close)?)
            }
            b'[' => self.flow_sequence(at, end)?,
            b'{' if self.ends_line_after(at, "{}", end) => Value::Object(Map::new()),
            b'|' | b'>' => Value::String(self.block_scalar(at, end, indent)?),
            _ if !self.starts_plain(at, end) => return None,
            _ => {
                let text = self.plain(at, end)?;
                let value = resolve_plain(String::from(text));
                match yaml11_bool(&value) {
                    Some(b) if key.is_some_and(|k| BOOLEAN_KEYS.contains(&k)) => Value::Bool(b),
                    _ => value,
                }
            }
        };
        // A value on the line ends there: a more-indented line below would continue it.
        match self.peek() {
            Some(line) if line.indent > indent => None,
            _ => Some(value),
        }
    }

    /// Whether `token` is at `at` and only spaces and a comment follow it.
    fn ends_line_after(&self, at: usize, token: &str, end: usize) -> bool {
        self.text[at..end].starts_with(token) && self.ends_line(at + token.len(), end)
    }

    /// A plain scalar from `at` to the line's end or a comment; `None` where `: ` would make it
    /// a key (an error in a value, left to the full parser).
    fn plain(&self, at: usize, end: usize) -> Option<&str> {
        let (stop, colon) = self.plain_stop(at, end);
        (!colon).then(|| self.trimmed(at, stop))
    }

    /// Where a plain scalar starting at `at` stops on its line: at the first `:` followed by a
    /// space or the line's end (`true`: the scalar is a key), else at a comment or the line's
    /// end (`false`).
    fn plain_stop(&self, at: usize, end: usize) -> (usize, bool) {
        let b = self.bytes;
        let mut i = at;
        while i < end {
            match b[i] {
                b':' if i + 1 == end || b[i + 1] == b' ' => return (i, true),
                b'#' if b[i - 1] == b' ' => break,
                _ => {}
            }
            i += 1;
        }
        (i, false)
    }

    /// `[a, "b", 1]` on one line: scalars only.
    fn flow_sequence(&self, at: usize, end: usize) -> Option<Value> {
        let b = self.bytes;
        let mut items = Vec::new();
        let mut i = self.skip_spaces(at + 1, end);
        if i < end && b[i] == b']' {
            return self.ends_line(i + 1, end).then(|| Value::Array(items));
        }
        loop {
            if i >= end {
                return None;
            }
            let (item, next) = match b[i] {
                b'"' | b'\'' => {
                    let close = self.quoted_end(i, end)?;
                    (Value::String(self.quoted(i, close)?), close)
                }
                c if starts_no_plain(c) || matches!(c, b'-' | b'?' | b':') => return None,
                _ => {
                    let mut j = i;
                    while j < end && !matches!(b[j], b',' | b']' | b'[' | b'{' | b'}' | b':' | b'#' | b'"' | b'\'') {
                        j += 1;
                    }
                    let text = self.trimmed(i, j);
                    if text.is_empty() {
                        return None;
                    }
                    (resolve_plain(String::from(text)), j)
                }
            };
            items.push(item);
            i = self.skip_spaces(next, end);
            match b.get(i) {
                Some(b',') if i < end => i = self.skip_spaces(i + 1, end),
                Some(b']') if i < end => return self.ends_line(i + 1, end).then(|| Value::Array(items)),
                _ => return None,
            }
        }
    }

    /// Where the quoted scalar starting at `at` ends (after its closing quote), on its line.
    fn quoted_end(&self, at: usize, end: usize) -> Option<usize> {
        let b = self.bytes;
        let quote = b[at];
        let mut i = at + 1;
        while i < end {
            match b[i] {
                b'\\' if quote == b'"' => i += 1,
                b'\'' if quote == b'\'' && i + 1 < end && b[i + 1] == b'\'' => i += 1,
                c if c == quote => return Some(i + 1),
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// The text of the quoted scalar from `at` to `close` (just after its closing quote).
    fn quoted(&self, at: usize, close: usize) -> Option<String> {
        let inner = &self.text[at + 1..close - 1];
        if self.bytes[at] == b'\'' {
            return Some(if inner.contains('\'') { inner.replace("''", "'") } else { String::from(inner) });
        }
        let Some(first) = inner.find('\\') else { return Some(String::from(inner)) };
        let mut out = String::with_capacity(inner.len());
        out.push_str(&inner[..first]);
        let mut rest = &inner[first..];
        while let Some(escape) = rest.strip_prefix('\\') {
            let (c, len) = unescape(escape)?;
            out.push(c);
            rest = &escape[len..];
            let next = rest.find('\\').unwrap_or(rest.len());
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
        Some(out)
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at `at`, of a key or entry
    /// at column `indent`: its lines are those below, indented more than `indent`.
    fn block_scalar(&mut self, at: usize, end: usize, indent: usize) -> Option<String> {
        let header = self.trimmed(at, end);
        let (folded, strip) = match header {
            "|" => (false, false),
            "|-" => (false, true),
            ">" => (true, false),
            ">-" => (true, true),
            _ => return None,
        };
        // (start of content, end) of each line, blank lines as empty ranges.
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut content = 0;
        let mut last = 0; // lines up to the last with content
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let line_end = self.line_end(start);
            let spaces = self.skip_spaces(start, line_end) - start;
            if content > 0 && spaces < content && spaces < line_end - start {
                break; // a less indented line with content ends the scalar
            }
            if line_end == self.bytes.len() {
                return None; // no final line break: left to the full parser
            }
            if spaces == line_end - start {
                if content == 0 || spaces > content {
                    return None; // leading blank lines, or spaces past the indentation
                }
                lines.push((line_end, line_end));
            } else {
                if content == 0 {
                    if spaces <= indent {
                        return None; // an empty scalar
                    }
                    content = spaces;
                }
                if folded && spaces > content {
                    return None; // more-indented lines keep their breaks
                }
                lines.push((start + content, line_end));
                last = lines.len();
            }
            self.pos = line_end + 1;
        }
        if last == 0 {
            return None;
        }
        let mut out = String::new();
        let mut breaks = 0;
        for (n, &(from, to)) in lines[..last].iter().enumerate() {
            if from == to {
                breaks += 1;
                continue;
            }
            if n > 0 {
                if !folded {
                    out.push('\n');
                    out.extend(std::iter::repeat_n('\n', breaks));
                } else if breaks == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', breaks));
                }
            }
            breaks = 0;
            out.push_str(&self.text[from..to]);
        }
        if !strip {
            out.push('\n');
        }
        Some(out)
    }
}

/// Characters that cannot start a plain scalar (`-`, `?` and `:` can, before a non-space),
/// or start what this reader leaves to the full parser.
fn starts_no_plain(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`')
}

/// The character an escape (the text after a `\` of a double-quoted scalar) stands for, and
/// the escape's length.
fn unescape(escape: &str) -> Option<(char, usize)> {
    let c = match escape.as_bytes().first()? {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' | b'u' | b'U' => {
            let digits = match escape.as_bytes()[0] {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = escape.get(1..1 + digits)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            return Some((char::from_u32(u32::from_str_radix(hex, 16).ok()?)?, 1 + digits));
        }
        _ => return None,
    };
    Some((c, 1))
}

#[cfg(test)]
mod tests;
