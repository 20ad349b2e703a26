//! [`Request`]: what a generated method sends, kept as data so that authentication can be
//! applied per attempt and the request resent on retry.

use serde::Serialize;

use super::error::EncodeError;
use crate::ParamValue;

/// A request body, encoded.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// An `application/x-www-form-urlencoded` body, encoded.
    Form(String),
    /// `multipart/form-data` text parts.
    Multipart(Vec<(String, String)>),
    /// Any other encoding: its media type and bytes (JSON, text, binary).
    Bytes {
        /// The `Content-Type`.
        media_type: String,
        /// The encoded body (cheap to clone for another attempt).
        bytes: bytes::Bytes,
    },
}

impl Body {
    /// Edits the form or multipart fields (client authentication); `false` when the body has
    /// none.
    pub(super) fn edit_fields(&mut self, edit: impl FnOnce(&mut Vec<(String, String)>)) -> bool {
        match self {
            Body::Form(encoded) => {
                let mut fields: Vec<(String, String)> = serde_urlencoded::from_str(encoded).unwrap_or_default();
                edit(&mut fields);
                *encoded = serde_urlencoded::to_string(&fields).unwrap_or_default();
                true
            }
            Body::Multipart(fields) => {
                edit(fields);
                true
            }
            _ => false,
        }
    }
}

/// A request to send: method, URL, parameters and body. `Debug` leaves out values.
#[derive(Clone)]
pub struct Request {
    pub(super) method: reqwest::Method,
    pub(super) url: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) cookies: Vec<String>,
    pub(super) body: Body,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("query", &self.query.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request without parameters or body.
    pub fn new(method: reqwest::Method, url: String) -> Self {
        Request { method, url, query: Vec::new(), headers: Vec::new(), cookies: Vec::new(), body: Body::Empty }
    }

    /// The method.
    pub fn method(&self) -> &reqwest::Method {
        &self.method
    }

    /// The URL, without the query.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// A form or multipart field of the body.
    pub fn form_field(&self, name: &str) -> Option<String> {
        match &self.body {
            Body::Form(encoded) => serde_urlencoded::from_str::<Vec<(String, String)>>(encoded).ok()?.into_iter().find(|(k, _)| k == name).map(|(_, v)| v),
            Body::Multipart(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// Adds a query parameter (when `value` is not `None`).
    pub fn query<'a, V: ParamValue + 'a>(&mut self, name: &str, value: impl Into<Option<&'a V>>) {
        if let Some(value) = value.into() {
            self.query.push((name.to_string(), value.to_param()));
        }
    }

    /// Adds an array query parameter (when `values` is not `None`): repeated (`explode`) or
    /// comma-separated.
    pub fn query_list<'a, V: ParamValue + 'a>(&mut self, name: &str, values: impl Into<Option<&'a [V]>>, explode: bool) {
        let Some(values) = values.into() else { return };
        if explode {
            self.query.extend(values.iter().map(|v| (name.to_string(), v.to_param())));
        } else {
            self.query.push((name.to_string(), join(values)));
        }
    }

    /// Adds an object query parameter: its properties as `key=value` (`style: form`) or
    /// `name[key]=value` (`style: deepObject`); nested objects add `[key]`, arrays repeat.
    ///
    /// # Errors
    ///
    /// When the value does not serialize.
    pub fn query_object<'a, T: Serialize + 'a>(&mut self, name: &str, value: impl Into<Option<&'a T>>, deep: bool) -> Result<(), EncodeError> {
        let Some(value) = value.into() else { return Ok(()) };
        let value = serde_json::to_value(value).map_err(|e| EncodeError(e.to_string()))?;
        match (&value, deep) {
            (serde_json::Value::Object(_), false) => flatten(String::new(), &value, &mut self.query),
            _ => flatten(name.to_string(), &value, &mut self.query),
        }
        Ok(())
    }

    /// Adds a header parameter (when `value` is not `None`).
    pub fn header<'a, V: ParamValue + 'a>(&mut self, name: &str, value: impl Into<Option<&'a V>>) {
        if let Some(value) = value.into() {
            self.headers.push((name.to_string(), value.to_param()));
        }
    }

    /// Adds an array header parameter (comma-separated; when `values` is not `None`).
    pub fn header_list<'a, V: ParamValue + 'a>(&mut self, name: &str, values: impl Into<Option<&'a [V]>>) {
        if let Some(values) = values.into() {
            self.headers.push((name.to_string(), join(values)));
        }
    }

    /// Adds a cookie parameter (when `value` is not `None`).
    pub fn cookie<'a, V: ParamValue + 'a>(&mut self, name: &str, value: impl Into<Option<&'a V>>) {
        if let Some(value) = value.into() {
            self.cookies.push(format!("{name}={}", value.to_param()));
        }
    }

    /// Adds an array cookie parameter (comma-separated; when `values` is not `None`).
    pub fn cookie_list<'a, V: ParamValue + 'a>(&mut self, name: &str, values: impl Into<Option<&'a [V]>>) {
        if let Some(values) = values.into() {
            self.cookies.push(format!("{name}={}", join(values)));
        }
    }

    /// A JSON body with the given media type (none when `body` is `None`).
    ///
    /// # Errors
    ///
    /// When the value does not serialize.
    pub fn json<'a, T: Serialize + ?Sized + 'a>(&mut self, body: impl Into<Option<&'a T>>, media_type: &str) -> Result<(), EncodeError> {
        let Some(body) = body.into() else { return Ok(()) };
        let bytes = serde_json::to_vec(body).map_err(|e| EncodeError(e.to_string()))?;
        self.body = Body::Bytes { media_type: media_type.to_string(), bytes: bytes.into() };
        Ok(())
    }

    /// An `application/x-www-form-urlencoded` body (none when `body` is `None`).
    ///
    /// # Errors
    ///
    /// When the value is not a flat object of scalars.
    pub fn form<'a, T: Serialize + ?Sized + 'a>(&mut self, body: impl Into<Option<&'a T>>) -> Result<(), EncodeError> {
        let Some(body) = body.into() else { return Ok(()) };
        let encoded = serde_urlencoded::to_string(body).map_err(|e| EncodeError(format!("a form body must be a flat object: {e}")))?;
        self.body = Body::Form(encoded);
        Ok(())
    }

    /// A `multipart/form-data` body: one text part per property (arrays repeat the part,
    /// objects are sent as JSON; none when `body` is `None`).
    ///
    /// # Errors
    ///
    /// When the value is not an object.
    pub fn multipart<'a, T: Serialize + ?Sized + 'a>(&mut self, body: impl Into<Option<&'a T>>) -> Result<(), EncodeError> {
        let Some(body) = body.into() else { return Ok(()) };
        let value = serde_json::to_value(body).map_err(|e| EncodeError(e.to_string()))?;
        let serde_json::Value::Object(map) = value else {
            return Err(EncodeError("a multipart body must be an object".to_string()));
        };
        let mut fields = Vec::new();
        for (name, value) in map {
            let items = match value {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            for item in items {
                match item {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => fields.push((name.clone(), s)),
                    other => fields.push((name.clone(), other.to_string())),
                }
            }
        }
        self.body = Body::Multipart(fields);
        Ok(())
    }

    /// A text or binary body with its media type.
    pub fn bytes(&mut self, media_type: &str, bytes: Vec<u8>) {
        self.body = Body::Bytes { media_type: media_type.to_string(), bytes: bytes.into() };
    }

}

fn join<V: ParamValue>(values: &[V]) -> String {
    values.iter().map(ParamValue::to_param).collect::<Vec<_>>().join(",")
}

fn flatten(key: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                flatten(if key.is_empty() { k.clone() } else { format!("{key}[{k}]") }, v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                flatten(key.clone(), item, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => out.push((key, s.clone())),
        other => out.push((key, other.to_string())),
    }
}

/// Percent-encodes a path parameter value (everything but RFC 3986 unreserved characters).
pub fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(byte)),
            other => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(other >> 4)]));
                out.push(char::from(HEX[usize::from(other & 15)]));
            }
        }
    }
    out
}

