//! The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636).

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use chrono::Utc;
use sha2::{Digest, Sha256};
use url::Url;

use super::cache::{cache_options, Options};
use super::endpoint::Credentials;
use super::flows::{scope_param, RefreshOnly};
use super::{CachedTokenSource, TokenEndpoint, TokenError, TokenSet};
use crate::oauth::{ClientAuth, GrantType};
use crate::Secret;

/// The PKCE `code_challenge` of `verifier` with method `S256`:
/// `BASE64URL(SHA256(ASCII(verifier)))` without padding (RFC 7636 §4.2).
///
/// ```
/// // RFC 7636 Appendix B.
/// assert_eq!(
///     oauth_api::token::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
///     "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
/// );
/// ```
pub fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `bytes` random bytes from the operating system, base64url without padding.
fn random(bytes: usize) -> Result<Secret, TokenError> {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).map_err(|e| TokenError::Unavailable(format!("no randomness for PKCE: {e}")))?;
    Ok(Secret::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&buf)))
}

/// Whether `verifier` is a valid PKCE code verifier: 43 to 128 characters from
/// `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1).
fn valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len()) && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636 with `S256`), for a user
/// who signs in with a browser.
///
/// 1. [`AuthorizationCode::authorize`] makes the authorization URL (`response_type=code`,
///    `client_id`, `redirect_uri`, `scope`, a random `state`, and the `code_challenge` of a
///    random verifier) and keeps the state and verifier in a [`PendingAuthorization`].
/// 2. Send the user to [`PendingAuthorization::url`].
/// 3. With the `code` and `state` the redirect brings back, [`PendingAuthorization::exchange`]
///    checks the state and exchanges the code (with `code_verifier`) for tokens: a
///    [`CachedTokenSource`] that renews with the refresh token. When there is none, or it is
///    rejected, the source fails (the user must sign in again): the flow cannot run
///    unattended.
///
/// ```no_run
/// # async fn run() -> Result<(), oauth_api::token::TokenError> {
/// use oauth_api::oauth::ClientAuth;
/// use oauth_api::token::AuthorizationCode;
/// let flow = AuthorizationCode::builder(
///     url::Url::parse("https://idp.example/authorize").unwrap(),
///     url::Url::parse("https://idp.example/token").unwrap(),
///     ClientAuth::public("my-cli"),
///     "http://127.0.0.1:8400/callback",
/// )
/// .scope("openid offline_access")
/// .build();
/// let pending = flow.authorize()?;
/// println!("open {}", pending.url());
/// // … the redirect to http://127.0.0.1:8400/callback?code=…&state=… arrives …
/// # let (code, state) = ("", "");
/// let tokens = pending.exchange(code, state).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct AuthorizationCode {
    inner: Arc<Config>,
}

struct Config {
    authorization_url: Url,
    endpoint: TokenEndpoint,
    redirect_uri: String,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    options: Options,
}

impl AuthorizationCode {
    /// A builder: the authorization endpoint, the token endpoint, the client, and the
    /// redirect URI registered for it.
    pub fn builder(authorization_url: Url, token_url: Url, auth: ClientAuth, redirect_uri: impl Into<String>) -> AuthorizationCodeBuilder {
        AuthorizationCodeBuilder {
            authorization_url,
            endpoint: TokenEndpoint::new(token_url, auth),
            redirect_uri: redirect_uri.into(),
            scopes: Vec::new(),
            params: Vec::new(),
            options: Options::default(),
        }
    }

    /// Starts an authorization with a random state (128 bits) and code verifier (256 bits).
    pub fn authorize(&self) -> Result<PendingAuthorization, TokenError> {
        self.authorize_with(random(16)?, random(32)?)
    }

