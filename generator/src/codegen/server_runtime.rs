//! Private helpers of the generated `server` module. Each is emitted only when an operation
//! of the API uses it, so generated code has no dead code.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{BodyKind, Operation, ParamLocation, StatusMatch, TypeRef};

pub fn helpers(
    ops: &[&Operation],
    any_basic: bool,
    any_client_auth: bool,
    any_single_client_auth: bool,
    any_api_key: bool,
    enforce: bool,
) -> TokenStream {
    let params = || ops.iter().flat_map(|op| op.params.iter());
    let has_loc = |l: ParamLocation| params().any(|p| p.location == l);
    let uses_path = has_loc(ParamLocation::Path);
    let uses_query = has_loc(ParamLocation::Query);
    let uses_header = has_loc(ParamLocation::Header);
    let uses_cookie = has_loc(ParamLocation::Cookie) || any_api_key;
    let uses_list = params().any(|p| p.object.is_none() && matches!(p.ty, TypeRef::Array(_)));
    let uses_one = params().any(|p| p.object.is_none() && !matches!(p.ty, TypeRef::Array(_)));
    let uses_object = params().any(|p| p.object.is_some());
    let uses_required = params().any(|p| p.required);
    let body_kind = |k: BodyKind| {
        ops.iter().any(|op| {
            op.body.as_ref().is_some_and(|b| {
                b.kind == k
                    || (matches!(b.kind, BodyKind::Json | BodyKind::Form | BodyKind::Multipart)
                        && matches!(k, BodyKind::Json | BodyKind::Form | BodyKind::Multipart)
                        && b.media_types.iter().any(|m| crate::ir::body_kind(m) == k))
            })
        })
    };
    let (json_body, form_body, multipart_body, text_body) =
        (body_kind(BodyKind::Json), body_kind(BodyKind::Form), body_kind(BodyKind::Multipart), body_kind(BodyKind::Text));
    let any_body = ops.iter().any(|op| op.body.is_some());
    let response_kind = |f: &dyn Fn(Option<BodyKind>) -> bool| ops.iter().any(|op| op.responses.iter().any(|r| f(r.body.as_ref().map(|b| b.kind))));
    let text_response = response_kind(&|k| k == Some(BodyKind::Text));
    let bytes_response = response_kind(&|k| k == Some(BodyKind::Binary));
    let empty_response = response_kind(&|k| k.is_none());
    let response_headers = ops.iter().any(|op| op.responses.iter().any(|r| !r.headers.is_empty()));
    let ranges = ops.iter().any(|op| op.responses.iter().any(|r| matches!(r.status, StatusMatch::Range(_))));
    let any_auth = any_basic || ops.iter().any(|op| !op.security.is_empty());
    let token_both = ops.iter().any(|op| op.token_endpoint);
    let uses_title = true;

    let path = uses_path.then(|| quote! {
        async fn path_params(parts: &mut axum::http::request::Parts) -> Result<Vec<String>, Rejection> {
            let params = <axum::extract::RawPathParams as axum::extract::FromRequestParts<()>>::from_request_parts(parts, &())
                .await
                .map_err(|e| Rejection::bad_request("invalid_request", e.body_text()))?;
            Ok(params.iter().map(|(_, value)| value.to_string()).collect())
        }

        /// The path parameter at `index` (in path order), as the values of a parameter.
        fn path_value(path: &[String], index: usize) -> Vec<&str> {
            path.get(index).map(String::as_str).into_iter().collect()
        }
    });
    let query = uses_query.then(|| quote! {
        fn query_pairs(parts: &axum::http::request::Parts) -> Vec<(String, String)> {
            parts.uri.query().and_then(|q| serde_urlencoded::from_str(q).ok()).unwrap_or_default()
        }

        fn query_values<'a>(query: &'a [(String, String)], name: &str) -> Vec<&'a str> {
            query.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
        }
    });
    let header = uses_header.then(|| quote! {
        fn header_values<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Result<Vec<&'a str>, Rejection> {
            headers
                .get_all(name)
                .iter()
                .map(|v| v.to_str().map_err(|_| Rejection::bad_request("invalid_request", format!("header `{name}` is not visible ASCII"))))
                .collect()
        }
    });
    let cookie = uses_cookie.then(|| quote! {
        fn cookie_values<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Vec<&'a str> {
            headers
                .get_all(axum::http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v)
                .collect()
        }
    });
    let one = uses_one.then(|| quote! {
        fn param_one<T: ParamValue>(values: Vec<&str>, name: &str, location: &str) -> Result<Option<T>, Rejection> {
            match values.as_slice() {
                [] => Ok(None),
                [value] => T::from_param(value)
                    .map(Some)
                    .map_err(|e| Rejection::bad_request("invalid_request", format!("{location} parameter `{name}`: {e}"))),
                _ => Err(Rejection::bad_request("invalid_request", format!("{location} parameter `{name}` is given more than once"))),
            }
        }
    });
    let list = uses_list.then(|| quote! {
        fn param_list<T: ParamValue>(values: Vec<&str>, name: &str, location: &str, split: bool) -> Result<Option<Vec<T>>, Rejection> {
            if values.is_empty() {
                return Ok(None);
            }
            let items: Vec<&str> = if split { values.iter().flat_map(|v| v.split(',')).collect() } else { values };
            items
                .into_iter()
                .map(|item| T::from_param(item).map_err(|e| Rejection::bad_request("invalid_request", format!("{location} parameter `{name}`: {e}"))))
                .collect::<Result<Vec<T>, _>>()
                .map(Some)
        }
    });
    let object = uses_object.then(|| quote! {
        /// An object query parameter: its properties as top-level keys (`style: form`) or as
        /// `name[key]` (`style: deepObject`).
        fn object_param<T: serde::de::DeserializeOwned>(query: &[(String, String)], name: &str, deep: bool) -> Result<Option<T>, Rejection> {
            let pairs: Vec<(String, String)> = if deep {
                let prefix = format!("{name}[");
                query
                    .iter()
                    .filter_map(|(k, v)| k.strip_prefix(&prefix)?.strip_suffix(']').map(|inner| (inner.to_string(), v.clone())))
                    .collect()
            } else {
                query.to_vec()
            };
            if pairs.is_empty() {
                return Ok(None);
            }
            let encoded = serde_urlencoded::to_string(&pairs).map_err(|e| Rejection::bad_request("invalid_request", e.to_string()))?;
            serde_urlencoded::from_str(&encoded)
                .map(Some)
                .map_err(|e| Rejection::bad_request("invalid_request", format!("query parameter `{name}`: {e}")))
        }
    });
    let required = uses_required.then(|| quote! {
        fn required<T>(value: Option<T>, name: &str, location: &str) -> Result<T, Rejection> {
            value.ok_or_else(|| Rejection::bad_request("invalid_request", format!("missing required {location} parameter `{name}`")))
        }
    });
    let form_decode = any_client_auth.then(|| quote! {
        /// Undoes `application/x-www-form-urlencoded` encoding (RFC 6749 §2.3.1).
        fn form_decode(text: &str) -> Option<String> {
            let mut bytes = Vec::with_capacity(text.len());
            let mut input = text.bytes();
            while let Some(b) = input.next() {
                match b {
                    b'+' => bytes.push(b' '),
                    b'%' => {
                        let hi = char::from(input.next()?).to_digit(16)?;
                        let lo = char::from(input.next()?).to_digit(16)?;
                        bytes.push(u8::try_from(hi * 16 + lo).ok()?);
                    }
                    other => bytes.push(other),
                }
            }
            String::from_utf8(bytes).ok()
        }
    });
    let single_client_auth = any_single_client_auth.then(|| quote! {
        /// RFC 6749 §2.3: a client uses one authentication method per request, so client
        /// credentials may come as HTTP Basic or in the body, not both.
        fn single_client_auth(credentials: Option<&Credentials>, fields: &[(String, String)]) -> Result<(), Rejection> {
            let in_body = fields.iter().any(|(k, v)| (k == "client_id" || k == "client_secret") && !v.is_empty());
            if in_body && matches!(credentials, Some(Credentials::Basic { .. })) {
                return Err(Rejection::bad_request(
                    "invalid_request",
                    "client credentials came both in the Authorization header and in the body (RFC 6749 §2.3)".to_string(),
                ));
            }
            Ok(())
        }
    });
    let basic_arm = any_basic.then(|| {
        let decode = if any_client_auth {
            quote! {
                let (username, password) = if accepts.client_auth {
                    (form_decode(username).ok_or_else(malformed)?, form_decode(password).ok_or_else(malformed)?)
                } else {
                    (username.to_string(), password.to_string())
                };
            }
        } else {
            quote! { let (username, password) = (username.to_string(), password.to_string()); }
        };
        quote! {
            if accepts.basic && scheme.eq_ignore_ascii_case("basic") {
                let malformed = || Rejection::unauthorized_because("Basic", "malformed Basic credentials");
                let raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, rest.trim()).map_err(|_| malformed())?;
                let text = String::from_utf8(raw).map_err(|_| malformed())?;
                let (username, password) = text.split_once(':').ok_or_else(malformed)?;
                #decode
                return Ok(Some(Credentials::Basic { username, password }));
            }
        }
    });
    let api_key_lookup = any_api_key.then(|| quote! {
        for (location, name) in accepts.api_keys {
            let value = match *location {
                "query" => parts
                    .uri
                    .query()
                    .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
                    .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)),
                "cookie" => cookie_values(&parts.headers, name).first().map(|v| v.to_string()),
                _ => parts.headers.get(*name).and_then(|v| v.to_str().ok()).map(str::to_string),
            };
            if let Some(value) = value {
                return Ok(Some(Credentials::ApiKey(value)));
            }
        }
    });
    let credentials = any_auth.then(|| quote! {
        /// The kinds of credentials an operation accepts.
        #[allow(dead_code)]
        struct Accepts {
            /// HTTP Basic.
            basic: bool,
            /// Bearer tokens.
            bearer: bool,
            /// Basic credentials are OAuth client credentials, form-encoded (RFC 6749 §2.3.1).
            client_auth: bool,
            /// API keys: `(location, name)`.
            api_keys: &'static [(&'static str, &'static str)],
        }

        /// The request's credentials of the accepted kinds; an `Authorization` header of an
        /// accepted kind that does not decode gets `401`.
        fn credentials(parts: &axum::http::request::Parts, accepts: &Accepts) -> Result<Option<Credentials>, Rejection> {
            if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
                let value = value.to_str().map_err(|_| Rejection::unauthorized_because("Basic", "malformed Authorization header"))?;
                let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
                #basic_arm
                if accepts.bearer && scheme.eq_ignore_ascii_case("bearer") {
                    let token = rest.trim();
                    if token.is_empty() {
                        return Err(Rejection::unauthorized_because("Bearer", "empty Bearer token"));
                    }
                    return Ok(Some(Credentials::Bearer(token.to_string())));
                }
            }
            #api_key_lookup
            Ok(None)
        }
    });
    let body = any_body.then(|| quote! {
        async fn read_body(body: axum::body::Body, limit: usize) -> Result<axum::body::Bytes, Rejection> {
            axum::body::to_bytes(body, limit).await.map_err(|_| Rejection {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: "invalid_request",
                message: format!("the request body is larger than {limit} bytes or could not be read"),
                challenge: None,
            })
        }

        /// The media type of the request, lower-cased, without parameters.
        fn media_type(headers: &axum::http::HeaderMap) -> String {
            headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .map(|v| v.trim().to_ascii_lowercase())
                .unwrap_or_default()
        }

        fn unsupported(expected: &str, got: &str) -> Rejection {
            Rejection {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "invalid_request",
                message: format!("expected a `{expected}` body, got `{got}`"),
                challenge: None,
            }
        }
    });
    let json = json_body.then(|| quote! {
        fn decode_json<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, bytes: &[u8]) -> Result<(T, Vec<(String, String)>), Rejection> {
            let media = media_type(headers);
            if media != "application/json" && !media.ends_with("+json") {
                return Err(unsupported("application/json", &media));
            }
            serde_json::from_slice(bytes)
                .map(|value| (value, Vec::new()))
                .map_err(|e| Rejection::bad_request("invalid_request", format!("invalid JSON body: {e}")))
        }
    });
    let pairs = (form_body || multipart_body).then(|| quote! {
        /// Decodes form fields into `T`. On a token endpoint, `grant_types` lists the grants it
        /// knows: another one gets `unsupported_grant_type` (RFC 6749 §5.2).
        fn decode_pairs<T: serde::de::DeserializeOwned>(pairs: Vec<(String, String)>, grant_types: &[&str]) -> Result<(T, Vec<(String, String)>), Rejection> {
            if let Some((_, grant)) = pairs.iter().find(|(k, _)| k == "grant_type") {
                if !grant_types.is_empty() && !grant_types.contains(&grant.as_str()) {
                    return Err(Rejection::bad_request("unsupported_grant_type", format!("grant type `{grant}` is not supported")));
                }
            }
            let encoded = serde_urlencoded::to_string(&pairs).map_err(|e| Rejection::bad_request("invalid_request", e.to_string()))?;
            serde_urlencoded::from_str(&encoded)
                .map(|value| (value, pairs))
                .map_err(|e| Rejection::bad_request("invalid_request", format!("invalid form body: {e}")))
        }
    });
    let form = form_body.then(|| quote! {
        fn decode_form<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, bytes: &[u8], grant_types: &[&str]) -> Result<(T, Vec<(String, String)>), Rejection> {
            let media = media_type(headers);
            if media != "application/x-www-form-urlencoded" {
                return Err(unsupported("application/x-www-form-urlencoded", &media));
            }
            let text = std::str::from_utf8(bytes).map_err(|_| Rejection::bad_request("invalid_request", "the body is not valid UTF-8".to_string()))?;
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(text).map_err(|e| Rejection::bad_request("invalid_request", e.to_string()))?;
            if let Some((name, _)) = pairs.iter().enumerate().find(|(i, (k, _))| pairs[..*i].iter().any(|(j, _)| j == k)).map(|(_, p)| p) {
                return Err(Rejection::bad_request("invalid_request", format!("form field `{name}` is given more than once")));
            }
            decode_pairs(pairs, grant_types)
        }
    });
    let multipart = multipart_body.then(|| quote! {
        async fn decode_multipart<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, bytes: axum::body::Bytes, grant_types: &[&str]) -> Result<(T, Vec<(String, String)>), Rejection> {
            let media = media_type(headers);
            if media != "multipart/form-data" {
                return Err(unsupported("multipart/form-data", &media));
            }
            let bad = |e: String| Rejection::bad_request("invalid_request", format!("invalid multipart body: {e}"));
            let mut request = axum::extract::Request::new(axum::body::Body::from(bytes));
            if let Some(content_type) = headers.get(axum::http::header::CONTENT_TYPE) {
                request.headers_mut().insert(axum::http::header::CONTENT_TYPE, content_type.clone());
            }
            let mut multipart = <axum::extract::Multipart as axum::extract::FromRequest<()>>::from_request(request, &())
                .await
                .map_err(|e| bad(e.body_text()))?;
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
    });
    let text = text_body.then(|| quote! {
        fn decode_text(headers: &axum::http::HeaderMap, bytes: &[u8]) -> Result<String, Rejection> {
            let _ = media_type(headers);
            String::from_utf8(bytes.to_vec()).map_err(|_| Rejection::bad_request("invalid_request", "the body is not valid UTF-8".to_string()))
        }
    });
    let text_resp = text_response.then(|| quote! {
        fn text_response(status: u16, text: String) -> Response {
            let mut response = Response::new(axum::body::Body::from(text));
            *response.status_mut() = status_code(status, 500);
            response.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("text/plain; charset=utf-8"));
            response
        }
    });
    let bytes_resp = bytes_response.then(|| quote! {
        fn bytes_response(status: u16, bytes: Vec<u8>) -> Response {
            let mut response = Response::new(axum::body::Body::from(bytes));
            *response.status_mut() = status_code(status, 500);
            response.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/octet-stream"));
            response
        }
    });
    let empty_resp = empty_response.then(|| quote! {
        fn empty_response(status: u16) -> Response {
            let mut response = Response::new(axum::body::Body::empty());
            *response.status_mut() = status_code(status, 500);
            response
        }
    });
    let insert = response_headers.then(|| quote! {
        /// Adds a declared response header; a value that is not a valid header is left out.
        fn insert_header(response: &mut Response, name: &'static str, value: String) {
            if let Ok(value) = axum::http::HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
    });
    let range = ranges.then(|| quote! {
        /// `status` when it lies in `digit`XX, else `fallback`.
        fn status_in_range(status: u16, digit: u16, fallback: u16) -> u16 {
            if status / 100 == digit { status } else { fallback }
        }
    });
    let unauthorized = enforce.then(|| quote! {
        fn unauthorized(challenge: &'static str) -> Self {
            Rejection {
                status: StatusCode::UNAUTHORIZED,
                code: "invalid_client",
                message: "missing credentials".to_string(),
                challenge: Some(challenge),
            }
        }
    });
    let unauthorized_because = any_auth.then(|| quote! {
        fn unauthorized_because(challenge: &'static str, message: &str) -> Self {
            Rejection {
                status: StatusCode::UNAUTHORIZED,
                code: "invalid_client",
                message: message.to_string(),
                challenge: Some(challenge),
            }
        }
    });
    let bad_request_used = uses_path || uses_header || uses_one || uses_list || uses_required || json_body || form_body || multipart_body || text_body || token_both || any_body;
    let bad_request = bad_request_used.then(|| quote! {
        fn bad_request(code: &'static str, message: String) -> Self {
            Rejection { status: StatusCode::BAD_REQUEST, code, message, challenge: None }
        }
    });
    let title = uses_title.then(|| quote! {
        #[allow(dead_code)]
        fn reason_phrase(status: u16) -> &'static str {
            StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error")
        }
    });
    quote! {
        /// Why a request did not reach the implementation.
        struct Rejection {
            status: StatusCode,
            code: &'static str,
            message: String,
            challenge: Option<&'static str>,
        }

        impl Rejection {
            #bad_request
            #unauthorized
            #unauthorized_because

            fn into_response(self, error_body: fn(StatusCode, &str, &str) -> Response) -> Response {
                let mut response = error_body(self.status, self.code, &self.message);
                if let Some(challenge) = self.challenge {
                    if let Ok(value) = axum::http::HeaderValue::from_str(challenge) {
                        response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, value);
                    }
                }
                response
            }
        }

        /// `405` for a method the path does not have.
        fn method_not_allowed(error_body: fn(StatusCode, &str, &str) -> Response) -> Response {
            error_body(StatusCode::METHOD_NOT_ALLOWED, "invalid_request", "the method is not allowed on this path")
        }

        fn status_code(status: u16, fallback: u16) -> StatusCode {
            StatusCode::from_u16(status).or_else(|_| StatusCode::from_u16(fallback)).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }

        fn json_response<T: serde::Serialize>(status: u16, body: &T) -> Response {
            let (status, bytes) = match serde_json::to_vec(body) {
                Ok(bytes) => (status_code(status, 500), bytes),
                Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, b"{}".to_vec()),
            };
            let mut response = Response::new(axum::body::Body::from(bytes));
            *response.status_mut() = status;
            response.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
            response
        }

        #title
        #path
        #query
        #header
        #cookie
        #one
        #list
        #object
        #required
        #form_decode
        #single_client_auth
        #credentials
        #body
        #json
        #pairs
        #form
        #multipart
        #text
        #text_resp
        #bytes_resp
        #empty_resp
        #insert
        #range
    }
}