/// A path parameter's text: one value, or an array joined by commas (`style: simple`).
pub fn path_value<V: ParamValue>(values: &[V]) -> String {
    encode_path(&join(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Filter {
        name: &'static str,
        tags: Vec<&'static str>,
        inner: Inner,
        none: Option<u8>,
    }

    #[derive(Serialize)]
    struct Inner {
        a: u8,
    }

    fn filter() -> Filter {
        Filter { name: "x y", tags: vec!["a", "b"], inner: Inner { a: 1 }, none: None }
    }

    #[test]
    fn object_parameters_flatten_by_style() {
        let mut r = Request::new(reqwest::Method::GET, "u".into());
        r.query_object("f", &filter(), true).unwrap();
        let pairs: Vec<(&str, &str)> = r.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("f[name]", "x y"), ("f[tags]", "a"), ("f[tags]", "b"), ("f[inner][a]", "1")]);
        let mut r = Request::new(reqwest::Method::GET, "u".into());
        r.query_object("f", &filter(), false).unwrap();
        assert_eq!(r.query[0], ("name".to_string(), "x y".to_string()));
    }

    #[test]
    fn absent_values_add_nothing() {
        let mut r = Request::new(reqwest::Method::POST, "u".into());
        let (limit, cursor): (u32, Option<String>) = (10, None);
        r.query("limit", &limit);
        r.query("cursor", cursor.as_ref());
        r.header("x-cursor", cursor.as_ref());
        r.cookie("c", Some(&limit));
        r.form(None::<&Filter>).unwrap();
        r.query_list("tags", None::<&[u32]>, true);
        r.query_object("f", None::<&Filter>, true).unwrap();
        assert_eq!(r.query, [("limit".to_string(), "10".to_string())]);
        assert!(r.headers.is_empty());
        assert_eq!(r.cookies, ["c=10"]);
        assert_eq!(r.body(), &Body::Empty);
    }

    #[test]
    fn bodies_encode() {
        let mut r = Request::new(reqwest::Method::POST, "u".into());
        r.multipart(&filter()).unwrap();
        assert_eq!(r.form_field("inner").as_deref(), Some(r#"{"a":1}"#));
        r.form(&[("grant_type", "password"), ("scope", "a b")]).unwrap();
        assert_eq!(r.form_field("scope").as_deref(), Some("a b"));
        assert_eq!(r.body(), &Body::Form("grant_type=password&scope=a+b".to_string()));
        assert!(r.body.edit_fields(|f| f.push(("client_id".into(), "x y".into()))));
        assert_eq!(r.body(), &Body::Form("grant_type=password&scope=a+b&client_id=x+y".to_string()));
        assert!(r.form(&filter()).is_err());
        assert_eq!(encode_path("a/b c~"), "a%2Fb%20c~");
        assert_eq!(path_value(&[1, 2]), "1%2C2");
    }
}
