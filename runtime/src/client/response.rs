//! [`ResponseValue`] (a decoded response), [`ApiResult`] (what a method returns) and
//! [`RawResponse`] (a response as it came).

use std::borrow::Cow;
use std::fmt;

use reqwest::header::HeaderMap;

use super::error::{ApiError, Error};
use crate::ParamValue;

/// What a generated client method returns: the decoded success `T` with its status and
/// headers, or an [`Error`], whose [`Error::Api`] holds the operation's declared error `E`.
/// `E` is [`Infallible`](std::convert::Infallible) for an operation that declares none.
pub type ApiResult<T, E = std::convert::Infallible> = Result<ResponseValue<T>, Error<E>>;

/// A decoded response, with its status and headers. Derefs to the value.
#[derive(Clone, Debug)]
pub struct ResponseValue<T> {
    status: u16,
    headers: HeaderMap,
    value: T,
}

impl<T> ResponseValue<T> {
    /// A value with the status and headers it came with.
    pub fn new(status: u16, headers: HeaderMap, value: T) -> Self {
        ResponseValue { status, headers, value }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Status, headers and decoded value.
    pub fn into_parts(self) -> (u16, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }

    /// The same response with its value mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue { status: self.status, headers: self.headers, value: f(self.value) }
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// An enum of the error responses an operation declares (`{Op}Error`). The generated client
/// implements it once for each such enum, and operations that declare the same error
/// responses share the enum, so they share its decoding: their methods match their successes
/// and leave the rest to [`RawResponse::declared_error`].
pub trait DeclaredErrors: Sized {
    /// The declared error `response` is, by its status.
    ///
    /// # Errors
    ///
    /// Always: [`Error::Api`] with the declared error, [`Error::UnexpectedStatus`] for a status
    /// no error response declares, [`Error::InvalidResponse`] when the body does not decode.
    fn decode<T>(response: RawResponse) -> ApiResult<T, Self>;
}

/// An operation that declares no error response: every status its successes do not match is
/// [`Error::UnexpectedStatus`].
impl DeclaredErrors for std::convert::Infallible {
    fn decode<T>(response: RawResponse) -> ApiResult<T, Self> {
        Err(response.unexpected())
    }
}

/// A response kept as it came: status, headers and raw body. `Debug` shows the size of the
/// body only (it may hold tokens).
#[derive(Clone)]
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish_non_exhaustive()
    }
}

