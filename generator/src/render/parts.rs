//! Formatting the pieces of a module one at a time ([`crate::codegen::Part`]), with the text
//! prettyplease gives the whole module.
//!
//! Top-level items are printed on their own, as [`super::format_items`] does. The members of
//! a nested body (`mod client { … }`, `impl Client { … }`) are printed inside their real
//! enclosing items, and the text of those (the *frame*) is cut off: a frame is printed once
//! around a marker member to learn its text before and after the body.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use proc_macro2::TokenStream;
use quote::quote;

use super::model_text::leading_docs;
use super::{format_owned_items, unparse};
use crate::codegen::{Head, Later, Part, Parts};

/// Why writing pieces failed.
#[derive(Debug)]
pub(crate) enum PartError {
    Io(std::io::Error),
    Syntax(syn::Error),
}

impl From<std::io::Error> for PartError {
    fn from(e: std::io::Error) -> Self {
        PartError::Io(e)
    }
}

impl From<syn::Error> for PartError {
    fn from(e: syn::Error) -> Self {
        PartError::Syntax(e)
    }
}

/// The enclosing items of a nested body, outermost first.
pub(crate) struct Frame<'f> {
    /// Tokens of the body → tokens of the outermost item.
    wrap: &'f dyn Fn(TokenStream) -> TokenStream,
    /// The text of the outermost item before the body and after it.
    before: String,
    after: String,
    /// The indentation of the body's members.
    indent: String,
}

/// A member that appears nowhere else; valid as an item, `impl` member and `trait` member.
fn marker() -> TokenStream {
    quote! { __oauth_api_render_marker!(); }
}

const MARKER_TEXT: &str = "__oauth_api_render_marker!();";

/// The stack of a formatting thread. prettyplease prints a method chain recursively, and a
/// router of a large API chains thousands of `.route(…)` calls (Graph beta's has 13,828);
/// only the pages used are committed.
const STACK: usize = 256 << 20;

/// How many consecutive pieces a thread claims at once, and sends as one text: a message per
/// piece woke the writing thread thousands of times (GitHub has about 10,000 pieces, Graph
/// beta, with 26 times its operations, many more). With 16 pieces a chunk the channel's
/// waiting (std spins before it parks) was still 2.5% of Graph beta's time; with 64, waking
/// the writer (a `futex` call each message) 3.7% of its samples with one formatting thread,
/// against 1.0% with 512.
const CHUNK: usize = 512;

/// Writes the pieces `make_parts` generates, in order, formatted on `threads` threads.
///
/// Every thread walks its own copy of the pieces (deferred ones are not generated when
/// skipped) and claims the next unclaimed chunk of [`CHUNK`] pieces whenever it is free; the
/// calling thread writes the chunks' texts in order. The output does not depend on the number
/// of threads.
pub(crate) fn write_parts<'a>(
    out: &mut dyn Write,
    make_parts: &(dyn Fn() -> Parts<'a> + Sync),
    threads: usize,
    on_exit: &(dyn Fn() + Sync),
) -> Result<(), PartError> {
    let claims = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<String, PartError>)>(4 * threads);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let claims = &claims;
            let spawned = std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, move || {
                let mut worker = Worker { claims, chunk: claims.fetch_add(1, Ordering::Relaxed), text: String::new(), seq: 0, tx };
                // A failed piece was sent as such; the others stop at the same place.
                if worker.walk(make_parts(), None).is_ok() {
                    let _ = worker.finish();
                }
                drop(worker);
                on_exit();
            });
            if let Err(e) = spawned {
                return Err(PartError::Io(e));
            }
        }
        drop(tx);
        write_in_order(out, rx)
    })
}

/// Receives the chunks' numbered texts and writes them in order of their numbers.
fn write_in_order(out: &mut dyn Write, rx: mpsc::Receiver<(usize, Result<String, PartError>)>) -> Result<(), PartError> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for (seq, text) in rx {
        waiting.insert(seq, text?);
        while let Some(text) = waiting.remove(&next) {
            out.write_all(text.as_bytes())?;
            next += 1;
        }
    }
    match waiting.is_empty() {
        true => Ok(()),
        false => Err(frame_error("a chunk of pieces is missing")),
    }
}

/// One formatting thread: its place in the walk and the chunk of pieces it claimed.
struct Worker<'s> {
    claims: &'s AtomicUsize,
    /// The number of the chunk this thread formats: pieces `CHUNK * chunk..CHUNK * (chunk + 1)`.
    chunk: usize,
    /// The text of the chunk's pieces so far.
    text: String,
    /// The number of the next piece in the walk.
    seq: usize,
    tx: mpsc::SyncSender<(usize, Result<String, PartError>)>,
}

/// The walk ends early: a piece failed, or nobody reads the texts any more.
struct Stop;

