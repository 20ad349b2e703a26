//! The server side: what every generated axum router is built on.
//!
//! A generated `server` module has one request type and one trait method per operation and
//! a router whose handlers use these helpers to decode and validate the request (parameters,
//! body, credentials), ask the implementation, and encode its answer. Requests that do not
//! match the spec never reach the implementation: they get a [`Rejection`], answered with
//! the API's own error body.

mod body;
mod credentials;
mod dispatch;
mod form;
mod params;
mod rejection;
mod response;

pub use body::{decode_form, decode_json, decode_json_object, decode_multipart, decode_pairs, decode_text, media_type, read_body, Fields};
pub use dispatch::{not_implemented, optional, respond, validate, DeclaredErrors, Endpoint};
pub use credentials::{client_authentication, context, credentials, open_context, require_client, required_credentials, Accepts, AuthContext, Credentials};
pub use params::{cookie_values, header_values, object_param, param_list, param_one, path_param, path_params, path_value, query_list, query_pairs, query_param, query_values, required};
pub use rejection::{ErrorBody, Failure, Outcome, Rejection};
pub use response::{
    bytes_response, empty_response, insert_header, json_response, method_not_allowed, no_store, oauth_error_response, reason_phrase, status_code, status_in_range,
    text_response, with_challenge,
};

pub use axum::http::{Extensions, StatusCode};
pub use axum::response::Response;

/// The web framework generated routers are built with: `axum::serve(listener, router)`.
pub use axum;

/// Router settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Largest request body accepted, in bytes; larger ones get `413`.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { body_limit: 64 * 1024 }
    }
}
