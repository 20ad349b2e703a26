//! The caching core every flow shares: [`CachedTokenSource`].

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::endpoint::HttpOptions;
use super::revocation::{Revocation, TokenTypeHint};
use super::set::StoreName;
use super::{AccessToken, BoxFuture, TokenEndpoint, TokenError, TokenSet, TokenSource, TokenStore};
use crate::oauth::{ErrorCode, ErrorResponse, TokenResponse};
use crate::Secret;

/// How long before `expires_in` runs out a token is renewed, unless configured otherwise.
pub const DEFAULT_SKEW: Duration = Duration::from_secs(30);

/// What a flow contributes to [`CachedTokenSource`]: its own grant, and optionally a renewal
/// for tokens without a refresh token.
pub(crate) trait Grant: Send + Sync + fmt::Debug + 'static {
    /// The flow's name, for `Debug`.
    fn name(&self) -> &'static str;

    /// A new token with the flow's own grant; `None` when the flow has no grant that can run
    /// unattended (authorization code, refresh token only).
    fn fetch<'a>(&'a self, endpoint: &'a TokenEndpoint) -> Option<BoxFuture<'a, Result<TokenResponse, TokenError>>>;

    /// Renews `current`, an access token that is still valid and came without a refresh
    /// token, before [`Grant::fetch`] is tried (Iceberg's token exchange). A failure falls
    /// back to [`Grant::fetch`].
    fn renew<'a>(&'a self, _endpoint: &'a TokenEndpoint, _current: &'a Secret) -> Option<BoxFuture<'a, Result<TokenResponse, TokenError>>> {
        None
    }

    /// The `scope` sent with refresh token requests.
    fn refresh_scope(&self) -> Option<&str> {
        None
    }
}

/// Settings every flow builder has (see the builders' `skew`, `store`, `tokens`, …).
#[derive(Clone)]
pub(crate) struct Options {
    pub(crate) skew: Duration,
    pub(crate) default_lifetime: Option<Duration>,
    pub(crate) store: Option<Arc<dyn TokenStore>>,
    pub(crate) seed: Option<TokenSet>,
    pub(crate) http: HttpOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options { skew: DEFAULT_SKEW, default_lifetime: None, store: None, seed: None, http: HttpOptions::default() }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("skew", &self.skew)
            .field("default_lifetime", &self.default_lifetime)
            .field("store", &self.store.as_ref().map(|_| StoreName))
            .field("seed", &self.seed)
            .field("timeout", &self.http.timeout)
            .finish()
    }
}

/// The builder methods every flow has, on a struct with an `options: Options` field.
macro_rules! cache_options {
    () => {
        /// Renews the token this long before `expires_in` runs out (default 30 s). Capped at
        /// half the token's lifetime, so that a short-lived token is still used for at least
        /// half of it: with `expires_in` 2 and a skew of 30 s, the token is renewed after 1 s.
        pub fn skew(mut self, skew: std::time::Duration) -> Self {
            self.options.skew = skew;
            self
        }

        /// The lifetime assumed for a token that comes without `expires_in` (by default such a
        /// token is kept until [`TokenSource::invalidate`](crate::token::TokenSource::invalidate)).
        pub fn default_lifetime(mut self, lifetime: std::time::Duration) -> Self {
            self.options.default_lifetime = Some(lifetime);
            self
        }

        /// Saves the tokens after every fetch and refresh (see [`TokenStore`](crate::token::TokenStore)).
        pub fn store(mut self, store: std::sync::Arc<dyn crate::token::TokenStore>) -> Self {
            self.options.store = Some(store);
            self
        }

        /// Starts from saved tokens (as a [`TokenStore`](crate::token::TokenStore) got them):
        /// a still valid access token is used without a request, a refresh token renews it.
        pub fn tokens(mut self, tokens: crate::token::TokenSet) -> Self {
            self.options.seed = Some(tokens);
            self
        }

        /// Sends token requests with this client (its pooled connections) instead of a default one
        /// built for each request.
        pub fn http_client(mut self, http: reqwest::Client) -> Self {
            self.options.http.http = Some(http);
            self
        }

        /// The time one token request may take (default 30 s).
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.http.timeout = Some(timeout);
            self
        }
    };
}
pub(crate) use cache_options;