impl Worker<'_> {
    /// Takes the next piece of the walk; `Some(number)` when this thread formats it.
    fn next_piece(&mut self) -> Option<usize> {
        let seq = self.seq;
        self.seq += 1;
        (seq / CHUNK == self.chunk).then_some(seq)
    }

    /// Adds the text of piece `seq` to the chunk's; sends the chunk's when it is the last of
    /// it, and claims another. A failure is sent at once.
    fn send(&mut self, seq: usize, text: Result<String, PartError>) -> Result<(), Stop> {
        match text {
            Ok(text) => self.text.push_str(&text),
            Err(e) => {
                let _ = self.tx.send((self.chunk, Err(e)));
                return Err(Stop);
            }
        }
        if seq % CHUNK == CHUNK - 1 {
            // The next chunk's text starts as large as this one's ended (growing it by doubling
            // copied it over and over).
            let next = String::with_capacity(self.text.len());
            let text = std::mem::replace(&mut self.text, next);
            self.tx.send((self.chunk, Ok(text))).map_err(|_| Stop)?;
            self.chunk = self.claims.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// At the end of the walk: sends the text of the chunk when the walk reached into it (the
    /// last chunk, cut short).
    fn finish(&mut self) -> Result<(), Stop> {
        if self.chunk * CHUNK < self.seq {
            self.tx.send((self.chunk, Ok(std::mem::take(&mut self.text)))).map_err(|_| Stop)?;
        }
        Ok(())
    }

    /// Formats this thread's pieces of `parts`, inside `frame` when nested.
    fn walk(&mut self, parts: Parts<'_>, frame: Option<&Frame<'_>>) -> Result<(), Stop> {
        for part in parts {
            let items = match part {
                Part::Items(items) => Lazy::Now(items),
                Part::Later(items) => Lazy::Later(items),
                Part::Nest { head, body } => {
                    self.nest(head, body, frame)?;
                    continue;
                }
            };
            if let Some(seq) = self.next_piece() {
                let text = items_text(items.tokens(), frame);
                self.send(seq, text)?;
            }
        }
        Ok(())
    }

    /// An item with a body: the text before the body, the body, the text after it (three
    /// pieces). Every thread prints the frame, to cut it off the members it formats.
    fn nest(&mut self, head: Head<'_>, body: Parts<'_>, frame: Option<&Frame<'_>>) -> Result<(), Stop> {
        let wrap = |tokens: TokenStream| match frame {
            Some(outer) => (outer.wrap)(head(tokens)),
            None => head(tokens),
        };
        let (outer_before, outer_after) = frame.map_or(("", ""), |f| (f.before.as_str(), f.after.as_str()));
        let framed = print(wrap(marker())).map_err(PartError::from).and_then(|text| {
            let (before, indent, after) = split_at_marker(&text)?;
            Ok((before.to_string(), indent.to_string(), after.to_string()))
        });
        let (before, indent, after) = match framed {
            Ok(texts) => texts,
            Err(e) => {
                return match self.next_piece() {
                    Some(seq) => self.send(seq, Err(e)),
                    None => Err(Stop),
                };
            }
        };
        if let Some(seq) = self.next_piece() {
            self.send(seq, cut(&before, outer_before, "").map(str::to_string))?;
        }
        let inner = Frame { wrap: &wrap, before, after, indent };
        self.walk(body, Some(&inner))?;
        if let Some(seq) = self.next_piece() {
            self.send(seq, cut(&inner.after, "", outer_after).map(str::to_string))?;
        }
        Ok(())
    }
}

/// Items generated already or when needed.
enum Lazy<'a> {
    Now(TokenStream),
    Later(Later<'a>),
}

impl Lazy<'_> {
    fn tokens(self) -> TokenStream {
        match self {
            Lazy::Now(items) => items,
            Lazy::Later(items) => items(),
        }
    }
}

/// The text of items: top-level ones printed one at a time, members printed inside their frame.
fn items_text(items: TokenStream, frame: Option<&Frame<'_>>) -> Result<String, PartError> {
    match frame {
        None => Ok(format_owned_items(items)?),
        Some(frame) => members_text(items, frame),
    }
}

/// Members printed inside their frame: from their tokens when [`super::fast::item_text`] can,
/// else through syn. Then the doc comments leading the first are printed from their tokens, at
/// the members' indentation, since prettyplease prints attributes alone on their lines: only
/// the rest goes through syn.
fn members_text(items: TokenStream, frame: &Frame<'_>) -> Result<String, PartError> {
    let trees: Vec<proc_macro2::TokenTree> = items.into_iter().collect();
    let mut trees = match super::fast::item_text(trees, frame.indent.len()) {
        Ok(text) => return Ok(text),
        Err(trees) => trees,
    };
    let mut out = String::new();
    let docs = trees.len() - leading_docs(&trees, &frame.indent, &mut out).len();
    if docs == trees.len() {
        // Doc comments without an item do not parse: leave them to syn, which says so.
        out.clear();
    } else {
        trees.drain(..docs);
    }
    let text = print((frame.wrap)(trees.into_iter().collect()))?;
    out.push_str(cut(&text, &frame.before, &frame.after)?);
    Ok(out)
}

/// One item (a frame around members), printed.
fn print(tokens: TokenStream) -> syn::Result<String> {
    Ok(unparse(syn::parse2(super::split_doc_comments(tokens))?))
}

/// The text of a frame before the marker's line, the marker's indentation, and the text after
/// its line.
fn split_at_marker(text: &str) -> Result<(&str, &str, &str), PartError> {
    let at = text.find(MARKER_TEXT).ok_or_else(|| frame_error("no marker"))?;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    Ok((&text[..start], &text[start..at], &text[end..]))
}

/// `text` without the frame text `before` and `after` it.
fn cut<'t>(text: &'t str, before: &str, after: &str) -> Result<&'t str, PartError> {
    text.strip_prefix(before)
        .and_then(|t| t.strip_suffix(after))
        .ok_or_else(|| frame_error("a member changed the text of its enclosing items"))
}

fn frame_error(why: &str) -> PartError {
    PartError::Syntax(syn::Error::new(proc_macro2::Span::call_site(), format!("formatting nested items: {why}")))
}
