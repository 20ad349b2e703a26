use std::fmt;

/// A grant type (`grant_type` of a token request).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GrantType {
    /// `authorization_code` (RFC 6749 §4.1.3).
    AuthorizationCode,
    /// `password` (RFC 6749 §4.3).
    Password,
    /// `client_credentials` (RFC 6749 §4.4).
    ClientCredentials,
    /// `refresh_token` (RFC 6749 §6).
    RefreshToken,
    /// `urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693).
    TokenExchange,
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer` (RFC 7523).
    JwtBearer,
    /// `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628).
    DeviceCode,
    /// Any other grant type, as written.
    Other(String),
}

const KNOWN: [(GrantType, &str); 7] = [
    (GrantType::AuthorizationCode, "authorization_code"),
    (GrantType::Password, "password"),
    (GrantType::ClientCredentials, "client_credentials"),
    (GrantType::RefreshToken, "refresh_token"),
    (GrantType::TokenExchange, "urn:ietf:params:oauth:grant-type:token-exchange"),
    (GrantType::JwtBearer, "urn:ietf:params:oauth:grant-type:jwt-bearer"),
    (GrantType::DeviceCode, "urn:ietf:params:oauth:grant-type:device_code"),
];

impl GrantType {
    /// The value of `grant_type`.
    pub fn as_str(&self) -> &str {
        match self {
            GrantType::Other(other) => other,
            known => KNOWN.iter().find(|(g, _)| g == known).map_or("", |(_, text)| text),
        }
    }
}

impl From<&str> for GrantType {
    fn from(value: &str) -> Self {
        KNOWN.iter().find(|(_, text)| *text == value).map_or_else(|| GrantType::Other(value.to_string()), |(g, _)| g.clone())
    }
}

impl fmt::Display for GrantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::GrantType;

    #[test]
    fn grants_round_trip() {
        for text in ["authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange", "custom"] {
            assert_eq!(GrantType::from(text).as_str(), text);
        }
        assert_eq!(GrantType::from("password"), GrantType::Password);
    }
}