    /// Starts an authorization with this state and code verifier (e.g. kept in a web
    /// session). The verifier must be 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`.
    pub fn authorize_with(&self, state: Secret, verifier: Secret) -> Result<PendingAuthorization, TokenError> {
        if !valid_verifier(verifier.expose()) {
            return Err(TokenError::Unavailable("a PKCE code verifier has 43 to 128 characters of A-Z a-z 0-9 - . _ ~".into()));
        }
        let config = &self.inner;
        let mut url = config.authorization_url.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("response_type", "code");
            query.append_pair("client_id", &config.endpoint.client_auth().client_id);
            query.append_pair("redirect_uri", &config.redirect_uri);
            if let Some(scope) = scope_param(&config.scopes) {
                query.append_pair("scope", &scope);
            }
            query.append_pair("state", state.expose());
            query.append_pair("code_challenge", &pkce_challenge(verifier.expose()));
            query.append_pair("code_challenge_method", "S256");
            for (name, value) in &config.params {
                query.append_pair(name, value);
            }
        }
        Ok(PendingAuthorization { url, state, verifier, flow: self.clone() })
    }

    /// A token source from saved tokens (as a [`TokenStore`](super::TokenStore) got them), so
    /// that the user need not sign in again after a restart.
    pub fn resume(&self, tokens: TokenSet) -> CachedTokenSource {
        let mut options = self.inner.options.clone();
        options.seed = Some(tokens);
        CachedTokenSource::new(self.inner.endpoint.clone(), RefreshOnly { name: "authorization code", scope: None }, options)
    }

    /// Exchanges `code` with `verifier`, without a state check (for callers that checked the
    /// state themselves, e.g. after a restart).
    pub async fn exchange_with_verifier(&self, code: &str, verifier: &Secret) -> Result<CachedTokenSource, TokenError> {
        let config = &self.inner;
        let fields = vec![
            ("grant_type".to_string(), GrantType::AuthorizationCode.as_str().to_string()),
            ("code".to_string(), code.to_string()),
            ("redirect_uri".to_string(), config.redirect_uri.clone()),
            ("code_verifier".to_string(), verifier.expose().to_string()),
        ];
        let sent_at = Utc::now();
        let response = config.endpoint.send(fields, Credentials::Client).await?;
        let set = TokenSet::from_response(&response, sent_at);
        let mut options = config.options.clone();
        options.seed = Some(set.clone());
        let store = options.store.clone();
        let source = CachedTokenSource::new(config.endpoint.clone(), RefreshOnly { name: "authorization code", scope: None }, options);
        if let Some(store) = store {
            store.save(&set);
        }
        Ok(source)
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner;
        f.debug_struct("AuthorizationCode")
            .field("authorization_url", &super::endpoint::redacted_url(&config.authorization_url))
            .field("endpoint", &config.endpoint)
            .field("redirect_uri", &config.redirect_uri)
            .field("scopes", &config.scopes)
            .finish()
    }
}

/// Builds an [`AuthorizationCode`] flow.
#[derive(Debug)]
#[must_use]
pub struct AuthorizationCodeBuilder {
    authorization_url: Url,
    endpoint: TokenEndpoint,
    redirect_uri: String,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    options: Options,
}

impl AuthorizationCodeBuilder {
    /// Asks for `scope` (one scope, or several space-separated); may be repeated.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Adds a parameter to the authorization URL (e.g. `prompt`, `audience`, `nonce`); may be
    /// repeated.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    cache_options!();

    /// The flow.
    pub fn build(mut self) -> AuthorizationCode {
        self.options.http.apply(&mut self.endpoint);
        let config = Config {
            authorization_url: self.authorization_url,
            endpoint: self.endpoint,
            redirect_uri: self.redirect_uri,
            scopes: self.scopes,
            params: self.params,
            options: self.options,
        };
        AuthorizationCode { inner: Arc::new(config) }
    }
}

/// An authorization in progress: the URL to send the user to, and the state and code
/// verifier the answer is checked and exchanged with. `Debug` hides both.
#[derive(Clone)]
pub struct PendingAuthorization {
    url: Url,
    state: Secret,
    verifier: Secret,
    flow: AuthorizationCode,
}

impl PendingAuthorization {
    /// The authorization URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The `state` sent.
    pub fn state(&self) -> &str {
        self.state.expose()
    }

    /// The PKCE code verifier (to keep it across a restart; see
    /// [`AuthorizationCode::exchange_with_verifier`]).
    pub fn verifier(&self) -> &Secret {
        &self.verifier
    }

    /// Checks that `state` is the one sent (else fails without a request: the redirect did not
    /// come from this authorization), then exchanges `code` for tokens.
    pub async fn exchange(&self, code: &str, state: &str) -> Result<CachedTokenSource, TokenError> {
        if !constant_time_eq(state.as_bytes(), self.state.expose().as_bytes()) {
            return Err(TokenError::Unavailable("the state in the redirect is not the one sent with the authorization request".into()));
        }
        self.flow.exchange_with_verifier(code, &self.verifier).await
    }
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("url", &super::endpoint::redacted_url(&self.url))
            .field("state", &self.state)
            .field("verifier", &self.verifier)
            .finish()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        let verifier_bytes: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88,
            83, 132, 141, 121,
        ];
        let verifier = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(verifier_bytes);
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(pkce_challenge(&verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn random_verifiers_are_valid_and_differ() {
        let a = random(32).unwrap();
        let b = random(32).unwrap();
        assert!(valid_verifier(a.expose()), "{}", a.expose().len());
        assert_ne!(a, b);
        assert!(!valid_verifier("short"));
        assert!(!valid_verifier(&"a".repeat(129)));
        assert!(!valid_verifier(&format!("{}!", "a".repeat(50))));
    }

    #[test]
    fn state_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
