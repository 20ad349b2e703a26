//! The token layer: access tokens fetched, cached and renewed for the user.
//!
//! A [`TokenSource`] hands out a valid access token; the generated client asks it before every
//! call that needs a Bearer token, and tells it when the API answered `401` so that it renews
//! the token before the client retries the call once.

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
}
