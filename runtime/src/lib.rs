//! The runtime of code generated from OpenAPI specs of OAuth APIs.
//!
//! Generated modules hold only what is specific to their API (models, the client's methods,
//! the server's trait and router) and name everything else here by absolute path
//! (`::oauth_api::…`). One dependency is all a user adds: this crate re-exports the
//! `#[oauth_api("spec.yaml")]` macro (feature `macros`) and the crates generated code needs
//! (`serde`, `serde_json`, `chrono`, `reqwest`, `axum`) under [`__private`].
//!
//! - [`ParamValue`], [`Validate`], [`Limits`]: parameter text and schema limits, shared by
//!   both sides.
//! - [`oauth`]: OAuth 2.0 types as the RFCs define them (token types, error codes, token
//!   responses, client authentication).
//! - [`client`] (feature `client`): [`client::ResponseValue`], the one [`client::Error`]
//!   type of every generated API, request encoding, timeouts, retries, and [`token`], the
//!   token layer that fetches, caches and renews access tokens.
//! - [`server`] (feature `server`): credential decoding, body and parameter decoding,
//!   rejections with the API's own error body.
#![warn(missing_docs)]

pub mod de;
pub mod describe;
pub mod enums;
pub mod model;
pub mod ser;
mod secret;
pub mod union;
mod validate;
mod value;

pub mod oauth;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod token;

#[cfg(feature = "server")]
pub mod server;

pub use secret::Secret;

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}
pub use union::{decode_union, Candidate, Tag};
pub use validate::{field_path, validate_field, validate_members, FieldValue, Limited, Limits, Validate};
pub use value::{ParamValue, UnknownValue};

/// Generates an API's models, client and server stub inside a module, from an OpenAPI spec.
///
/// `#[oauth_api("path/to/spec.yaml")]` on `mod name {}`; `client` or `server` after the path
/// picks one side. The path is relative to the crate's `Cargo.toml`.
#[cfg(feature = "macros")]
pub use oauth_api_macros::oauth_api;

/// What generated code names by absolute path. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use chrono;
    pub use serde;
    pub use serde_json;
    #[cfg(feature = "server")]
    pub use axum;
    #[cfg(feature = "client")]
    pub use reqwest;
}