/// A token source that caches its access token and renews it: what every flow builder makes.
///
/// - **Cache.** The token is handed out until `expires_in` minus the skew (default 30 s,
///   capped at half the lifetime; see the builders' `skew`). A token without `expires_in` is
///   kept until invalidated, or for the builder's `default_lifetime`.
/// - **Single flight.** However many callers find no valid token, one request is made; the
///   others wait for it and share its result, success or failure (a [`TokenError::Transport`]
///   reaches the waiters as [`TokenError::Unavailable`] with its message, since
///   `reqwest::Error` cannot be cloned). The cached path takes a short `std` lock, never held
///   across an `.await`; the renewal is serialized by a `tokio` mutex.
/// - **Renewal.** With a refresh token, a refresh (RFC 6749 §6; a response without a new
///   refresh token keeps the old one); without, the flow's own renewal if it has one (Iceberg's
///   token exchange), else the flow's own grant again.
/// - **Rejected refresh token.** A refresh answered with `invalid_grant` drops the refresh
///   token. Flows that can run unattended (client credentials, password, token exchange) then
///   fetch a new token with their own grant in the same call. The others (refresh token only,
///   authorization code) fail with that [`TokenError::OAuth`] `invalid_grant` error, and keep
///   failing with it, without further requests, until new tokens are given
///   ([`CachedTokenSource::set_tokens`]); the [`TokenStore`] is cleared. Other failures
///   (network, `5xx`, `invalid_client`) keep the refresh token: the next call tries again,
///   once. No call makes more than two requests (a refresh, then the flow's grant).
/// - **Invalidation.** [`TokenSource::invalidate`] drops the token only if it is still the
///   cached one, so 50 callers that all got `401` with the same token cause one renewal.
///
/// Cheap to clone (one `Arc`): clones share the cache. `Debug` shows no token or secret.
#[derive(Clone)]
pub struct CachedTokenSource {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: TokenEndpoint,
    grant: Box<dyn Grant>,
    skew: Duration,
    default_lifetime: Option<Duration>,
    store: Option<Arc<dyn TokenStore>>,
    /// What is cached. Never held across an `.await`.
    state: Mutex<State>,
    /// Held by the one caller that renews (single flight).
    flight: tokio::sync::Mutex<Flight>,
    /// The number of renewals finished, as of the last one (also in `Flight`).
    finished: AtomicU64,
}

#[derive(Default)]
struct State {
    /// The tokens, as persisted.
    set: Option<TokenSet>,
    /// The access token handed out, until `renew_at`; `None` once invalidated or absent.
    access: Option<Cached>,
    /// A rejected refresh token with nothing to fall back to: every call fails with this.
    dead: Option<(u16, ErrorResponse)>,
}

struct Cached {
    token: AccessToken,
    renew_at: Option<Instant>,
}

#[derive(Default)]
struct Flight {
    finished: u64,
    outcome: Option<Result<AccessToken, SharedError>>,
}

/// A failure as the callers that waited for it get it.
#[derive(Clone)]
enum SharedError {
    OAuth(u16, ErrorResponse),
    InvalidResponse(u16, String),
    Unavailable(String),
}

impl SharedError {
    fn of(error: &TokenError) -> Self {
        match error {
            TokenError::OAuth { status, error } => SharedError::OAuth(*status, error.clone()),
            TokenError::InvalidResponse { status, reason } => SharedError::InvalidResponse(*status, reason.clone()),
            TokenError::Transport(e) => SharedError::Unavailable(format!("the token request could not be sent: {e}")),
            TokenError::Unavailable(why) => SharedError::Unavailable(why.clone()),
        }
    }

    fn error(self) -> TokenError {
        match self {
            SharedError::OAuth(status, error) => TokenError::OAuth { status, error },
            SharedError::InvalidResponse(status, reason) => TokenError::InvalidResponse { status, reason },
            SharedError::Unavailable(why) => TokenError::Unavailable(why),
        }
    }
}

/// `lifetime` minus the skew, the skew capped at half the lifetime; `None` past what an
/// `Instant` can hold (a lifetime of centuries: never renewed).
fn renew_at(now: Instant, lifetime: Duration, skew: Duration) -> Option<Instant> {
    now.checked_add(lifetime - skew.min(lifetime / 2))
}

