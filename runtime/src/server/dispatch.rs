//! What every generated handler does around its operation's own decoding, call and encoding:
//! answer rejections with the API's error body, and give every response its last touch
//! (challenge, `Cache-Control`).

use axum::response::Response;

use super::rejection::{ErrorBody, Failure, Rejection};
use super::response::{no_store, with_challenge};

/// How the router answers for an operation, besides its declared responses.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    /// The API's error body for rejections.
    pub error_body: ErrorBody,
    /// The `WWW-Authenticate` challenge a `401` carries (RFC 9110 §15.5.2); empty for none.
    pub challenge: &'static str,
    /// An OAuth token endpoint: rejections of the request are `400` (RFC 6749 §5.2) and
    /// responses are not cached (§5.1).
    pub token: bool,
}

/// An enum of the error responses an operation declares (`{Op}Error`), as the server sends
/// them. The generated server implements it once for each such enum, and operations that
/// declare the same error responses share the enum, so they share its encoding.
pub trait DeclaredErrors {
    /// The response this declared error is.
    fn encode(self) -> Response;
}

/// No declared error: an operation whose spec declares none.
impl DeclaredErrors for std::convert::Infallible {
    fn encode(self) -> Response {
        match self {}
    }
}

/// The response to a request: its rejection, the implementation's success `encode`d, or its
/// declared error encoded (see [`DeclaredErrors`]).
pub fn respond<T, E: DeclaredErrors>(endpoint: &Endpoint, answer: Result<Result<T, Failure<E>>, Rejection>, encode: impl FnOnce(T) -> Response) -> Response {
    let response = match answer {
        Err(rejection) if endpoint.token => rejection.on_oauth_endpoint().into_response(endpoint.error_body),
        Err(rejection) => rejection.into_response(endpoint.error_body),
        Ok(Ok(value)) => encode(value),
        Ok(Err(Failure::Declared(error))) => error.encode(),
        Ok(Err(Failure::Rejected(rejection))) => rejection.into_response(endpoint.error_body),
    };
    let response = if endpoint.challenge.is_empty() { response } else { with_challenge(response, endpoint.challenge) };
    if endpoint.token {
        no_store(response)
    } else {
        response
    }
}

/// What a trait method answers until it is implemented: `501 Not Implemented`.
pub fn not_implemented<R, T, E>(operation_id: &str, request: R) -> std::future::Ready<Result<T, Failure<E>>> {
    drop(request);
    std::future::ready(Err(Failure::Rejected(Rejection::not_implemented(operation_id))))
}

/// Checks a decoded body against the spec's limits.
///
/// # Errors
///
/// `400 invalid_request` naming the first value that breaks a limit.
pub fn validate<T: crate::Validate>(body: &T) -> Result<(), Rejection> {
    body.validate("").map_err(|m| Rejection::bad_request("invalid_request", m))
}

/// An optional body: `None` (and no fields) when the request has none, else `decode`d.
///
/// # Errors
///
/// Those of `decode`.
pub fn optional<'a, T>(
    bytes: &'a [u8],
    decode: impl FnOnce(&'a [u8]) -> Result<(T, super::Fields<'a>), Rejection>,
) -> Result<(Option<T>, super::Fields<'a>), Rejection> {
    if bytes.is_empty() {
        return Ok((None, Vec::new()));
    }
    decode(bytes).map(|(value, fields)| (Some(value), fields))
}
