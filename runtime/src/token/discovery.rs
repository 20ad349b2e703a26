//! OpenID Connect discovery (OpenID Connect Discovery 1.0 §4; RFC 8414 metadata names).

use std::collections::BTreeMap;

use url::Url;

use super::endpoint::{default_http_client, read, DEFAULT_TIMEOUT};
use super::TokenError;

/// What an authorization server says about itself at
/// `<issuer>/.well-known/openid-configuration`: its endpoints, and what it supports.
///
/// ```no_run
/// # async fn run() -> Result<(), oauth_api::token::TokenError> {
/// use oauth_api::oauth::ClientAuth;
/// use oauth_api::token::{ClientCredentials, ProviderMetadata};
/// let metadata = ProviderMetadata::discover(&url::Url::parse("https://idp.example/realms/main").unwrap()).await?;
/// let tokens = ClientCredentials::builder(metadata.token_endpoint()?.clone(), ClientAuth::basic("id", "secret")).build();
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProviderMetadata {
    /// The issuer identifier.
    pub issuer: String,
    /// The authorization endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "optional_url")]
    pub authorization_endpoint: Option<Url>,
    /// The token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "optional_url")]
    pub token_endpoint: Option<Url>,
    /// The RFC 7009 revocation endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "optional_url")]
    pub revocation_endpoint: Option<Url>,
    /// The RFC 7662 introspection endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "optional_url")]
    pub introspection_endpoint: Option<Url>,
    /// The OpenID Connect UserInfo endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "optional_url")]
    pub userinfo_endpoint: Option<Url>,
    /// The JSON Web Key Set document.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "optional_url")]
    pub jwks_uri: Option<Url>,
    /// Supported scopes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes_supported: Vec<String>,
    /// Supported grant types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grant_types_supported: Vec<String>,
    /// Supported client authentication methods at the token endpoint
    /// (`client_secret_basic`, `client_secret_post`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// Supported PKCE methods (`S256`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_challenge_methods_supported: Vec<String>,
    /// Members this type does not name.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl ProviderMetadata {
    /// Discovery for `issuer`: fetches `<issuer>/.well-known/openid-configuration` (the path
    /// appended to the issuer's, as OpenID Connect Discovery §4 says) and checks that the
    /// document names the same issuer (§4.3; a trailing `/` aside).
    pub async fn discover(issuer: &Url) -> Result<Self, TokenError> {
        Self::discover_with(&default_http_client()?, issuer).await
    }

    /// [`ProviderMetadata::discover`] with this HTTP client.
    pub async fn discover_with(http: &reqwest::Client, issuer: &Url) -> Result<Self, TokenError> {
        let mut url = issuer.clone();
        let path = format!("{}/.well-known/openid-configuration", issuer.path().trim_end_matches('/'));
        url.set_path(&path);
        url.set_query(None);
        let metadata = Self::fetch_with(http, &url).await?;
        if metadata.issuer.trim_end_matches('/') != issuer.as_str().trim_end_matches('/') {
            return Err(TokenError::InvalidResponse {
                status: 200,
                reason: format!("the discovery document names the issuer {:?}, not {:?}", metadata.issuer, issuer.as_str()),
            });
        }
        Ok(metadata)
    }

    /// The metadata at `url` (a discovery document anywhere, e.g. RFC 8414's
    /// `/.well-known/oauth-authorization-server`), without an issuer check.
    pub async fn fetch(url: &Url) -> Result<Self, TokenError> {
        Self::fetch_with(&default_http_client()?, url).await
    }

    /// [`ProviderMetadata::fetch`] with this HTTP client.
    pub async fn fetch_with(http: &reqwest::Client, url: &Url) -> Result<Self, TokenError> {
        let request = http.get(url.clone()).timeout(DEFAULT_TIMEOUT).header(reqwest::header::ACCEPT, "application/json");
        let (status, body) = read(request).await?;
        if !(200..300).contains(&status) {
            return Err(super::endpoint::error_from(status, &body));
        }
        serde_json::from_slice(&body).map_err(|e| TokenError::InvalidResponse { status, reason: format!("not a discovery document: {e}") })
    }

    /// The token endpoint, or an error saying the server has none.
    pub fn token_endpoint(&self) -> Result<&Url, TokenError> {
        self.token_endpoint.as_ref().ok_or_else(|| TokenError::Unavailable(format!("{} names no token endpoint", self.issuer)))
    }

    /// Whether the server supports `grant_type`: as listed, or, when it lists none, the
    /// default of RFC 8414 §2 (`authorization_code` and `implicit`).
    pub fn supports_grant(&self, grant_type: &str) -> bool {
        if self.grant_types_supported.is_empty() {
            return matches!(grant_type, "authorization_code" | "implicit");
        }
        self.grant_types_supported.iter().any(|g| g == grant_type)
    }
}

/// `Option<Url>` as a string; a member that is not a URL counts as absent.
mod optional_url {
    use url::Url;

    pub(super) fn serialize<S: serde::Serializer>(url: &Option<Url>, serializer: S) -> Result<S::Ok, S::Error> {
        match url {
            Some(url) => serializer.serialize_str(url.as_str()),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Url>, D::Error> {
        let text = <Option<String> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(text.and_then(|t| Url::parse(&t).ok()))
    }
}
