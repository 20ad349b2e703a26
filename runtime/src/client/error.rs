//! [`Error`]: why a call did not return a success, the one error type of every generated API.

use std::fmt;

use reqwest::header::HeaderMap;

use super::response::RawResponse;
use crate::oauth::ErrorResponse;
use crate::describe::{describe_json, status_line};
use crate::token::TokenError;

/// A status the spec declares as an error: the decoded value, and the response it came in
/// (status, headers, raw body).
#[derive(Clone, Debug)]
pub struct ApiError<E> {
    value: E,
    response: RawResponse,
}

impl<E> ApiError<E> {
    /// The decoded `value` of `response`.
    pub fn new(value: E, response: RawResponse) -> Self {
        ApiError { value, response }
    }

    /// The declared error, decoded.
    pub fn value(&self) -> &E {
        &self.value
    }

    /// The declared error, owned.
    pub fn into_value(self) -> E {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.response.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The response as it came.
    pub fn response(&self) -> &RawResponse {
        &self.response
    }
}

/// Why a call did not return a success response. Every generated API returns this type, with
/// `E` the operation's declared errors.
///
/// What a generated method returns when it does not succeed:
///
/// - [`Error::Api`] for an error status the spec declares for the operation, decoded into
///   `E` (the raw response is kept);
/// - [`Error::UnexpectedStatus`] for a status the spec does not declare;
/// - [`Error::InvalidResponse`] when a declared body or required header does not decode;
/// - [`Error::InvalidRequest`] when the arguments cannot be encoded;
/// - [`Error::Transport`], [`Error::ResponseTooLarge`] and [`Error::Token`] when the call
///   cannot be made or its response not read.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = std::convert::Infallible> {
    /// A status the spec declares as an error, with its decoded body (and the raw response).
    Api(Box<ApiError<E>>),
    /// A status the spec does not declare; the response is kept.
    UnexpectedStatus(Box<RawResponse>),
    /// A declared status whose body or headers did not decode, and why.
    InvalidResponse {
        /// The response as it came.
        response: Box<RawResponse>,
        /// What did not decode.
        reason: String,
    },
    /// The request could not be encoded.
    InvalidRequest(String),
    /// The request could not be sent or the response not read (connection, timeout, TLS).
    Transport(reqwest::Error),
    /// The response body was larger than [`Config::max_response_bytes`](super::Config).
    ResponseTooLarge {
        /// The HTTP status.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// No access token could be had for the call.
    Token(TokenError),
}

impl<E> Error<E> {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status()),
            Error::UnexpectedStatus(raw) | Error::InvalidResponse { response: raw, .. } => Some(raw.status()),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidRequest(_) | Error::Token(_) => None,
        }
    }

    /// The declared error, decoded, when the status is one the spec declares.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(api) => Some(api.value()),
            _ => None,
        }
    }

    /// The declared error, owned.
    pub fn into_api_error(self) -> Option<E> {
        match self {
            Error::Api(api) => Some(api.into_value()),
            _ => None,
        }
    }

    /// The response, when one arrived (declared, undeclared or undecodable).
    pub fn response(&self) -> Option<&RawResponse> {
        match self {
            Error::Api(api) => Some(api.response()),
            Error::UnexpectedStatus(raw) | Error::InvalidResponse { response: raw, .. } => Some(raw),
            _ => None,
        }
    }

    /// The raw response body, when a response arrived.
    pub fn body(&self) -> Option<&[u8]> {
        self.response().map(RawResponse::body)
    }

    /// The response headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.response().map(RawResponse::headers)
    }

    /// The OAuth error (RFC 6749 §5.2: `error`, `error_description`, `error_uri`) in the
    /// response body, whatever model the spec declares for it; for a token error, the
    /// authorization server's.
    pub fn oauth_error(&self) -> Option<ErrorResponse> {
        match self {
            Error::Token(TokenError::OAuth { error, .. }) => Some(error.clone()),
            _ => self.body().and_then(ErrorResponse::from_body),
        }
    }

    /// The same error with the declared error mapped (e.g. to erase it).
    pub fn map_api<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api(api) => {
                let ApiError { value, response } = *api;
                Error::Api(Box::new(ApiError { value: f(value), response }))
            }
            Error::UnexpectedStatus(raw) => Error::UnexpectedStatus(raw),
            Error::InvalidResponse { response, reason } => Error::InvalidResponse { response, reason },
            Error::InvalidRequest(m) => Error::InvalidRequest(m),
            Error::Transport(e) => Error::Transport(e),
            Error::ResponseTooLarge { status, limit } => Error::ResponseTooLarge { status, limit },
            Error::Token(e) => Error::Token(e),
        }
    }
}

impl<E> From<EncodeError> for Error<E> {
    fn from(e: EncodeError) -> Self {
        Error::InvalidRequest(e.0)
    }
}

impl<E> From<TokenError> for Error<E> {
    fn from(e: TokenError) -> Self {
        Error::Token(e)
    }
}

/// A request value that could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => {
                let declared = api.value.to_string();
                write!(f, "the API answered {declared}")?;
                // An RFC 6749 error in a body the spec models otherwise (Nutanix `OauthStatus`).
                match ErrorResponse::from_body(api.response.body()) {
                    Some(oauth) if !declared.contains(oauth.error.as_str()) => write!(f, " ({oauth})"),
                    _ => Ok(()),
                }
            }
            Error::UnexpectedStatus(raw) => {
                write!(f, "unexpected status {}", status_line(raw.status()))?;
                match describe_json(raw.body()) {
                    Some(summary) => write!(f, ": {summary}"),
                    None => Ok(()),
                }
            }
            Error::InvalidResponse { response, reason } => write!(f, "invalid response ({}): {reason}", status_line(response.status())),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::ResponseTooLarge { status, limit } => write!(f, "the response ({}) is larger than {limit} bytes", status_line(*status)),
            Error::Token(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Token(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_the_raw_response() {
        let raw = RawResponse::new(400, HeaderMap::new(), br#"{"error":"invalid_client"}"#.to_vec());
        let e: Error<String> = raw.error("declared".to_string());
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.api_error().map(String::as_str), Some("declared"));
        assert_eq!(e.oauth_error().map(|o| o.error), Some(crate::oauth::ErrorCode::InvalidClient));
        assert_eq!(e.to_string(), "the API answered declared (invalid_client)", "the RFC 6749 error of the raw body is named");
        let raw = RawResponse::new(429, HeaderMap::new(), br#"{"message":"slow down"}"#.to_vec());
        let e: Error<String> = raw.unexpected();
        assert_eq!(e.to_string(), "unexpected status 429 Too Many Requests: slow down");
    }
}
