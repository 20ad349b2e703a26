//! The token layer: access tokens fetched, cached and renewed for the user.
//!
//! A [`TokenSource`] hands out a valid access token; the generated client asks it before every
//! call that needs a Bearer token, and tells it when the API answered `401` so that it renews
//! the token before the client retries the call once.
//!
//! Each OAuth 2.0 flow has a builder that makes a [`CachedTokenSource`], which caches the
//! token until shortly before it expires, makes one request for any number of concurrent
//! callers, renews with the refresh token when there is one, and can save its tokens to a
//! [`TokenStore`] and start again from them:
//!
//! | flow | builder |
//! | --- | --- |
//! | client credentials (RFC 6749 §4.4), optionally renewed by token exchange (Iceberg, Polaris) | [`ClientCredentials`] |
//! | resource owner password (RFC 6749 §4.3) | [`Password`] |
//! | a refresh token the user has (RFC 6749 §6) | [`RefreshToken`] |
//! | authorization code with PKCE (RFC 6749 §4.1, RFC 7636) | [`AuthorizationCode`] |
//! | token exchange (RFC 8693) | [`TokenExchange`] |
//! | a fixed token | [`StaticToken`] |
//!
//! and [`ProviderMetadata`] finds a server's endpoints (OpenID Connect discovery),
//! [`Revocation`] revokes tokens (RFC 7009), [`TokenEndpoint`] makes token requests for other
//! grants, and [`resolve`] resolves a spec's relative `tokenUrl` against the API's base URL.
//!
//! Token requests are form POSTs with `Accept: application/json` and a 30 s timeout by
//! default. `Debug` output never shows a token, secret, code or verifier.
//!
//! ```no_run
//! # async fn run() -> Result<(), oauth_api::token::TokenError> {
//! use std::sync::Arc;
//! use oauth_api::oauth::ClientAuth;
//! use oauth_api::token::{ClientCredentials, TokenSource};
//! let tokens: Arc<dyn TokenSource> = Arc::new(
//!     ClientCredentials::builder(url::Url::parse("https://idp.example/token").unwrap(), ClientAuth::basic("id", "secret"))
//!         .scope("read write")
//!         .build(),
//! );
//! let token = tokens.token().await?; // fetched once, then cached
//! # Ok(()) }
//! ```

mod authorization_code;
mod cache;
mod discovery;
mod endpoint;
mod exchange;
mod flows;
mod revocation;
mod set;

pub use authorization_code::{pkce_challenge, AuthorizationCode, AuthorizationCodeBuilder, PendingAuthorization};
pub use cache::{CachedTokenSource, DEFAULT_SKEW};
pub use discovery::ProviderMetadata;
pub use endpoint::{
    resolve, TokenEndpoint, ACCESS_TOKEN_TYPE, DEFAULT_TIMEOUT, ID_TOKEN_TYPE, JWT_TOKEN_TYPE, MAX_RESPONSE_BYTES, REFRESH_TOKEN_TYPE,
};
pub use exchange::{TokenExchange, TokenExchangeBuilder};
pub use flows::{ClientCredentials, ClientCredentialsBuilder, Password, PasswordBuilder, RefreshToken, RefreshTokenBuilder};
pub use revocation::{Revocation, TokenTypeHint};
pub use set::{TokenSet, TokenStore};

/// URLs of endpoints, as the builders take them.
pub use url::Url;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use crate::oauth::{ErrorResponse, TokenType};
use crate::Secret;

/// A boxed future, as [`TokenSource`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access token and what is known about it. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: Secret,
    token_type: TokenType,
    expires_at: Option<Instant>,
    scope: Option<String>,
}

impl AccessToken {
    /// A Bearer token that does not expire (as far as the client knows).
    pub fn bearer(secret: impl Into<Secret>) -> Self {
        AccessToken { secret: secret.into(), token_type: TokenType::Bearer, expires_at: None, scope: None }
    }

    /// A token with its type, expiry and scope.
    pub fn new(secret: impl Into<Secret>, token_type: TokenType, expires_at: Option<Instant>, scope: Option<String>) -> Self {
        AccessToken { secret: secret.into(), token_type, expires_at, scope }
    }

    /// The token value.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// How the token is used.
    pub fn token_type(&self) -> &TokenType {
        &self.token_type
    }

    /// When the token expires, if the server said.
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }

    /// The granted scope, if the server said.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &self.secret)
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

/// Why a token could not be had.
#[derive(Debug)]
#[non_exhaustive]
pub enum TokenError {
    /// The authorization server answered with an OAuth error (RFC 6749 §5.2), e.g.
    /// `invalid_client`, or `invalid_grant` for a revoked refresh token.
    OAuth {
        /// The HTTP status.
        status: u16,
        /// The error.
        error: ErrorResponse,
    },
    /// The authorization server answered something that is not a token response.
    InvalidResponse {
        /// The HTTP status.
        status: u16,
        /// Why it did not decode.
        reason: String,
    },
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// The token source cannot produce a token (no refresh token left, bad configuration …).
    Unavailable(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::OAuth { status, error } => write!(f, "the token request failed with {status}: {error}"),
            TokenError::InvalidResponse { status, reason } => write!(f, "invalid token response ({status}): {reason}"),
            TokenError::Transport(e) => write!(f, "the token request could not be sent: {e}"),
            TokenError::Unavailable(why) => write!(f, "no token available: {why}"),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TokenError::Transport(e) => Some(e),
            TokenError::OAuth { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Hands out valid access tokens.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A token that is valid now, fetched or renewed as needed.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>>;

    /// The API refused `token` with `401`: forget it, so that the next [`TokenSource::token`]
    /// renews it.
    fn invalidate(&self, token: &AccessToken);

    /// Whether [`TokenSource::token`] can give another token after an invalidation (the
    /// client then retries a call refused with `401` once). `true` unless the token is fixed.
    fn renews(&self) -> bool {
        true
    }

    /// A token valid now that the source holds already, without waiting: what
    /// [`TokenSource::token`] would answer at once. The client asks this first, on every call,
    /// and awaits [`TokenSource::token`] only when it is `None` (the default).
    fn cached(&self) -> Option<AccessToken> {
        None
    }
}

impl<T: TokenSource + ?Sized> TokenSource for std::sync::Arc<T> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        (**self).token()
    }

    fn cached(&self) -> Option<AccessToken> {
        (**self).cached()
    }

    fn invalidate(&self, token: &AccessToken) {
        (**self).invalidate(token);
    }

    fn renews(&self) -> bool {
        (**self).renews()
    }
}

/// A fixed token, never renewed.
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A fixed Bearer token.
    pub fn new(token: impl Into<Secret>) -> Self {
        StaticToken(AccessToken::bearer(token))
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn invalidate(&self, _token: &AccessToken) {}

    fn renews(&self) -> bool {
        false
    }

    fn cached(&self) -> Option<AccessToken> {
        Some(self.0.clone())
    }
}
