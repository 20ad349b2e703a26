//! Test support.
//!
//! [`reference`](mod@reference) holds in-memory reference implementations of the four generated
//! `server::Api` traits (the examples users read) and [`reference::harness`], which serves
//! a router on loopback, records the requests as they arrived and stops the server.

pub mod reference;

pub use reference::harness;