impl RawResponse {
    /// A response from its parts.
    pub fn new(status: u16, headers: HeaderMap, body: impl Into<bytes::Bytes>) -> Self {
        RawResponse { status, headers, body: body.into() }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// A success: the decoded `value` with this response's status and headers.
    pub fn success<T>(self, value: T) -> ResponseValue<T> {
        ResponseValue::new(self.status, self.headers, value)
    }

    /// A declared error: the decoded `value`, keeping this response (and its raw body).
    pub fn error<E>(self, value: E) -> Error<E> {
        Error::Api(Box::new(ApiError::new(value, self)))
    }

    /// A declared success without a body (or `value` known from the status alone).
    ///
    /// # Errors
    ///
    /// None: the `Result` is the operation's.
    pub fn ok<T, E>(self, value: T) -> ApiResult<T, E> {
        Ok(self.success(value))
    }

    /// A declared success with a JSON body, `wrap`ped (in its enum variant, or
    /// `std::convert::identity`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidResponse`] when the body does not decode.
    pub fn ok_json<B: serde::de::DeserializeOwned, T, E>(self, wrap: impl FnOnce(B) -> T) -> ApiResult<T, E> {
        let body = self.json()?;
        Ok(self.success(wrap(body)))
    }

    /// A declared success with a text body, `wrap`ped.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidResponse`] when the body is not UTF-8.
    pub fn ok_text<T, E>(self, wrap: impl FnOnce(String) -> T) -> ApiResult<T, E> {
        let body = self.utf8()?;
        Ok(self.success(wrap(body)))
    }

    /// A declared success with a binary body, `wrap`ped.
    ///
    /// # Errors
    ///
    /// None: the `Result` is the operation's.
    pub fn ok_bytes<T, E>(self, wrap: impl FnOnce(Vec<u8>) -> T) -> ApiResult<T, E> {
        let body = self.bytes();
        Ok(self.success(wrap(body)))
    }

    /// The response of an operation whose one success is a JSON body at `status`: that body,
    /// or for another status the declared error (see [`DeclaredErrors`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidResponse`] when the body does not decode; for another status, what
    /// [`RawResponse::declared_error`] says.
    pub fn json_success<T: serde::de::DeserializeOwned, E: DeclaredErrors>(self, status: u16) -> ApiResult<T, E> {
        self.expect_code(status)?.ok_json(std::convert::identity)
    }

    /// The response of an operation whose one success is `status` without a body: `()`, or for
    /// another status the declared error (see [`DeclaredErrors`]).
    ///
    /// # Errors
    ///
    /// For another status, what [`RawResponse::declared_error`] says.
    pub fn empty_success<E: DeclaredErrors>(self, status: u16) -> ApiResult<(), E> {
        self.expect_code(status)?.ok(())
    }

    /// This response, when its status is `status`: the operation's one success, decoded
    /// next; for another status, the declared error.
    ///
    /// # Errors
    ///
    /// For another status, what [`RawResponse::declared_error`] says.
    pub fn expect_code<E: DeclaredErrors>(self, status: u16) -> Result<Self, Error<E>> {
        if self.status == status { Ok(self) } else { Err(self.into_declared_error()) }
    }

    /// This response, when its status is of the class `class` (`2` for the spec's `2XX`): the
    /// operation's one success, decoded next; for another status, the declared error.
    ///
    /// # Errors
    ///
    /// For another status, what [`RawResponse::declared_error`] says.
    pub fn expect_class<E: DeclaredErrors>(self, class: u16) -> Result<Self, Error<E>> {
        if self.status / 100 == class { Ok(self) } else { Err(self.into_declared_error()) }
    }

    /// The declared error this response is, as the error alone.
    fn into_declared_error<E: DeclaredErrors>(self) -> Error<E> {
        // No value of `Infallible`: decoding as that success can only give the error.
        let Err(error) = E::decode::<std::convert::Infallible>(self);
        error
    }

    /// A declared error without a body: [`Error::Api`] with `value`.
    ///
    /// # Errors
    ///
    /// Always: that is what it is for.
    pub fn err<T, E>(self, value: E) -> ApiResult<T, E> {
        Err(self.error(value))
    }

    /// A declared error with a JSON body: [`Error::Api`] with the body `wrap`ped in its
    /// variant.
    ///
    /// # Errors
    ///
    /// Always: [`Error::InvalidResponse`] when the body does not decode.
    pub fn err_json<B: serde::de::DeserializeOwned, T, E>(self, wrap: impl FnOnce(B) -> E) -> ApiResult<T, E> {
        let body = self.json()?;
        Err(self.error(wrap(body)))
    }

    /// A declared error with a text body, `wrap`ped in its variant.
    ///
    /// # Errors
    ///
    /// Always: [`Error::InvalidResponse`] when the body is not UTF-8.
    pub fn err_text<T, E>(self, wrap: impl FnOnce(String) -> E) -> ApiResult<T, E> {
        let body = self.utf8()?;
        Err(self.error(wrap(body)))
    }

    /// A declared error with a binary body, `wrap`ped in its variant.
    ///
    /// # Errors
    ///
    /// Always.
    pub fn err_bytes<T, E>(self, wrap: impl FnOnce(Vec<u8>) -> E) -> ApiResult<T, E> {
        let body = self.bytes();
        Err(self.error(wrap(body)))
    }

    /// A response none of the operation's successes matched: the declared error it is (see
    /// [`DeclaredErrors`]).
    ///
    /// # Errors
    ///
    /// Always: [`Error::Api`] with the declared error, [`Error::UnexpectedStatus`] for a status
    /// the operation does not declare, [`Error::InvalidResponse`] when the body does not
    /// decode.
    pub fn declared_error<T, E: DeclaredErrors>(self) -> ApiResult<T, E> {
        E::decode(self)
    }

    /// A status the operation does not declare.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(self))
    }

    /// The body decoded as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidResponse`] when it does not decode into `T`.
    ///
    /// Members that are `null` count as absent (see [`crate::de::strip_nulls`]).
    pub fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            // A `null` where the schema says the field is absent or present: read it as absent
            // (the slow path, taken only when the direct one fails).
            Err(direct) => {
                let mut value: serde_json::Value = serde_json::from_slice(&self.body).map_err(|_| self.invalid(format!("invalid JSON body: {direct}")))?;
                crate::de::strip_nulls(&mut value);
                T::deserialize(value).map_err(|_| self.invalid(format!("invalid JSON body: {direct}")))
            }
        }
    }

    /// The body as UTF-8 text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidResponse`] when it is not UTF-8.
    pub fn utf8<E>(&self) -> Result<String, Error<E>> {
        String::from_utf8(self.body.to_vec()).map_err(|e| self.invalid(format!("the body is not UTF-8: {e}")))
    }

    /// The body as bytes.
    pub fn bytes(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// An optional declared header: `None` when it is absent, and also when it does not
    /// decode (an optional header never fails the whole response).
    pub fn header<T: ParamValue>(&self, name: &str) -> Option<T> {
        let value = self.headers.get(name)?.to_str().ok()?;
        T::from_param(value).ok()
    }

    /// A header the spec requires.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidResponse`] when it is absent or does not decode.
    pub fn required_header<T: ParamValue, E>(&self, name: &str) -> Result<T, Error<E>> {
        let Some(value) = self.headers.get(name) else {
            return Err(self.invalid(format!("missing required header `{name}`")));
        };
        value
            .to_str()
            .map_err(|e| e.to_string())
            .and_then(T::from_param)
            .map_err(|message| self.invalid(format!("header `{name}`: {message}")))
    }

    fn invalid<E>(&self, reason: String) -> Error<E> {
        Error::InvalidResponse { response: Box::new(self.clone()), reason }
    }
}