impl CachedTokenSource {
    pub(crate) fn new(mut endpoint: TokenEndpoint, grant: impl Grant, options: Options) -> Self {
        options.http.apply(&mut endpoint);
        let inner = Inner {
            endpoint,
            grant: Box::new(grant),
            skew: options.skew,
            default_lifetime: options.default_lifetime,
            store: options.store,
            state: Mutex::new(State::default()),
            flight: tokio::sync::Mutex::new(Flight::default()),
            finished: AtomicU64::new(0),
        };
        let source = CachedTokenSource { inner: Arc::new(inner) };
        if let Some(seed) = options.seed {
            source.set_tokens(seed);
        }
        source
    }

    /// The tokens held now (as the [`TokenStore`] last got them), if any.
    pub fn tokens(&self) -> Option<TokenSet> {
        self.inner.state().set.clone()
    }

    /// Replaces the held tokens (e.g. after the user signed in again), ending a failed state.
    /// Not passed to the [`TokenStore`].
    pub fn set_tokens(&self, tokens: TokenSet) {
        let access = self.inner.cached(&tokens, Instant::now(), None);
        let mut state = self.inner.state();
        state.access = access;
        state.set = Some(tokens);
        state.dead = None;
    }

    /// Forgets all tokens: the next call fetches with the flow's own grant (or fails, for
    /// flows that cannot run unattended).
    pub fn clear(&self) {
        *self.inner.state() = State::default();
    }

    /// The token endpoint this source asks.
    pub fn endpoint(&self) -> &TokenEndpoint {
        &self.inner.endpoint
    }

    /// The skew configured.
    pub fn skew(&self) -> Duration {
        self.inner.skew
    }

    /// Revokes the tokens held (RFC 7009: the refresh token if there is one, which revokes
    /// its access tokens too, else the access token), then forgets them and clears the
    /// [`TokenStore`]. Nothing held: nothing sent.
    pub async fn revoke(&self, revocation: &Revocation) -> Result<(), TokenError> {
        let held = self.tokens();
        let result = match held {
            Some(TokenSet { refresh_token: Some(refresh), .. }) => revocation.revoke(&refresh, Some(TokenTypeHint::RefreshToken)).await,
            Some(TokenSet { access_token: Some(access), .. }) => revocation.revoke(&access, Some(TokenTypeHint::AccessToken)).await,
            _ => Ok(()),
        };
        if result.is_ok() {
            let mut state = self.inner.state();
            state.set = None;
            state.access = None;
            drop(state);
            if let Some(store) = &self.inner.store {
                store.clear();
            }
        }
        result
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock; a poisoned lock still holds consistent state.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cache entry for `set`'s access token as of `now`: valid for `lifetime` (from a
    /// token response), else for what is left of the set's expiry (a saved set; `None` once
    /// expired), else for the default lifetime.
    fn cached(&self, set: &TokenSet, now: Instant, lifetime: Option<Duration>) -> Option<Cached> {
        let secret = set.access_token.clone()?;
        let lifetime = match lifetime {
            Some(lifetime) => Some(lifetime),
            None => match set.remaining() {
                Some(Duration::ZERO) => return None,
                Some(left) => Some(left),
                None => self.default_lifetime,
            },
        };
        let expires_at = lifetime.and_then(|l| now.checked_add(l));
        let token = AccessToken::new(secret, set.token_type.clone(), expires_at, set.scope.clone());
        Some(Cached { token, renew_at: lifetime.and_then(|l| renew_at(now, l, self.skew)) })
    }

    /// The cached token, if it is not yet due for renewal.
    fn fresh(&self) -> Option<AccessToken> {
        let state = self.state();
        let cached = state.access.as_ref()?;
        match cached.renew_at {
            Some(at) if Instant::now() >= at => None,
            _ => Some(cached.token.clone()),
        }
    }

    async fn token(&self) -> Result<AccessToken, TokenError> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let seen = self.finished.load(Ordering::Acquire);
        let mut flight = self.flight.lock().await;
        if flight.finished != seen {
            // A renewal finished while this call waited: its result is this call's.
            if let Some(outcome) = &flight.outcome {
                return outcome.clone().map_err(SharedError::error);
            }
        }
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let outcome = self.renew().await;
        flight.finished += 1;
        flight.outcome = Some(outcome.as_ref().cloned().map_err(SharedError::of));
        self.finished.store(flight.finished, Ordering::Release);
        outcome
    }

