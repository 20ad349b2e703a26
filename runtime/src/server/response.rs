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

/// Adds a declared response header when it has a value; a value that is not a valid header is
/// left out.
pub fn insert_header<T: crate::ParamValue>(response: &mut Response, name: &'static str, value: Option<&T>) {
    if let Some(Ok(value)) = value.map(|v| HeaderValue::from_str(&v.to_param())) {
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

/// An error response of an OAuth endpoint that clients of RFC 6749 can read: the API's own
/// error `body`, plus `error` and `error_description` (§5.2) when it has no `error` string of
/// its own. The code is `code`, else an RFC code found in the body (`INVALID_CLIENT` in a
/// `reason`), else one that fits the status; the description is `description`, else the
/// body's own message.
pub fn oauth_error_response<T: serde::Serialize + ?Sized>(status: u16, body: &T, code: Option<&str>, description: Option<&str>) -> Response {
    let Ok(mut value) = serde_json::to_value(body) else { return json_response(status, body) };
    if let serde_json::Value::Object(map) = &mut value {
        if !map.get("error").is_some_and(serde_json::Value::is_string) {
            let found = rfc_code_in(&serde_json::Value::Object(map.clone()), 0);
            let code = code.map(str::to_string).or(found).unwrap_or_else(|| fallback_code(status).to_string());
            let description = description.map(str::to_string).or_else(|| crate::describe::describe(&*map));
            map.insert("error".to_string(), code.into());
            if let Some(description) = description.filter(|_| !map.contains_key("error_description")) {
                map.insert("error_description".to_string(), description.into());
            }
        }
    }
    json_response(status, &value)
}

/// An RFC 6749 error code written somewhere in a body, in any case (`INVALID_CLIENT`).
fn rfc_code_in(value: &serde_json::Value, depth: usize) -> Option<String> {
    use crate::oauth::ErrorCode;
    match value {
        serde_json::Value::String(s) => match ErrorCode::from(s.to_ascii_lowercase().as_str()) {
            ErrorCode::Other(_) => None,
            known => Some(known.as_str().to_string()),
        },
        serde_json::Value::Array(items) if depth < 4 => items.iter().find_map(|v| rfc_code_in(v, depth + 1)),
        serde_json::Value::Object(map) if depth < 4 => map.values().find_map(|v| rfc_code_in(v, depth + 1)),
        _ => None,
    }
}

/// The RFC 6749 code that fits a status.
fn fallback_code(status: u16) -> &'static str {
    match status {
        401 => "invalid_client",
        429 | 503 => "temporarily_unavailable",
        500..=599 => "server_error",
        _ => "invalid_request",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn oauth_errors_gain_the_rfc_members() {
        let nutanix = serde_json::json!({"code": 401, "message_list": [{"message": "wrong secret", "reason": "INVALID_CLIENT"}]});
        let v = body(oauth_error_response(401, &nutanix, None, None)).await;
        assert_eq!((v["error"].as_str(), v["error_description"].as_str()), (Some("invalid_client"), Some("wrong secret")));
        assert_eq!(v["code"], 401, "the API's own members stay");
        let v = body(oauth_error_response(400, &serde_json::json!({"errors": []}), Some("invalid_grant"), Some("revoked"))).await;
        assert_eq!((v["error"].as_str(), v["error_description"].as_str()), (Some("invalid_grant"), Some("revoked")));
        let v = body(oauth_error_response(503, &serde_json::json!({}), None, None)).await;
        assert_eq!(v["error"].as_str(), Some("temporarily_unavailable"));
        let own = serde_json::json!({"error": "invalid_scope", "error_description": "no"});
        assert_eq!(body(oauth_error_response(400, &own, Some("invalid_request"), None)).await, own, "an RFC body stays as it is");
    }
}