#[cfg(test)]
mod tests {
    use super::{DeclaredErrors, Error, RawResponse, ResponseValue};

    /// An operation's declared errors: `404` with a JSON body.
    #[derive(Debug, PartialEq)]
    struct NotFound(serde_json::Value);

    impl DeclaredErrors for NotFound {
        fn decode<T>(response: RawResponse) -> Result<ResponseValue<T>, Error<Self>> {
            match response.status() {
                404 => response.err_json(NotFound),
                _ => Err(response.unexpected()),
            }
        }
    }

    fn response(status: u16, body: &str) -> RawResponse {
        RawResponse::new(status, Default::default(), body.to_string())
    }

    #[test]
    fn json_success_decodes_its_status_and_leaves_the_rest_to_the_declared_errors() {
        let ok: Result<ResponseValue<Vec<u8>>, Error<NotFound>> = response(200, "[1,2]").json_success(200);
        assert_eq!(ok.map(ResponseValue::into_inner).ok(), Some(vec![1, 2]));

        let declared: Result<ResponseValue<Vec<u8>>, Error<NotFound>> = response(404, r#"{"message":"no"}"#).json_success(200);
        assert_eq!(declared.err().and_then(Error::into_api_error), Some(NotFound(serde_json::json!({"message": "no"}))));

        let other: Result<ResponseValue<Vec<u8>>, Error<NotFound>> = response(201, "[1]").json_success(200);
        assert!(matches!(other, Err(Error::UnexpectedStatus(r)) if r.status() == 201));

        let invalid: Result<ResponseValue<Vec<u8>>, Error<NotFound>> = response(200, "{").json_success(200);
        assert!(matches!(invalid, Err(Error::InvalidResponse { .. })));
    }

    #[test]
    fn without_declared_errors_every_other_status_is_unexpected() {
        let ok: Result<ResponseValue<()>, Error> = response(204, "").empty_success(204);
        assert_eq!(ok.map(|r| r.status()).ok(), Some(204));

        let other: Result<ResponseValue<()>, Error> = response(404, "gone").empty_success(204);
        assert!(matches!(other, Err(Error::UnexpectedStatus(r)) if r.status() == 404 && r.text() == "gone"));

        let json: Result<ResponseValue<String>, Error> = response(500, "").json_success(200);
        assert!(matches!(json, Err(Error::UnexpectedStatus(r)) if r.status() == 500));

        let code: Result<RawResponse, Error> = response(404, "gone").expect_code(302);
        assert!(matches!(code, Err(Error::UnexpectedStatus(r)) if r.status() == 404 && r.text() == "gone"));
    }

    #[test]
    fn expect_code_and_class_keep_their_status_and_decode_the_rest_as_declared_errors() {
        let found: Result<RawResponse, Error<NotFound>> = response(302, "").expect_code(302);
        assert_eq!(found.map(|r| r.status()).ok(), Some(302));
        let ok: Result<RawResponse, Error<NotFound>> = response(200, "").expect_code(302);
        assert!(matches!(ok, Err(Error::UnexpectedStatus(r)) if r.status() == 200));

        for status in [200, 204, 299] {
            let in_class: Result<RawResponse, Error<NotFound>> = response(status, "[]").expect_class(2);
            assert_eq!(in_class.map(|r| r.status()).ok(), Some(status));
        }
        let declared: Result<RawResponse, Error<NotFound>> = response(404, r#"{"message":"no"}"#).expect_class(2);
        assert_eq!(declared.err().and_then(Error::into_api_error), Some(NotFound(serde_json::json!({"message": "no"}))));
        let redirect: Result<RawResponse, Error<NotFound>> = response(302, "").expect_class(2);
        assert!(matches!(redirect, Err(Error::UnexpectedStatus(r)) if r.status() == 302));
        let invalid: Result<RawResponse, Error<NotFound>> = response(404, "{").expect_class(2);
        assert!(matches!(invalid, Err(Error::InvalidResponse { .. })));
    }
}
