use std::fmt;

/// An OAuth error code: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1 and
/// RFC 8693 §2.2.2. Codes are case-sensitive; extension codes are kept in
/// [`ErrorCode::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `invalid_request`.
    InvalidRequest,
    /// `invalid_client`: client authentication failed.
    InvalidClient,
    /// `invalid_grant`: the grant or refresh token is invalid, expired or revoked.
    InvalidGrant,
    /// `unauthorized_client`.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `invalid_scope`.
    InvalidScope,
    /// `access_denied`.
    AccessDenied,
    /// `unsupported_response_type`.
    UnsupportedResponseType,
    /// `server_error`.
    ServerError,
    /// `temporarily_unavailable`.
    TemporarilyUnavailable,
    /// `invalid_token` (RFC 6750).
    InvalidToken,
    /// `insufficient_scope` (RFC 6750).
    InsufficientScope,
    /// `unsupported_token_type` (RFC 7009).
    UnsupportedTokenType,
    /// `invalid_target` (RFC 8693).
    InvalidTarget,
    /// An extension code, as received.
    Other(String),
}

const KNOWN: [(ErrorCode, &str); 14] = [
    (ErrorCode::InvalidRequest, "invalid_request"),
    (ErrorCode::InvalidClient, "invalid_client"),
    (ErrorCode::InvalidGrant, "invalid_grant"),
    (ErrorCode::UnauthorizedClient, "unauthorized_client"),
    (ErrorCode::UnsupportedGrantType, "unsupported_grant_type"),
    (ErrorCode::InvalidScope, "invalid_scope"),
    (ErrorCode::AccessDenied, "access_denied"),
    (ErrorCode::UnsupportedResponseType, "unsupported_response_type"),
    (ErrorCode::ServerError, "server_error"),
    (ErrorCode::TemporarilyUnavailable, "temporarily_unavailable"),
    (ErrorCode::InvalidToken, "invalid_token"),
    (ErrorCode::InsufficientScope, "insufficient_scope"),
    (ErrorCode::UnsupportedTokenType, "unsupported_token_type"),
    (ErrorCode::InvalidTarget, "invalid_target"),
];

impl ErrorCode {
    /// The code on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Other(other) => other,
            known => KNOWN.iter().find(|(code, _)| code == known).map_or("", |(_, text)| text),
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(value: &str) -> Self {
        KNOWN.iter().find(|(_, text)| *text == value).map_or_else(|| ErrorCode::Other(value.to_string()), |(code, _)| code.clone())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(ErrorCode::from(text.as_ref()))
    }
}

/// An OAuth error response (RFC 6749 §5.2).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorResponse {
    /// The error code.
    pub error: ErrorCode,
    /// Human-readable text about the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// A page about the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
}

impl ErrorResponse {
    /// An error response with a code and a description.
    pub fn new(error: ErrorCode, description: impl Into<String>) -> Self {
        ErrorResponse { error, error_description: Some(description.into()), error_uri: None }
    }

    /// The RFC 6749 §5.2 error in a response body, if it holds one (a JSON object whose
    /// `error` is a string).
    pub fn from_body(body: &[u8]) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        value.get("error")?.as_str()?;
        serde_json::from_value(value).ok()
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.error.as_str())?;
        if let Some(description) = &self.error_description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorResponse {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_extensions_are_kept() {
        for (code, text) in KNOWN {
            assert_eq!(code.as_str(), text);
            assert_eq!(ErrorCode::from(text), code);
        }
        assert_eq!(ErrorCode::from("slow_down"), ErrorCode::Other("slow_down".into()));
        assert_eq!(ErrorCode::from("Invalid_Grant"), ErrorCode::Other("Invalid_Grant".into()));
    }

    #[test]
    fn error_bodies_are_recognised() {
        let e = ErrorResponse::from_body(br#"{"error":"invalid_grant","error_description":"revoked","x":1}"#).unwrap();
        assert_eq!(e.error, ErrorCode::InvalidGrant);
        assert_eq!(e.to_string(), "invalid_grant: revoked");
        assert_eq!(ErrorResponse::from_body(br#"{"errors":[]}"#), None);
        assert_eq!(ErrorResponse::from_body(br#"{"error":{"code":1}}"#), None);
        assert_eq!(ErrorResponse::from_body(b"nope"), None);
    }
}
