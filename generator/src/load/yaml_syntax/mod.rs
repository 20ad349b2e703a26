//! A YAML scanner and event parser: a copy of `yaml-rust2` 0.10.4 (`src/scanner.rs`,
//! `src/parser.rs`, `src/char_traits.rs`; MIT, see `LICENSE-MIT`), patched to accept what
//! libyaml (and so PyYAML) accepts where `yaml-rust2` is stricter than libyaml:
//!
//! - inside flow collections (`{…}`, `[…]`) indentation is not checked, so a closing bracket may
//!   sit at its parent key's indentation (the Apache Polaris spec);
//! - tabs may separate tokens inside flow collections and after indicators.
//!
//! Each patch is marked `PATCH (libyaml)`. Patches marked `PATCH (performance)` make the
//! scanner read its input in place (a `&str` and a byte offset instead of a queue of
//! characters) and take runs of ordinary characters at once; a proc macro runs this code
//! unoptimized, where the per-character calls dominated. Tokens, events and line:column are
//! unchanged; `Marker::index` counts characters everywhere (upstream counts bytes in the lines
//! of block scalars). Everything else is upstream code, kept as it is (it is not formatted or
//! linted as ours).

#![allow(clippy::all, clippy::pedantic, dead_code, unused_imports, unused_variables, unused_mut)]

mod char_traits;
pub mod parser;
pub mod scanner;
