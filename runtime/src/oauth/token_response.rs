use std::collections::BTreeMap;
use std::fmt;

use super::TokenType;
use crate::Secret;

/// A successful token response (RFC 6749 §5.1, RFC 8693 §2.2.1), decoded leniently: the
/// token type in any case, `expires_in` as a number or a numeric string, unknown members
/// kept in [`TokenResponse::extra`]. `Debug` hides the tokens.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: Secret,
    /// How to use it (`Bearer`, …).
    pub token_type: TokenType,
    /// Lifetime in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_seconds")]
    pub expires_in: Option<u64>,
    /// A refresh token (RFC 6749 §6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// The granted scope, space-separated, when it differs from the requested one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The type of the issued token (RFC 8693).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_token_type: Option<String>,
    /// An OpenID Connect ID token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    /// Members this type does not name.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `expires_in` as servers send it: a non-negative number (fractions dropped), or the same
/// in a string; anything else counts as absent.
fn lenient_seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)).or(Some(0)),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok().map(|f| f.max(0.0) as u64),
        _ => None,
    })
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token)
            .field("scope", &self.scope)
            .field("issued_token_type", &self.issued_token_type)
            .field("id_token", &self.id_token)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_real_servers_send() {
        let t: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","token_type":"bearer","expires_in":"3600","refresh_token":"r","x":1}"#).unwrap();
        assert_eq!(t.token_type, TokenType::Bearer);
        assert_eq!(t.expires_in, Some(3600));
        assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some("r"));
        assert_eq!(t.extra.get("x"), Some(&serde_json::json!(1)));
        let t: TokenResponse = serde_json::from_str(r#"{"access_token":"a","token_type":"DPoP","expires_in":59.9}"#).unwrap();
        assert_eq!((t.token_type, t.expires_in), (TokenType::DPoP, Some(59)));
        let t: TokenResponse = serde_json::from_str(r#"{"access_token":"a","token_type":"Bearer","expires_in":-5}"#).unwrap();
        assert_eq!(t.expires_in, Some(0));
        let debug = format!("{:?}", serde_json::from_str::<TokenResponse>(r#"{"access_token":"tok","token_type":"Bearer"}"#).unwrap());
        assert!(!debug.contains("tok\""), "{debug}");
    }
}