    /// One renewal, with the flight lock held.
    async fn renew(&self) -> Result<AccessToken, TokenError> {
        let (refresh_token, valid_access, dead) = {
            let state = self.state();
            let now = Instant::now();
            let valid = state.access.as_ref().filter(|c| c.token.expires_at().is_none_or(|at| now < at)).map(|c| c.token.secret().clone());
            (state.set.as_ref().and_then(|s| s.refresh_token.clone()), valid, state.dead.clone())
        };
        if let Some((status, error)) = dead {
            return Err(TokenError::OAuth { status, error });
        }
        let started = Instant::now();
        let sent_at = Utc::now();
        let mut rejected = None;
        let result = 'done: {
            if let Some(refresh) = &refresh_token {
                match self.endpoint.refresh(refresh, self.grant.refresh_scope()).await {
                    Ok(response) => break 'done Ok((response, true)),
                    Err(TokenError::OAuth { status, error }) if error.error == ErrorCode::InvalidGrant => {
                        // Revoked or expired: never sent again.
                        if let Some(set) = self.state().set.as_mut() {
                            set.refresh_token = None;
                        }
                        rejected = Some((status, error));
                    }
                    Err(other) => break 'done Err(other),
                }
            } else if let Some(current) = &valid_access {
                if let Some(renewal) = self.grant.renew(&self.endpoint, current) {
                    if let Ok(response) = renewal.await {
                        break 'done Ok((response, false));
                    }
                }
            }
            match self.grant.fetch(&self.endpoint) {
                Some(fetch) => fetch.await.map(|response| (response, false)),
                None => {
                    let mut state = self.state();
                    state.access = None;
                    match rejected {
                        Some((status, error)) => {
                            state.dead = Some((status, error.clone()));
                            drop(state);
                            if let Some(store) = &self.store {
                                store.clear();
                            }
                            Err(TokenError::OAuth { status, error })
                        }
                        None => Err(TokenError::Unavailable(format!(
                            "the access token expired or was refused, and the {} flow has no refresh token to renew it with",
                            self.grant.name()
                        ))),
                    }
                }
            }
        };
        let (response, refreshed) = result?;
        let lifetime = response.expires_in.map(Duration::from_secs).or(self.default_lifetime);
        let mut set = TokenSet::from_response(&response, sent_at);
        let mut state = self.state();
        if refreshed {
            // RFC 6749 §6: without a new refresh token the old one stays valid.
            if set.refresh_token.is_none() {
                set.refresh_token = refresh_token;
            }
            if set.scope.is_none() {
                set.scope = state.set.as_ref().and_then(|s| s.scope.clone());
            }
        }
        let cached = self.cached(&set, started, lifetime);
        let token = cached.as_ref().map(|c| c.token.clone());
        state.access = cached;
        state.set = Some(set.clone());
        state.dead = None;
        drop(state);
        if let Some(store) = &self.store {
            store.save(&set);
        }
        token.ok_or_else(|| TokenError::Unavailable("the token response held no access token".into()))
    }
}

impl TokenSource for CachedTokenSource {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(self.inner.token())
    }

    fn cached(&self) -> Option<AccessToken> {
        self.inner.fresh()
    }

    fn invalidate(&self, token: &AccessToken) {
        let mut state = self.inner.state();
        if state.access.as_ref().is_some_and(|c| c.token.secret() == token.secret()) {
            state.access = None;
        }
    }
}

impl fmt::Debug for CachedTokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.state();
        f.debug_struct("CachedTokenSource")
            .field("flow", &self.inner.grant)
            .field("endpoint", &self.inner.endpoint)
            .field("skew", &self.inner.skew)
            .field("has_access_token", &state.access.is_some())
            .field("has_refresh_token", &state.set.as_ref().is_some_and(|s| s.refresh_token.is_some()))
            .field("failed", &state.dead.as_ref().map(|(_, e)| e.error.as_str().to_string()))
            .field("store", &self.inner.store.as_ref().map(|_| StoreName))
            .finish()
    }
}
