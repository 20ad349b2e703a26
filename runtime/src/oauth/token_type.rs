use std::fmt;
use std::str::FromStr;

/// An access token type (RFC 6749 §7.1), compared without regard to case: `"Bearer"`,
/// `"bearer"` and `"BEARER"` are all [`TokenType::Bearer`]. Types this crate does not know
/// are kept in [`TokenType::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TokenType {
    /// `Bearer` (RFC 6750).
    Bearer,
    /// `DPoP` (RFC 9449).
    DPoP,
    /// `MAC` (draft-ietf-oauth-v2-http-mac).
    Mac,
    /// `N_A`: the issued token is not an access token (RFC 8693 §2.2.1).
    NotApplicable,
    /// Any other type, as received.
    Other(String),
}

impl TokenType {
    /// The registered spelling (`Bearer`, `DPoP`, `MAC`, `N_A`), or the value as received.
    pub fn as_str(&self) -> &str {
        match self {
            TokenType::Bearer => "Bearer",
            TokenType::DPoP => "DPoP",
            TokenType::Mac => "MAC",
            TokenType::NotApplicable => "N_A",
            TokenType::Other(other) => other,
        }
    }

    /// Whether the token goes in `Authorization: Bearer …`.
    pub fn is_bearer(&self) -> bool {
        *self == TokenType::Bearer
    }
}

impl From<&str> for TokenType {
    fn from(value: &str) -> Self {
        let known = [TokenType::Bearer, TokenType::DPoP, TokenType::Mac, TokenType::NotApplicable];
        known.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(value)).unwrap_or_else(|| TokenType::Other(value.to_string()))
    }
}

impl FromStr for TokenType {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(TokenType::from(s))
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for TokenType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for TokenType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(TokenType::from(text.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::TokenType;

    #[test]
    fn case_does_not_matter_and_unknown_types_are_kept() {
        for text in ["Bearer", "bearer", "BEARER"] {
            assert_eq!(TokenType::from(text), TokenType::Bearer);
        }
        assert_eq!(TokenType::from("dpop"), TokenType::DPoP);
        assert_eq!(TokenType::from("n_a"), TokenType::NotApplicable);
        assert_eq!(TokenType::from("PoP"), TokenType::Other("PoP".into()));
        let t: TokenType = serde_json::from_str("\"bearer\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"Bearer\"");
    }
}
