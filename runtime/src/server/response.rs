//! Responses: JSON, text, bytes and empty bodies, headers, statuses, challenges.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

use super::rejection::ErrorBody;

/// `status` as a `StatusCode`, else `fallback`, else `500`.
pub fn status_code(status: u16, fallback: u16) -> StatusCode {
    StatusCode::from_u16(status).or_else(|_| StatusCode::from_u16(fallback)).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `status` when it lies in `digit`XX, else `fallback`.
pub fn status_in_range(status: u16, digit: u16, fallback: u16) -> u16 {
    if status / 100 == digit {
        status
    } else {
        fallback
    }
}

/// The reason phrase of a status (`Not Found`), or `Error`.
pub fn reason_phrase(status: u16) -> &'static str {
    StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error")
}

fn with_body(status: StatusCode, body: axum::body::Body, content_type: Option<&'static str>) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

/// A JSON response (`500` with `{}` if the value does not serialize).
pub fn json_response<T: serde::Serialize + ?Sized>(status: u16, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_body(status_code(status, 500), bytes.into(), Some("application/json")),
        Err(_) => with_body(StatusCode::INTERNAL_SERVER_ERROR, b"{}".to_vec().into(), Some("application/json")),
    }
}

/// A `text/plain` response.
pub fn text_response(status: u16, text: String) -> Response {
    with_body(status_code(status, 500), text.into(), Some("text/plain; charset=utf-8"))
}

/// An `application/octet-stream` response.
pub fn bytes_response(status: u16, bytes: Vec<u8>) -> Response {
    with_body(status_code(status, 500), bytes.into(), Some("application/octet-stream"))
}

/// A response without body.
pub fn empty_response(status: u16) -> Response {
    with_body(status_code(status, 500), axum::body::Body::empty(), None)
}

/// Adds a declared response header; a value that is not a valid header is left out.
pub fn insert_header(response: &mut Response, name: &'static str, value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(name, value);
    }
}

/// `405` for a method the path does not have, with the API's error body.
pub fn method_not_allowed(error_body: ErrorBody) -> Response {
    error_body(StatusCode::METHOD_NOT_ALLOWED, "invalid_request", "the method is not allowed on this path")
}

/// Token responses must not be cached (RFC 6749 §5.1): `Cache-Control: no-store` and
/// `Pragma: no-cache`.
pub fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// A `401` must carry `WWW-Authenticate` (RFC 9110 §15.5.2, RFC 6749 §5.2): adds
/// `challenge` to a `401` response that has none.
pub fn with_challenge(mut response: Response, challenge: &str) -> Response {
    if response.status() == StatusCode::UNAUTHORIZED && !response.headers().contains_key(header::WWW_AUTHENTICATE) {
        if let Ok(value) = HeaderValue::from_str(challenge) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
    }
    response
}
