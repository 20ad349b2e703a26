//! Request bodies: size limit, media types, JSON, form, multipart and text decoding.

use axum::http::{HeaderMap, StatusCode};

use super::rejection::Rejection;

/// The fields of a form or multipart body, as sent (empty for other encodings).
pub type Fields = Vec<(String, String)>;

/// The body, up to `limit` bytes.
///
/// # Errors
///
/// `413` when it is larger or cannot be read.
pub async fn read_body(body: axum::body::Body, limit: usize) -> Result<axum::body::Bytes, Rejection> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        Rejection::new(StatusCode::PAYLOAD_TOO_LARGE, "invalid_request", format!("the request body is larger than {limit} bytes or could not be read"))
    })
}

/// The media type of the request, lower-cased, without parameters.
pub fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn unsupported(expected: &str, got: &str) -> Rejection {
    Rejection::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request", format!("expected a `{expected}` body, got `{got}`"))
}

/// A JSON body (`application/json` or `…+json`).
///
/// # Errors
///
/// `415` for another media type, `400` for JSON that is not a valid `T`.
pub fn decode_json<T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<(T, Fields), Rejection> {
    let media = media_type(headers);
    if media != "application/json" && !media.ends_with("+json") {
        return Err(unsupported("application/json", &media));
    }
    serde_json::from_slice(bytes).map(|value| (value, Vec::new())).map_err(|e| Rejection::bad_request("invalid_request", format!("invalid JSON body: {e}")))
}

/// A JSON body whose schema is an object: [`decode_json`], and a value that is not a JSON
/// object is refused (serde would read an array into a struct, field by field).
///
/// # Errors
///
/// As [`decode_json`]; `400` for a value that is not an object.
pub fn decode_json_object<T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<(T, Fields), Rejection> {
    let decoded = decode_json(headers, bytes)?;
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(decoded),
        _ => Err(Rejection::bad_request("invalid_request", "invalid JSON body: expected an object")),
    }
}

/// Decodes form fields into `T`. On a token endpoint, `grant_types` lists the grants it
/// knows: `grant_type` is required (RFC 6749 §4.1.3, §4.3.2, §4.4.2, §6), and another grant
/// gets `unsupported_grant_type` (§5.2).
///
/// # Errors
///
/// `400` when the fields do not make a valid `T`.
pub fn decode_pairs<T: serde::de::DeserializeOwned>(pairs: Fields, grant_types: &[&str]) -> Result<(T, Fields), Rejection> {
    check_grant_type(&pairs, grant_types)?;
    let encoded = serde_urlencoded::to_string(&pairs).map_err(|e| Rejection::bad_request("invalid_request", e.to_string()))?;
    decode_urlencoded(&encoded).map(|value| (value, pairs))
}

/// A token endpoint's `grant_type` check (none when `grant_types` is empty).
fn check_grant_type(pairs: &Fields, grant_types: &[&str]) -> Result<(), Rejection> {
    match pairs.iter().find(|(k, _)| k == "grant_type") {
        Some((_, grant)) if !grant_types.is_empty() && !grant_types.contains(&grant.as_str()) => {
            Err(Rejection::bad_request("unsupported_grant_type", format!("grant type `{grant}` is not supported")))
        }
        None if !grant_types.is_empty() => Err(Rejection::bad_request("invalid_request", "missing `grant_type` (RFC 6749 §3.2)")),
        _ => Ok(()),
    }
}

fn decode_urlencoded<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Rejection> {
    serde_urlencoded::from_str(text).map_err(|e| Rejection::bad_request("invalid_request", format!("invalid form body: {e}")))
}

/// An `application/x-www-form-urlencoded` body; each field at most once (RFC 6749 §3.2).
///
/// # Errors
///
/// `415` for another media type, `400` for a broken body, a repeated field or fields that do
/// not make a valid `T`.
pub fn decode_form<T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &[u8], grant_types: &[&str]) -> Result<(T, Fields), Rejection> {
    let media = media_type(headers);
    if media != "application/x-www-form-urlencoded" {
        return Err(unsupported("application/x-www-form-urlencoded", &media));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Rejection::bad_request("invalid_request", "the body is not valid UTF-8"))?;
    let pairs: Fields = serde_urlencoded::from_str(text).map_err(|e| Rejection::bad_request("invalid_request", e.to_string()))?;
    if let Some((name, _)) = pairs.iter().enumerate().find(|(i, (k, _))| pairs[..*i].iter().any(|(j, _)| j == k)).map(|(_, p)| p) {
        return Err(Rejection::bad_request("invalid_request", format!("form field `{name}` is given more than once")));
    }
    check_grant_type(&pairs, grant_types)?;
    // The pairs come from this very text: `T` is read from it directly.
    decode_urlencoded(text).map(|value| (value, pairs))
}

/// A `multipart/form-data` body of text parts, each named once (RFC 7578 §4.2).
///
/// # Errors
///
/// `415` for another media type, `400` for a broken body, an unnamed or repeated part or
/// parts that do not make a valid `T`.
pub async fn decode_multipart<T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: axum::body::Bytes, grant_types: &[&str]) -> Result<(T, Fields), Rejection> {
    let media = media_type(headers);
    if media != "multipart/form-data" {
        return Err(unsupported("multipart/form-data", &media));
    }
    let bad = |e: String| Rejection::bad_request("invalid_request", format!("invalid multipart body: {e}"));
    let mut request = axum::extract::Request::new(axum::body::Body::from(bytes));
    if let Some(content_type) = headers.get(axum::http::header::CONTENT_TYPE) {
        request.headers_mut().insert(axum::http::header::CONTENT_TYPE, content_type.clone());
    }
    let mut multipart =
        <axum::extract::Multipart as axum::extract::FromRequest<()>>::from_request(request, &()).await.map_err(|e| bad(e.body_text()))?;
    let mut pairs = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| bad(e.body_text()))? {
        let Some(name) = field.name().map(str::to_string) else {
            return Err(bad("a part has no name (RFC 7578 §4.2)".to_string()));
        };
        if pairs.iter().any(|(k, _): &(String, String)| *k == name) {
            return Err(bad(format!("field `{name}` is given more than once")));
        }
        let text = field.text().await.map_err(|e| bad(e.body_text()))?;
        pairs.push((name, text));
    }
    decode_pairs(pairs, grant_types)
}

/// A text body.
///
/// # Errors
///
/// `400` when it is not UTF-8.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Fields), Rejection> {
    String::from_utf8(bytes.to_vec()).map(|text| (text, Vec::new())).map_err(|_| Rejection::bad_request("invalid_request", "the body is not valid UTF-8"))
}
