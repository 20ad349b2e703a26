//! [`TokenSet`]: what a source holds, as it is persisted; [`TokenStore`]: where it goes.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::oauth::{TokenResponse, TokenType};
use crate::Secret;

/// The tokens a source holds: access token, refresh token, expiry and scope, in a form that
/// can be saved (serde, with the expiry as a UTC time) and handed back to seed a source
/// after a restart. `Debug` hides the tokens; serializing does not (it has to be stored).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TokenSet {
    /// The access token; absent in a set that only holds a refresh token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Secret>,
    /// How the access token is used.
    pub token_type: TokenType,
    /// The refresh token, if the server issued one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// When the access token expires, if the server said (`expires_in`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// The granted scope, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The OpenID Connect ID token, if one came with the access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
}

impl TokenSet {
    /// A set that holds only a refresh token (the first use refreshes it).
    pub fn from_refresh_token(refresh_token: impl Into<Secret>) -> Self {
        TokenSet {
            access_token: None,
            token_type: TokenType::Bearer,
            refresh_token: Some(refresh_token.into()),
            expires_at: None,
            scope: None,
            id_token: None,
        }
    }

    /// A set that holds an access token, valid until `expires_at` (forever if `None`).
    pub fn from_access_token(access_token: impl Into<Secret>, expires_at: Option<DateTime<Utc>>) -> Self {
        TokenSet {
            access_token: Some(access_token.into()),
            token_type: TokenType::Bearer,
            refresh_token: None,
            expires_at,
            scope: None,
            id_token: None,
        }
    }

    /// The set a token response gives, the request having been sent at `sent_at`
    /// (`expires_in` counts from there).
    pub fn from_response(response: &TokenResponse, sent_at: DateTime<Utc>) -> Self {
        TokenSet {
            access_token: Some(response.access_token.clone()),
            token_type: response.token_type.clone(),
            refresh_token: response.refresh_token.clone(),
            expires_at: response
                .expires_in
                .and_then(|s| i64::try_from(s).ok())
                .and_then(chrono::Duration::try_seconds)
                .and_then(|d| sent_at.checked_add_signed(d)),
            scope: response.scope.clone(),
            id_token: response.id_token.clone(),
        }
    }

    /// How long the access token stays valid from now (zero once expired), `None` when the
    /// server did not say.
    pub fn remaining(&self) -> Option<Duration> {
        self.expires_at.map(|at| (at - Utc::now()).to_std().unwrap_or(Duration::ZERO))
    }
}

/// Where a source saves its tokens after every fetch and refresh, so that a restarted program
/// can seed a new source with them (the builders' `tokens` method) instead of asking the user
/// to sign in again.
///
/// Called while the source holds its renewal lock: keep it quick (write a file, send to a
/// channel). Any `Fn(&TokenSet) + Send + Sync` is a store.
///
/// ```
/// use std::sync::Arc;
/// use oauth_api::token::{TokenSet, TokenStore};
/// let store: Arc<dyn TokenStore> = Arc::new(|set: &TokenSet| {
///     let _ = std::fs::write("tokens.json", serde_json::to_vec(set).unwrap_or_default());
/// });
/// ```
pub trait TokenStore: Send + Sync {
    /// The source has new tokens.
    fn save(&self, tokens: &TokenSet);

    /// The source's tokens are gone for good (refresh token rejected, revoked): forget them.
    fn clear(&self) {}
}

impl<F: Fn(&TokenSet) + Send + Sync> TokenStore for F {
    fn save(&self, tokens: &TokenSet) {
        self(tokens)
    }
}

/// `Debug` for a boxed store.
pub(crate) struct StoreName;

impl fmt::Debug for StoreName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenStore")
    }
}
