//! Request bodies: size limit, media types, JSON, form, multipart and text decoding.

use axum::http::{HeaderMap, StatusCode};

use super::form::Field;
use super::rejection::Rejection;

/// The fields of a form or multipart body, as sent (empty for other encodings); a form's
/// borrow its text.
pub type Fields<'a> = Vec<Field<'a>>;

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
    sent_media_type(headers).to_ascii_lowercase()
}

/// The media type of the request without parameters, in the case it was sent.
fn sent_media_type(headers: &HeaderMap) -> &str {
    headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).map(str::trim).unwrap_or_default()
}

/// `415` for a body of media type `got` (as sent) where `expected` was.
fn unsupported(expected: &str, got: &str) -> Rejection {
    let got = got.to_ascii_lowercase();
    Rejection::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request", format!("expected a `{expected}` body, got `{got}`"))
}

/// A JSON body (`application/json` or `…+json`).
///
/// # Errors
///
/// `415` for another media type, `400` for JSON that is not a valid `T`.
pub fn decode_json<'a, T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<(T, Fields<'a>), Rejection> {
    let media = sent_media_type(headers);
    let suffix = media.len().checked_sub(5).map(|start| &media.as_bytes()[start..]);
    if !media.eq_ignore_ascii_case("application/json") && !suffix.is_some_and(|s| s.eq_ignore_ascii_case(b"+json")) {
        return Err(unsupported("application/json", media));
    }
    serde_json::from_slice(bytes).map(|value| (value, Vec::new())).map_err(|e| Rejection::bad_request("invalid_request", format!("invalid JSON body: {e}")))
}

/// A JSON body whose schema is an object: [`decode_json`], and a value that is not a JSON
/// object is refused (serde would read an array into a struct, field by field).
///
/// # Errors
///
/// As [`decode_json`]; `400` for a value that is not an object.
pub fn decode_json_object<'a, T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<(T, Fields<'a>), Rejection> {
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
pub fn decode_pairs<'a, T: serde::de::DeserializeOwned>(pairs: Fields<'a>, grant_types: &[&str]) -> Result<(T, Fields<'a>), Rejection> {
    check_grant_type(&pairs, grant_types)?;
    match super::form::from_fields(&pairs) {
        Ok(value) => Ok((value, pairs)),
        Err(e) => Err(Rejection::bad_request("invalid_request", format!("invalid form body: {e}"))),
    }
}

/// A token endpoint's `grant_type` check (none when `grant_types` is empty).
fn check_grant_type(pairs: &[Field<'_>], grant_types: &[&str]) -> Result<(), Rejection> {
    match pairs.iter().find(|(k, _)| k == "grant_type") {
        Some((_, grant)) if !grant_types.is_empty() && !grant_types.contains(&grant.as_ref()) => {
            Err(Rejection::bad_request("unsupported_grant_type", format!("grant type `{grant}` is not supported")))
        }
        None if !grant_types.is_empty() => Err(Rejection::bad_request("invalid_request", "missing `grant_type` (RFC 6749 §3.2)")),
        _ => Ok(()),
    }
}

/// An `application/x-www-form-urlencoded` body; each field at most once (RFC 6749 §3.2).
///
/// # Errors
///
/// `415` for another media type, `400` for a broken body, a repeated field or fields that do
/// not make a valid `T`.
pub fn decode_form<'a, T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &'a [u8], grant_types: &[&str]) -> Result<(T, Fields<'a>), Rejection> {
    let media = sent_media_type(headers);
    if !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(unsupported("application/x-www-form-urlencoded", media));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Rejection::bad_request("invalid_request", "the body is not valid UTF-8"))?;
    let pairs = super::form::parse(text);
    if let Some((name, _)) = pairs.iter().enumerate().find(|(i, (k, _))| pairs[..*i].iter().any(|(j, _)| j == k)).map(|(_, p)| p) {
        return Err(Rejection::bad_request("invalid_request", format!("form field `{name}` is given more than once")));
    }
    decode_pairs(pairs, grant_types)
}

/// A `multipart/form-data` body of text parts, each named once (RFC 7578 §4.2).
///
/// # Errors
///
/// `415` for another media type, `400` for a broken body, an unnamed or repeated part or
/// parts that do not make a valid `T`.
pub async fn decode_multipart<T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: axum::body::Bytes, grant_types: &[&str]) -> Result<(T, Fields<'static>), Rejection> {
    let media = sent_media_type(headers);
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return Err(unsupported("multipart/form-data", media));
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
        if pairs.iter().any(|(k, _): &Field<'_>| *k == name) {
            return Err(bad(format!("field `{name}` is given more than once")));
        }
        let text = field.text().await.map_err(|e| bad(e.body_text()))?;
        pairs.push((name.into(), text.into()));
    }
    decode_pairs(pairs, grant_types)
}

/// A text body.
///
/// # Errors
///
/// `400` when it is not UTF-8.
pub fn decode_text<'a>(bytes: &[u8]) -> Result<(String, Fields<'a>), Rejection> {
    String::from_utf8(bytes.to_vec()).map(|text| (text, Vec::new())).map_err(|_| Rejection::bad_request("invalid_request", "the body is not valid UTF-8"))
}

#[cfg(test)]
mod tests {
    use axum::http::{header, HeaderValue};

    use super::*;

    fn typed(content_type: &'static str) -> HeaderMap {
        HeaderMap::from_iter([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))])
    }

    #[test]
    fn media_types_match_in_any_case_without_parameters() {
        let form = |content_type| decode_form::<Vec<(String, String)>>(&typed(content_type), b"a=1", &[]).map(|(value, _)| value);
        assert_eq!(form(" Application/X-WWW-Form-Urlencoded ; charset=UTF-8").unwrap(), [("a".to_string(), "1".to_string())]);
        let refused = form("Text/Plain; charset=utf-8").unwrap_err();
        assert_eq!((refused.status, refused.message.as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected a `application/x-www-form-urlencoded` body, got `text/plain`"));
        let json = |content_type| decode_json::<u8>(&typed(content_type), b"1").map(|(value, _)| value).is_ok();
        assert!(json("APPLICATION/JSON") && json("application/Problem+JSON; charset=utf-8"));
        assert!(!json("json") && !json("application/jsonx") && !json("text/plain"));
        assert_eq!(media_type(&typed(" Multipart/Form-Data; boundary=x")), "multipart/form-data");
    }

    #[test]
    fn form_fields_come_once_and_name_a_known_grant() {
        let decode = |body: &'static str| decode_form::<Vec<(String, String)>>(&typed("application/x-www-form-urlencoded"), body.as_bytes(), &["client_credentials"]);
        let (_, fields) = decode("grant_type=client_credentials&scope=a%3Ab").unwrap();
        assert_eq!(fields, [("grant_type".into(), "client_credentials".into()), ("scope".into(), "a:b".into())]);
        for (body, code) in [
            ("grant_type=client_credentials&scope=a&scope=b", "invalid_request"),
            ("grant_type=client_credentials&grant%5Ftype=client_credentials", "invalid_request"),
            ("grant_type=password", "unsupported_grant_type"),
            ("scope=a", "invalid_request"),
        ] {
            let error = decode(body).unwrap_err();
            assert_eq!((error.status, error.code.as_ref()), (StatusCode::BAD_REQUEST, code), "{body}");
        }
    }
}
