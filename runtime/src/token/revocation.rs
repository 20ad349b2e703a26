//! RFC 7009 token revocation.

use std::fmt;
use std::time::Duration;

use url::Url;

use super::endpoint::{error_from, Credentials};
use super::{TokenEndpoint, TokenError};
use crate::oauth::ClientAuth;
use crate::Secret;

/// The `token_type_hint` of a revocation request (RFC 7009 §2.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TokenTypeHint {
    /// `access_token`.
    AccessToken,
    /// `refresh_token`.
    RefreshToken,
    /// Another registered hint, as written.
    Other(String),
}

impl TokenTypeHint {
    /// The hint on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            TokenTypeHint::AccessToken => "access_token",
            TokenTypeHint::RefreshToken => "refresh_token",
            TokenTypeHint::Other(other) => other,
        }
    }
}

/// A revocation endpoint (RFC 7009): `revoke(token, hint)` POSTs
/// `token=…&token_type_hint=…` with the client's authentication, and succeeds on `200`
/// (which the server also answers for a token it does not know, §2.2).
///
/// For APIs whose spec describes revocation differently (the token in the query, a JSON
/// body), this is the RFC way to do it with the same credentials. `Debug` hides secrets.
///
/// ```no_run
/// # async fn run() -> Result<(), oauth_api::token::TokenError> {
/// use oauth_api::oauth::ClientAuth;
/// use oauth_api::token::{Revocation, TokenTypeHint};
/// let revocation = Revocation::new(url::Url::parse("https://idp.example/revoke").unwrap(), ClientAuth::basic("id", "secret"));
/// revocation.revoke(&"the-refresh-token".into(), Some(TokenTypeHint::RefreshToken)).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Revocation {
    endpoint: TokenEndpoint,
}

impl Revocation {
    /// A revocation endpoint at `url`, the client authenticating with `auth`.
    pub fn new(url: Url, auth: ClientAuth) -> Self {
        Revocation { endpoint: TokenEndpoint::new(url, auth) }
    }

    /// The revocation endpoint at `url`, with the client, credentials and timeout of a token
    /// endpoint.
    pub fn for_endpoint(url: Url, endpoint: &TokenEndpoint) -> Self {
        Revocation { endpoint: endpoint.at(url) }
    }

    /// Sends requests with this client instead of a default one built for each request.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.endpoint.set_http_client(http);
        self
    }

    /// The time a request may take (default 30 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.endpoint.set_timeout(timeout);
        self
    }

    /// The endpoint URL.
    pub fn url(&self) -> &Url {
        self.endpoint.url()
    }

    /// Revokes `token`. `Ok` on `200`; an RFC 6749 §5.2 error body (e.g.
    /// `unsupported_token_type`) is [`TokenError::OAuth`].
    pub async fn revoke(&self, token: &Secret, hint: Option<TokenTypeHint>) -> Result<(), TokenError> {
        let mut fields = vec![("token".to_string(), token.expose().to_string())];
        if let Some(hint) = hint {
            fields.push(("token_type_hint".to_string(), hint.as_str().to_string()));
        }
        let (status, body) = self.endpoint.post_form(fields, Credentials::Client).await?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(error_from(status, &body))
        }
    }
}

impl fmt::Debug for Revocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Revocation")
            .field("url", &super::endpoint::redacted_url(self.endpoint.url()))
            .field("auth", self.endpoint.client_auth())
            .field("timeout", &self.endpoint.timeout())
            .finish()
    }
}
