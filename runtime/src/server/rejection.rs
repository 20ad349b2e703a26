//! [`Rejection`] (a request the router or the implementation refuses) and [`Failure`] (what
//! a trait method returns when it does not succeed).

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::Response;

/// Builds the API's own error body for a status, an error code and a message (generated per
/// API from the error model its spec declares).
pub type ErrorBody = fn(StatusCode, &str, &str) -> Response;

/// A request refused before (or instead of) a declared response: a status, an OAuth-style
/// error code and a message, answered with the API's own error body, and for `401` a
/// `WWW-Authenticate` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status.
    pub status: StatusCode,
    /// An error code (`invalid_request`, `invalid_client` …), for bodies that carry one.
    pub code: Cow<'static, str>,
    /// What was wrong.
    pub message: String,
    /// The `WWW-Authenticate` challenge, for `401`.
    pub challenge: Option<String>,
}

impl Rejection {
    /// A rejection with any status.
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Rejection { status, code: code.into(), message: message.into(), challenge: None }
    }

    /// `400` with an error code (`invalid_request`, `unsupported_grant_type` …).
    pub fn bad_request(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// `401 invalid_client` with a `WWW-Authenticate` challenge (RFC 6749 §5.2, RFC 9110
    /// §11.6.1): client or user authentication failed or was missing.
    pub fn unauthorized(challenge: impl Into<String>, message: impl Into<String>) -> Self {
        Rejection { challenge: Some(challenge.into()), ..Rejection::new(StatusCode::UNAUTHORIZED, "invalid_client", message) }
    }

    /// `401 invalid_token` with a Bearer challenge naming the error (RFC 6750 §3).
    pub fn invalid_token(message: impl Into<String>) -> Self {
        let message = message.into();
        let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{}\"", message.replace(['"', '\\'], "'"));
        Rejection { challenge: Some(challenge), ..Rejection::new(StatusCode::UNAUTHORIZED, "invalid_token", message) }
    }

    /// `403 insufficient_scope` / access denied.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Rejection::new(StatusCode::FORBIDDEN, "insufficient_scope", message)
    }

    /// `501 Not Implemented`: what every trait method answers until it is implemented.
    pub fn not_implemented(operation_id: &str) -> Self {
        Rejection::new(StatusCode::NOT_IMPLEMENTED, "server_error", format!("`{operation_id}` is not implemented"))
    }

    /// The rejection as an OAuth endpoint gives it: errors of a token request are `400` (RFC
    /// 6749 §5.2), a body of the wrong media type included (`415` elsewhere).
    #[must_use]
    pub fn on_oauth_endpoint(mut self) -> Self {
        if self.status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            self.status = StatusCode::BAD_REQUEST;
        }
        self
    }

    /// The response: the API's error body, with the challenge.
    pub fn into_response(self, error_body: ErrorBody) -> Response {
        let response = error_body(self.status, &self.code, &self.message);
        match self.challenge {
            Some(challenge) => super::response::with_challenge(response, &challenge),
            None => response,
        }
    }
}

/// What a server trait method answers when it does not succeed: a response the spec
/// declares, or a [`Rejection`] (any status, with the API's error body).
#[derive(Clone, Debug, PartialEq)]
pub enum Failure<E> {
    /// A declared error response.
    Declared(E),
    /// Any other refusal: `401`, `403`, `501` …
    Rejected(Rejection),
}

/// What a server trait method answers: its success `T`, or a [`Failure`] with its declared
/// error `E` (none by default: an operation the spec declares no error response for).
pub type Outcome<T, E = std::convert::Infallible> = Result<T, Failure<E>>;

impl<E> From<E> for Failure<E> {
    fn from(e: E) -> Self {
        Failure::Declared(e)
    }
}
